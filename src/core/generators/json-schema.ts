/**
 * Validation of JSON answers against a column's JSON Schema (llm-structured's
 * `output_format`, llm-judge's rubric schema), compiled once per column with ajv.
 *
 * As Data Designer (jsonschema's Draft 2020-12 validator, formats not checked), a
 * schema is read as Draft 2020-12 unless its `$schema` names draft-06/07. Properties
 * an object schema does not declare are removed from the answer rather than failing
 * it (Data Designer's pruning), except where the schema says what they may be
 * (`additionalProperties` given) or declares nothing (a bare `{type: object}`), and
 * except inside anyOf/oneOf/allOf branches, where removing during a failed branch
 * would corrupt the answer for the branch that matches.
 *
 * ajv compiles a schema to JavaScript through `new Function`: it runs in Node and in
 * a Web Worker served without a Content-Security-Policy (or with 'unsafe-eval'), as
 * static hosts serve by default (checked in Chromium: a module worker without CSP
 * runs `new Function`; with `script-src 'self'` it throws EvalError). Under such a
 * CSP compiling fails and the column reports it as a config error saying why.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import { ConfigError } from '../errors.ts';
import type { Parsed } from './json-output.ts';

type Schema = Record<string, unknown>;

/** Schema errors quoted in a message, at most. */
const MAX_ERRORS = 5;

/** Validates (and prunes) one answer; compiled once per column. */
export type AnswerValidator = (value: unknown) => Parsed<unknown>;

/**
 * Compiles `schema` for answers. Throws ConfigError at `where` when ajv cannot
 * compile it (not a JSON Schema, an unresolvable $ref, eval forbidden by a CSP).
 */
export function compileAnswerValidator(schema: Schema, where: string): AnswerValidator {
  const draft07 = typeof schema['$schema'] === 'string' && /draft-0[67]/.test(schema['$schema']);
  let validate: ValidateFunction;
  try {
    const ajv = draft07
      ? (shared.draft07 ??= new Ajv(OPTIONS))
      : (shared.draft2020 ??= new Ajv2020(OPTIONS));
    const pruned = pruning(schema);
    try {
      validate = ajv.compile(pruned);
    } finally {
      // The compiled function keeps what it needs; the instance forgets the schema, so
      // a long-lived worker does not accumulate schemas and two columns may share an $id.
      ajv.removeSchema(pruned);
    }
  } catch (err) {
    throw new ConfigError([{ path: where, message: compileFailure(err) }]);
  }
  return (value) => {
    const copy = structuredClone(value);
    if (validate(copy)) return { ok: true, value: copy };
    return { ok: false, error: describeErrors(validate.errors ?? []) };
  };
}

function compileFailure(err: unknown): string {
  if (err instanceof EvalError) {
    return (
      "cannot validate JSON Schema here: this page's Content-Security-Policy forbids the code " +
      `generation the validator uses (${err.message}); serve the workers with 'unsafe-eval' allowed`
    );
  }
  const why = err instanceof Error ? err.message : String(err);
  return `expected a JSON Schema that compiles, got one that does not: ${why}`;
}

const OPTIONS = { strict: false, allErrors: true, validateFormats: false, removeAdditional: true };

/**
 * One ajv instance per draft, made on first use: an instance compiles its meta-schema
 * with the first schema (a few hundred ms), later schemas take a few ms.
 */
const shared: { draft2020?: Ajv2020; draft07?: Ajv } = {};

/** `errors` as one line: `at /age: must be integer; at (root): must have required property 'name'`. */
function describeErrors(errors: readonly ErrorObject[]): string {
  const shown = errors.slice(0, MAX_ERRORS).map((e) => {
    const at = e.instancePath === '' ? '(root)' : e.instancePath;
    const allowed = e.keyword === 'enum' ? ` ${JSON.stringify(e.params['allowedValues'])}` : '';
    return `at ${at}: ${e.message ?? e.keyword}${allowed}`;
  });
  const more = errors.length > MAX_ERRORS ? `; and ${errors.length - MAX_ERRORS} more` : '';
  return shown.join('; ') + more;
}

/** A copy of `schema` with `additionalProperties: false` where undeclared properties are pruned. */
function pruning(schema: unknown): Schema {
  return walk(structuredClone(schema)) as Schema;
}

const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SCHEMA_SLOTS = ['items', 'additionalItems', 'contains', 'unevaluatedItems'];

function walk(node: unknown): unknown {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
  const s = node as Schema;
  const declares = s['properties'] !== null && typeof s['properties'] === 'object';
  if (declares && !('additionalProperties' in s) && !('unevaluatedProperties' in s)) {
    s['additionalProperties'] = false;
  }
  for (const key of SCHEMA_MAPS) {
    const map = s[key];
    if (map !== null && typeof map === 'object' && !Array.isArray(map)) {
      for (const sub of Object.values(map as Schema)) walk(sub);
    }
  }
  for (const key of SCHEMA_SLOTS) walk(s[key]);
  if (Array.isArray(s['prefixItems'])) s['prefixItems'].forEach(walk);
  if (Array.isArray(s['items'])) s['items'].forEach(walk);
  if (typeof s['additionalProperties'] === 'object') walk(s['additionalProperties']);
  return s;
}
