/**
 * The simulated provider's structured output: a value valid for a JSON Schema,
 * drawn from the request's output generator (SPEC 1 llm-structured, llm-judge).
 *
 * Supported: type (or a list of types), enum, const, object properties and
 * required, array items / prefixItems with minItems, maxItems and uniqueItems,
 * string minLength / maxLength and the formats date, date-time, time, email, uuid
 * and uri, number and integer bounds (inclusive and exclusive) and multipleOf,
 * boolean, null, local $ref (`#/$defs/...`, `#/definitions/...`), allOf of object
 * schemas, anyOf / oneOf (one branch is picked; oneOf branches are assumed
 * disjoint). Not supported: `pattern` (a plain string is produced), `not`,
 * conditionals, dependent schemas, remote $refs. Free-text strings start with
 * `[simulated] ` where their length allows, so a user can tell.
 */
import { ErrorCodes, ModelError } from '../errors.ts';
import type { Rng } from '../random/seed.ts';
import { SIMULATED_LABEL, sentence } from './simulated-text.ts';

type Schema = Record<string, unknown>;

/** Nesting beyond which optional parts are left out, so recursive schemas end. */
const SHALLOW_DEPTH = 6;
/** Nesting at which generation gives up on a schema that cannot end. */
const MAX_DEPTH = 40;
/**
 * The most items an array may be required to have, and characters a string: no
 * model answers with more, and drawing a schema's `minItems: 100000000` would
 * fill the memory instead of failing the cell.
 */
const MAX_ITEMS = 10_000;
const MAX_LENGTH = 1_000_000;
/** How many items beyond the least an array draws at most (a large maxItems means no real bound). */
const ITEMS_SPREAD = 100;

/** A value valid for `schema`; `words` (from the prompt) flavour free-text strings. */
export function simulatedJson(schema: Schema, rng: Rng, words: readonly string[]): unknown {
  return new JsonDrawer(schema, rng, words).draw(schema, 0);
}

class JsonDrawer {
  constructor(
    readonly root: Schema,
    readonly rng: Rng,
    readonly words: readonly string[],
  ) {}

  draw(input: unknown, depth: number): unknown {
    if (input === true || input === undefined) return this.string({});
    if (typeof input !== 'object' || input === null) {
      throw unsupported(`a schema object, got ${JSON.stringify(input)}`);
    }
    if (depth > MAX_DEPTH)
      throw unsupported(`a schema that ends, got one nested over ${MAX_DEPTH} levels`);
    const schema = this.resolve(input as Schema);
    if ('const' in schema) return schema['const'];
    if (Array.isArray(schema['enum']) && schema['enum'].length > 0) {
      return schema['enum'][this.rng.int(schema['enum'].length)];
    }
    const allOf = schema['allOf'];
    if (Array.isArray(allOf) && allOf.length > 0)
      return this.draw(this.merge(schema, allOf), depth);
    const branches = schema['anyOf'] ?? schema['oneOf'];
    if (Array.isArray(branches) && branches.length > 0) {
      const { anyOf: _a, oneOf: _o, ...rest } = schema;
      const branch = this.pickBranch(branches as Schema[]);
      return this.draw({ ...rest, ...this.resolve(branch) }, depth + 1);
    }
    switch (this.typeOf(schema)) {
      case 'object':
        return this.object(schema, depth);
      case 'array':
        return this.array(schema, depth);
      case 'integer':
        return this.number(schema, true);
      case 'number':
        return this.number(schema, false);
      case 'boolean':
        return this.rng.next() < 0.5;
      case 'null':
        return null;
      default:
        return this.string(schema);
    }
  }

  /** Follows local `$ref`s (`#/...` JSON pointers into the root schema). */
  resolve(schema: Schema): Schema {
    let s = schema;
    for (let hops = 0; typeof s['$ref'] === 'string'; hops++) {
      const ref = s['$ref'];
      if (hops > 32 || !ref.startsWith('#')) throw unsupported(`a local $ref, got "${ref}"`);
      let target: unknown = this.root;
      for (const part of ref.slice(1).split('/').filter(Boolean)) {
        const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
        target = target && typeof target === 'object' ? (target as Schema)[key] : undefined;
      }
      if (!target || typeof target !== 'object')
        throw unsupported(`$ref "${ref}" to resolve, got nothing`);
      const { $ref: _r, ...siblings } = s;
      s = { ...(target as Schema), ...siblings };
    }
    return s;
  }

