/**
 * The simulated provider's structured output is valid for its JSON Schema
 * (SPEC 1 llm-structured, llm-judge). Checked by a small independent validator
 * written here (ajv is not a dependency), over many seeds per schema.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCodes, TabsynthError } from '../../../src/core/errors.ts';
import { Rng } from '../../../src/core/random/seed.ts';
import { simulatedJson } from '../../../src/core/models/simulated-json.ts';

type Schema = Record<string, unknown>;

/** Problems of `value` against `schema` (the subset the simulated provider promises). */
function validate(value: unknown, schema: unknown, root: Schema, path = '$'): string[] {
  if (schema === true || schema === undefined) return [];
  let s = schema as Schema;
  while (typeof s['$ref'] === 'string') {
    const parts = (s['$ref'] as string).slice(2).split('/');
    let target: unknown = root;
    for (const p of parts) target = (target as Schema)[p];
    const { $ref: _, ...rest } = s;
    s = { ...(target as Schema), ...rest };
  }
  const errs: string[] = [];
  const fail = (m: string) => errs.push(`${path}: ${m} (got ${JSON.stringify(value)})`);
  if ('const' in s && JSON.stringify(s['const']) !== JSON.stringify(value)) fail('const');
  if (
    Array.isArray(s['enum']) &&
    !s['enum'].some((e) => JSON.stringify(e) === JSON.stringify(value))
  )
    fail('enum');
  for (const sub of (s['allOf'] as unknown[] | undefined) ?? [])
    errs.push(...validate(value, sub, root, path));
  if (
    Array.isArray(s['anyOf']) &&
    !s['anyOf'].some((b) => validate(value, b, root, path).length === 0)
  )
    fail('anyOf');
  if (
    Array.isArray(s['oneOf']) &&
    s['oneOf'].filter((b) => validate(value, b, root, path).length === 0).length !== 1
  )
    fail('oneOf');
  const types = s['type'] === undefined ? undefined : ([] as unknown[]).concat(s['type']);
  const typeOf = (v: unknown) =>
    v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;
  if (
    types &&
    !types.some((t) => t === typeOf(value) || (t === 'number' && typeOf(value) === 'integer'))
  )
    fail(`type ${String(types)}`);
  if (typeof value === 'number') {
    const n = value;
    if (typeof s['minimum'] === 'number' && n < s['minimum']) fail('minimum');
    if (typeof s['maximum'] === 'number' && n > s['maximum']) fail('maximum');
    if (typeof s['exclusiveMinimum'] === 'number' && n <= s['exclusiveMinimum'])
      fail('exclusiveMinimum');
    if (typeof s['exclusiveMaximum'] === 'number' && n >= s['exclusiveMaximum'])
      fail('exclusiveMaximum');
    const m = s['multipleOf'];
    if (typeof m === 'number' && Math.abs(n / m - Math.round(n / m)) > 1e-9) fail('multipleOf');
  }
  if (typeof value === 'string') {
    if (typeof s['minLength'] === 'number' && [...value].length < s['minLength']) fail('minLength');
    if (typeof s['maxLength'] === 'number' && [...value].length > s['maxLength']) fail('maxLength');
    const formats: Record<string, RegExp> = {
      date: /^\d{4}-\d{2}-\d{2}$/,
      'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
      email: /^[^@\s]+@[^@\s]+\.[a-z]+$/,
      uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    };
    const f = formats[s['format'] as string];
    if (f && !f.test(value)) fail(`format ${String(s['format'])}`);
    if (
      f?.test(value) &&
      s['format'] !== 'email' &&
      Number.isNaN(Date.parse(value)) &&
      s['format'] !== 'uuid'
    )
      fail('a real date');
  }
  if (Array.isArray(value)) {
    if (typeof s['minItems'] === 'number' && value.length < s['minItems']) fail('minItems');
    if (typeof s['maxItems'] === 'number' && value.length > s['maxItems']) fail('maxItems');
    if (
      s['uniqueItems'] === true &&
      new Set(value.map((v) => JSON.stringify(v))).size !== value.length
    )
      fail('uniqueItems');
    const prefix = (s['prefixItems'] as unknown[] | undefined) ?? [];
    value.forEach((v, i) =>
      errs.push(...validate(v, i < prefix.length ? prefix[i] : s['items'], root, `${path}[${i}]`)),
    );
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    for (const r of (s['required'] as string[] | undefined) ?? [])
      if (!(r in o)) fail(`required ${r}`);
    const props = (s['properties'] as Schema | undefined) ?? {};
    for (const [k, v] of Object.entries(o)) {
      if (k in props) errs.push(...validate(v, props[k], root, `${path}.${k}`));
      else if (s['additionalProperties'] === false) fail(`additional property ${k}`);
    }
  }
  return errs;
}

