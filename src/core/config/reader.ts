/**
 * A small reader for untyped config objects that collects every problem instead
 * of stopping at the first: each accessor checks one field, reports an issue at
 * its path ("expected X, found Y") and returns a fallback so reading goes on.
 * Keys that no accessor read are reported as unknown by `end()`.
 */
import type { ConfigIssue } from '../errors.ts';

type Obj = Record<string, unknown>;

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value as a message shows it: its kind and, when short, itself. */
export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return v.length <= 40 ? `the string '${v}'` : 'a long string';
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'boolean') return `${v}`;
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (isObject(v)) return 'an object';
  return typeof v;
}

export function quoteList(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ');
}

interface NumberRule {
  /** Must be an integer. */
  integer?: boolean;
  /** Inclusive bounds. */
  min?: number;
  max?: number;
  /** Exclusive lower bound. */
  above?: number;
}

export class Fields {
  readonly #read = new Set<string>();

  constructor(
    readonly obj: Obj,
    readonly path: string,
    readonly issues: ConfigIssue[],
  ) {}

  /** Reads `path` of a value that must be an object; undefined (and an issue) otherwise. */
  static of(
    value: unknown,
    path: string,
    issues: ConfigIssue[],
    what = 'an object',
  ): Fields | undefined {
    if (isObject(value)) return new Fields(value, path, issues);
    issues.push({ path, message: `expected ${what}, found ${describe(value)}` });
    return undefined;
  }

  at(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  issue(key: string, message: string): void {
    this.issues.push({ path: key === '' ? this.path : this.at(key), message });
  }

  has(key: string): boolean {
    return this.obj[key] !== undefined;
  }

  /** The raw value, marked as read. */
  raw(key: string): unknown {
    this.#read.add(key);
    return this.obj[key];
  }

  #missing(key: string, expected: string): void {
    this.issue(key, `required; expected ${expected}, found nothing`);
  }