  /** allOf of object schemas: properties and required combined. */
  merge(schema: Schema, parts: unknown[]): Schema {
    const { allOf: _, ...out } = schema;
    const merged: Schema = { ...out };
    for (const part of parts) {
      const p = this.resolve(part as Schema);
      const props = {
        ...(merged['properties'] as Schema | undefined),
        ...(p['properties'] as Schema | undefined),
      };
      const required = [
        ...((merged['required'] as string[] | undefined) ?? []),
        ...((p['required'] as string[] | undefined) ?? []),
      ];
      Object.assign(merged, p, { properties: props, required });
    }
    delete merged['allOf'];
    if (Object.keys(merged['properties'] as Schema).length === 0) delete merged['properties'];
    return merged;
  }

  /** A branch, preferring one that is not plain null (pydantic's Optional[...]). */
  /**
   * A branch to satisfy: not null when another exists, and not a string `pattern`
   * (which this generator cannot honour) when another exists — Pydantic's Decimal,
   * for one, is `anyOf: [number, string with a pattern]`.
   */
  pickBranch(branches: Schema[]): Schema {
    let pool = branches.filter((b) => this.resolve(b)['type'] !== 'null');
    if (pool.length === 0) pool = branches;
    const patternless = pool.filter((b) => !('pattern' in this.resolve(b)));
    if (patternless.length > 0) pool = patternless;
    return pool[this.rng.int(pool.length)]!;
  }

  typeOf(schema: Schema): string {
    const t = schema['type'];
    if (typeof t === 'string') return t;
    if (Array.isArray(t) && t.length > 0) {
      const nonNull = t.filter((x) => x !== 'null');
      return String(nonNull.length > 0 ? nonNull[this.rng.int(nonNull.length)] : t[0]);
    }
    if (schema['properties'] || schema['required']) return 'object';
    if (schema['items'] || schema['prefixItems']) return 'array';
    if (['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'].some((k) => k in schema))
      return 'number';
    return 'string';
  }

  object(schema: Schema, depth: number): Record<string, unknown> {
    const props = (schema['properties'] as Schema | undefined) ?? {};
    const required = new Set((schema['required'] as string[] | undefined) ?? []);
    const out: Record<string, unknown> = {};
    for (const [key, sub] of Object.entries(props)) {
      if (required.has(key) || (depth < SHALLOW_DEPTH && this.rng.next() < 0.7)) {
        out[key] = this.draw(sub, depth + 1);
      }
    }
    for (const key of required) if (!(key in out)) out[key] = this.string({});
    return out;
  }

  array(schema: Schema, depth: number): unknown[] {
    const prefix = (schema['prefixItems'] as unknown[] | undefined) ?? [];
    const min = Math.max(num(schema['minItems']) ?? 0, 0);
    const max = num(schema['maxItems']) ?? Math.max(min, depth < SHALLOW_DEPTH ? 3 : min);
    if (min > MAX_ITEMS) throw unsupported(`minItems of at most ${MAX_ITEMS}, got ${min}`);
    const low = Math.max(min, depth < SHALLOW_DEPTH ? Math.min(1, max) : min);
    const n = low + this.rng.int(Math.min(Math.max(0, max - low), ITEMS_SPREAD) + 1);
    const items = schema['items'];
    const unique = schema['uniqueItems'] === true;
    const out: unknown[] = [];
    const seen = new Set<string>();
    for (let tries = 0; out.length < n && tries < n * 20 + 20; tries++) {
      const i = out.length;
      if (i >= prefix.length && items === false) break;
      const sub = i < prefix.length ? prefix[i] : items;
      const value = this.draw(sub, depth + 1);
      const key = JSON.stringify(value);
      if (unique && seen.has(key)) continue;
      seen.add(key);
      out.push(value);
    }
    if (out.length < min)
      throw unsupported(`${min} distinct array items to be drawable, got ${out.length}`);
    return out;
  }