/** Draws `n` values for `schema` over seeds 0..n-1; returns them and every problem. */
function drawMany(schema: Schema, n = 300) {
  const values: unknown[] = [];
  const problems: string[] = [];
  for (let seed = 0; seed < n; seed++) {
    const value = simulatedJson(schema, new Rng(seed), ['lighthouse', 'keeper']);
    values.push(value);
    problems.push(...validate(value, schema, schema));
  }
  return { values, problems };
}

const JUDGE = {
  type: 'object',
  properties: {
    helpfulness: {
      type: 'object',
      properties: { reasoning: { type: 'string' }, score: { enum: [1, 2, 3, 4] } },
      required: ['reasoning', 'score'],
      additionalProperties: false,
    },
  },
  required: ['helpfulness'],
  additionalProperties: false,
};

/** The shape pydantic's model_json_schema gives: $defs, $ref, Optional as anyOf with null. */
const PYDANTIC = {
  $defs: {
    Address: {
      type: 'object',
      properties: {
        street: { type: 'string' },
        zip: { type: 'string', minLength: 5, maxLength: 5 },
      },
      required: ['street', 'zip'],
    },
    Tier: { enum: ['free', 'pro', 'team'], type: 'string' },
  },
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 40 },
    age: { type: 'integer', minimum: 18, maximum: 99 },
    tier: { $ref: '#/$defs/Tier' },
    address: { $ref: '#/$defs/Address' },
    nickname: { anyOf: [{ type: 'string' }, { type: 'null' }], default: null },
    previous: { type: 'array', items: { $ref: '#/$defs/Address' }, maxItems: 2 },
    active: { type: 'boolean' },
  },
  required: ['name', 'age', 'tier', 'address', 'active'],
};