  #wrong(key: string, expected: string, v: unknown): void {
    this.issue(key, `expected ${expected}, found ${describe(v)}`);
  }

  string(key: string, opts: { nonEmpty?: boolean } = {}): string {
    const v = this.raw(key);
    if (v === undefined) this.#missing(key, 'a string');
    else if (typeof v !== 'string') this.#wrong(key, 'a string', v);
    else if (opts.nonEmpty && v.trim() === '') this.#wrong(key, 'a non-empty string', v);
    else return v;
    return '';
  }

  optString<D extends string | null>(key: string, fallback: D): string | D {
    const v = this.raw(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'string') return v;
    this.#wrong(key, 'a string', v);
    return fallback;
  }

  number(key: string, rule: NumberRule = {}): number {
    const v = this.raw(key);
    if (v === undefined) {
      this.#missing(key, rule.integer ? 'an integer' : 'a number');
      return NaN;
    }
    return this.#checkNumber(key, v, rule) ? (v as number) : NaN;
  }

  optNumber<D extends number | null>(key: string, fallback: D, rule: NumberRule = {}): number | D {
    const v = this.raw(key);
    if (v === undefined || v === null) return fallback;
    return this.#checkNumber(key, v, rule) ? (v as number) : fallback;
  }

  #checkNumber(key: string, v: unknown, rule: NumberRule): boolean {
    const kind = rule.integer ? 'an integer' : 'a number';
    if (typeof v !== 'number' || !Number.isFinite(v) || (rule.integer && !Number.isInteger(v))) {
      this.#wrong(key, kind, v);
      return false;
    }
    const bounds = numberBounds(rule);
    if (
      (rule.min !== undefined && v < rule.min) ||
      (rule.max !== undefined && v > rule.max) ||
      (rule.above !== undefined && v <= rule.above)
    ) {
      this.#wrong(key, `${kind} ${bounds}`, v);
      return false;
    }
    return true;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.raw(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'boolean') return v;
    this.#wrong(key, 'true or false', v);
    return fallback;
  }

  /** One of `values`; required when `fallback` is undefined. */
  oneOf<T extends string>(key: string, values: readonly T[], fallback?: T): T {
    const v = this.raw(key);
    const expected = `one of ${quoteList(values)}`;
    if (v === undefined || v === null) {
      if (fallback !== undefined) return fallback;
      this.#missing(key, expected);
    } else if (!(values as readonly unknown[]).includes(v)) {
      this.#wrong(key, expected, v);
    } else {
      return v as T;
    }
    return fallback ?? (values[0] as T);
  }

  /** A nested object's reader; undefined (with an issue if required) when absent or wrong. */
  object(key: string, required = true): Fields | undefined {
    const v = this.raw(key);
    if (v === undefined || v === null) {
      if (required) this.#missing(key, 'an object');
      return undefined;
    }
    return Fields.of(v, this.at(key), this.issues);
  }

  /**
   * A JSON object taken as is (schemas, extra_body, templates), nested at most
   * MAX_RECORD_DEPTH deep: what reads it later (schema compilers, redaction,
   * hashing) recurses, and a deeper one would overflow the stack there.
   */
  record<D extends Obj | null>(key: string, fallback: D, required = false): Obj | D {
    const v = this.raw(key);
    if (v === undefined || v === null) {
      if (required) this.#missing(key, 'an object');
      return fallback;
    }
    if (!isObject(v)) {
      this.#wrong(key, 'an object', v);
      return fallback;
    }
    if (nestedDeeper(v, MAX_RECORD_DEPTH)) {
      this.issue(
        key,
        `expected an object nested at most ${MAX_RECORD_DEPTH} levels deep, found one nested deeper`,
      );
      return fallback;
    }
    return v;
  }

  /** A list; `undefined` when absent and not required. */
  list(key: string, required: boolean, opts: { minLength?: number } = {}): unknown[] | undefined {
    const v = this.raw(key);
    if (v === undefined || v === null) {
      if (required) this.#missing(key, 'a list');
      return undefined;
    }
    if (!Array.isArray(v)) {
      this.#wrong(key, 'a list', v);
      return undefined;
    }
    if (opts.minLength !== undefined && v.length < opts.minLength) {
      this.#wrong(key, `a list of at least ${opts.minLength}`, v);
    }
    return v;
  }

  stringList(key: string, required: boolean, opts: { minLength?: number } = {}): string[] {
    const list = this.list(key, required, opts) ?? [];
    return list.filter((v, i): v is string => {
      if (typeof v === 'string') return true;
      this.issues.push({
        path: `${this.at(key)}[${i}]`,
        message: `expected a string, found ${describe(v)}`,
      });
      return false;
    });
  }

  numberList(key: string, required: boolean, opts: { minLength?: number } = {}): number[] {
    const list = this.list(key, required, opts) ?? [];
    return list.filter((v, i): v is number => {
      if (typeof v === 'number' && Number.isFinite(v)) return true;
      this.issues.push({
        path: `${this.at(key)}[${i}]`,
        message: `expected a number, found ${describe(v)}`,
      });
      return false;
    });
  }

  /** A Data Designer feature tabsynth cannot honour: an issue when the key holds a value. */
  refuse(key: string, message: string, isSet: (v: unknown) => boolean = isMeaningful): void {
    const v = this.raw(key);
    if (isSet(v)) this.issue(key, message);
  }

  /** Reports every key that no accessor read. */
  end(): void {
    for (const key of Object.keys(this.obj)) {
      if (!this.#read.has(key)) {
        const allowed = [...this.#read].sort();
        this.issue(key, `unknown key '${key}'; expected one of ${quoteList(allowed)}`);
      }
    }
  }
}

/** How deep objects and lists given as is (Fields.record) may nest. */
const MAX_RECORD_DEPTH = 64;

/** Whether `value` nests objects or lists more than `max` deep; without recursion. */
function nestedDeeper(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [v, depth] = top;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

function isMeaningful(v: unknown): boolean {
  if (v === undefined || v === null || v === false) return false;
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

function numberBounds(rule: NumberRule): string {
  const parts: string[] = [];
  if (rule.above !== undefined) parts.push(`above ${rule.above}`);
  if (rule.min !== undefined && rule.max !== undefined) return `in [${rule.min}, ${rule.max}]`;
  if (rule.min !== undefined) parts.push(`>= ${rule.min}`);
  if (rule.max !== undefined) parts.push(`<= ${rule.max}`);
  return parts.join(' and ');
}