  number(schema: Schema, integer: boolean): number {
    let lo = num(schema['minimum']) ?? -Infinity;
    let hi = num(schema['maximum']) ?? Infinity;
    const exLo = num(schema['exclusiveMinimum']);
    const exHi = num(schema['exclusiveMaximum']);
    if (schema['exclusiveMinimum'] === true) lo = nextUp(lo, integer);
    if (schema['exclusiveMaximum'] === true) hi = nextDown(hi, integer);
    if (exLo !== undefined) lo = Math.max(lo, nextUp(exLo, integer));
    if (exHi !== undefined) hi = Math.min(hi, nextDown(exHi, integer));
    if (!Number.isFinite(lo) && !Number.isFinite(hi)) [lo, hi] = [0, 100];
    else if (!Number.isFinite(lo)) lo = hi - 100;
    else if (!Number.isFinite(hi)) hi = lo + 100;
    const step = num(schema['multipleOf']) ?? (integer ? 1 : undefined);
    if (step !== undefined && step > 0) {
      const first = Math.ceil(lo / step);
      const last = Math.floor(hi / step);
      if (last < first) throw unsupported(`a multiple of ${step} in [${lo}, ${hi}], got none`);
      const k = first + this.rng.int(last - first + 1);
      return integer ? Math.round(k * step) : Number((k * step).toPrecision(12));
    }
    if (hi < lo) throw unsupported(`a number range with minimum <= maximum, got [${lo}, ${hi}]`);
    const value = Math.round(this.rng.uniform(lo, hi) * 100) / 100;
    return Math.min(hi, Math.max(lo, value));
  }

  string(schema: Schema): string {
    const format = schema['format'];
    const rng = this.rng;
    const two = (n: number) => String(n).padStart(2, '0');
    const date = () => `${2000 + rng.int(26)}-${two(1 + rng.int(12))}-${two(1 + rng.int(28))}`;
    const time = () => `${two(rng.int(24))}:${two(rng.int(60))}:${two(rng.int(60))}`;
    let s: string;
    if (format === 'date') return date();
    if (format === 'time') return `${time()}Z`;
    if (format === 'date-time') return `${date()}T${time()}Z`;
    if (format === 'uuid') {
      const hex = (n: number) => Array.from({ length: n }, () => rng.int(16).toString(16)).join('');
      return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[rng.int(4)]}${hex(3)}-${hex(12)}`;
    }
    const word = this.words.find((w) => /^[a-z]+$/.test(w)) ?? 'sample';
    if (format === 'email') s = `${word}.${rng.int(1000)}@example.com`;
    else if (format === 'uri' || format === 'url')
      s = `https://example.com/${word}/${rng.int(1000)}`;
    else s = SIMULATED_LABEL + sentence(rng, this.words).replace(/\.$/, '');
    const min = num(schema['minLength']) ?? 0;
    const max = num(schema['maxLength']);
    if (min > MAX_LENGTH) throw unsupported(`minLength of at most ${MAX_LENGTH}, got ${min}`);
    while (s.length < min) s += ' ' + sentence(rng, this.words);
    if (max !== undefined && s.length > max) {
      // The label goes first when the string cannot hold it with some text after it.
      if (!format && s.startsWith(SIMULATED_LABEL) && max < SIMULATED_LABEL.length + 8) {
        s = s.slice(SIMULATED_LABEL.length);
        while (s.length < min) s += ' ' + sentence(rng, this.words);
      }
      s = s.slice(0, max);
    }
    return s;
  }
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function nextUp(x: number, integer: boolean): number {
  return integer ? Math.floor(x) + 1 : x + Math.max(1e-9, Math.abs(x) * 1e-12);
}

function nextDown(x: number, integer: boolean): number {
  return integer ? Math.ceil(x) - 1 : x - Math.max(1e-9, Math.abs(x) * 1e-12);
}

function unsupported(what: string): ModelError {
  return new ModelError(
    ErrorCodes.MODEL_BAD_RESPONSE,
    `simulated provider: expected ${what} in the response schema`,
  );
}