describe('SPEC 1 llm-structured: simulated output is valid for its schema', () => {
  it('(the validator used here rejects invalid values)', () => {
    expect(validate({}, JUDGE, JUDGE)).not.toEqual([]);
    expect(validate({ helpfulness: { reasoning: 'r', score: 5 } }, JUDGE, JUDGE)).not.toEqual([]);
    const valid = {
      name: 'n',
      age: 18,
      tier: 'pro',
      address: { street: 's', zip: '12345' },
      active: true,
    };
    expect(validate(valid, PYDANTIC, PYDANTIC)).toEqual([]);
    expect(validate({ ...valid, tier: 'gold' }, PYDANTIC, PYDANTIC)).not.toEqual([]);
    expect(
      validate({ ...valid, address: { street: 's', zip: '1' } }, PYDANTIC, PYDANTIC),
    ).not.toEqual([]);
    expect(validate({ ...valid, age: 17.5 }, PYDANTIC, PYDANTIC)).not.toEqual([]);
  });

  it('a judge schema (nested object, enum score, no extra properties)', () => {
    const { values, problems } = drawMany(JUDGE);
    expect(problems).toEqual([]);
    const scores = new Set(
      values.map((v) => (v as { helpfulness: { score: number } }).helpfulness.score),
    );
    expect(scores).toEqual(new Set([1, 2, 3, 4]));
  });

  it('a pydantic-style schema with $defs, $ref, Optional and arrays of objects', () => {
    const { values, problems } = drawMany(PYDANTIC);
    expect(problems).toEqual([]);
    expect(values.some((v) => 'nickname' in (v as object))).toBe(true);
    expect(values.some((v) => !('nickname' in (v as object)))).toBe(true);
  });

  it('numbers: integer bounds, exclusive bounds and multipleOf', () => {
    const schema = {
      type: 'object',
      properties: {
        i: { type: 'integer', minimum: -3, maximum: 3 },
        x: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
        m: { type: 'number', multipleOf: 0.25, minimum: 1, maximum: 2 },
        k: { type: 'integer', exclusiveMinimum: 10, multipleOf: 5 },
      },
      required: ['i', 'x', 'm', 'k'],
    };
    const { values, problems } = drawMany(schema);
    expect(problems).toEqual([]);
    expect(new Set(values.map((v) => (v as { i: number }).i)).size).toBe(7);
  });

  it('strings: lengths and the date, date-time, email and uuid formats', () => {
    const schema = {
      type: 'object',
      properties: {
        short: { type: 'string', maxLength: 6 },
        long: { type: 'string', minLength: 120 },
        exact: { type: 'string', minLength: 3, maxLength: 3 },
        d: { type: 'string', format: 'date' },
        dt: { type: 'string', format: 'date-time' },
        e: { type: 'string', format: 'email' },
        u: { type: 'string', format: 'uuid' },
      },
      required: ['short', 'long', 'exact', 'd', 'dt', 'e', 'u'],
    };
    expect(drawMany(schema).problems).toEqual([]);
  });

  it('arrays: min/max items, unique items from a small enum, tuples', () => {
    const schema = {
      type: 'object',
      properties: {
        tags: { type: 'array', items: { enum: ['a', 'b', 'c'] }, minItems: 3, uniqueItems: true },
        pair: {
          type: 'array',
          prefixItems: [{ type: 'integer' }, { type: 'boolean' }],
          items: false,
          minItems: 2,
        },
        many: { type: 'array', items: { type: 'number' }, minItems: 4, maxItems: 6 },
      },
      required: ['tags', 'pair', 'many'],
    };
    expect(drawMany(schema).problems).toEqual([]);
  });

  it('allOf, oneOf, const and a list of types', () => {
    const schema = {
      allOf: [
        { type: 'object', properties: { a: { const: 'fixed' } }, required: ['a'] },
        { type: 'object', properties: { b: { type: ['integer', 'null'] } }, required: ['b'] },
      ],
      properties: { c: { oneOf: [{ type: 'string' }, { type: 'boolean' }] } },
      required: ['c'],
    };
    expect(drawMany(schema).problems).toEqual([]);
  });

  it('free-text strings carry the [simulated] label and words of the prompt', () => {
    const values = drawMany({ type: 'string' }).values as string[];
    expect(values.every((v) => v.startsWith('[simulated] '))).toBe(true);
    expect(values.some((v) => v.includes('lighthouse'))).toBe(true);
  });

  it('is deterministic per seed and varies across seeds', () => {
    const a = simulatedJson(PYDANTIC, new Rng(7), []);
    expect(simulatedJson(PYDANTIC, new Rng(7), [])).toEqual(a);
    const distinct = new Set(drawMany(PYDANTIC, 20).values.map((v) => JSON.stringify(v)));
    expect(distinct.size).toBe(20);
  });

  it('a $ref that does not resolve is MODEL_BAD_RESPONSE naming it', () => {
    const run = () => simulatedJson({ $ref: '#/$defs/Missing' }, new Rng(1), []);
    expect(run).toThrow(TabsynthError);
    expect(run).toThrow(/#\/\$defs\/Missing/);
    try {
      run();
    } catch (e) {
      expect((e as TabsynthError).code).toBe(ErrorCodes.MODEL_BAD_RESPONSE);
    }
  });

  it('a schema asking for more items or characters than any answer has fails the cell, not the memory', () => {
    for (const schema of [
      { type: 'array', items: { type: 'string' }, minItems: 20_000 },
      { type: 'string', minLength: 2_000_000 },
    ]) {
      const run = () => simulatedJson(schema, new Rng(1), []);
      expect(run).toThrow(/simulated provider: expected min(Items|Length) of at most/);
      try {
        run();
      } catch (e) {
        expect((e as TabsynthError).code).toBe(ErrorCodes.MODEL_BAD_RESPONSE);
      }
    }
  });

  it('a large maxItems draws a handful of items beyond minItems, not up to maxItems', () => {
    const schema = { type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 100_000 };
    for (let seed = 0; seed < 20; seed++) {
      const value = simulatedJson(schema, new Rng(seed), []) as unknown[];
      expect(value.length).toBeGreaterThanOrEqual(2);
      expect(value.length).toBeLessThanOrEqual(102);
    }
  });
});
