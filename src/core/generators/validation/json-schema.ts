/**
 * `json_schema` validator (tabsynth's own): the value, parsed as JSON when it is a
 * string, must match `schema`. Read as Draft 2020-12 unless its `$schema` names
 * draft-06/07, formats not checked, as llm-structured reads its schemas
 * (generators/json-schema.ts), but nothing is pruned: extra properties fail only
 * where the schema says so. A string value that is not JSON fails with the
 * syntax error's place; a schema error in a JSON string is placed at the value it
 * concerns.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import { findNodeAtLocation, parseTree, type Node as JsonNode } from 'jsonc-parser';
import { ConfigError } from '../../errors.ts';
import { parseJson } from './json-syntax.ts';
import { positionAt } from './position.ts';
import { MAX_ISSUES, type ValidationIssue } from './types.ts';
import { outputOf, type ValueValidator } from './value.ts';

/** Compiles `schema` now: one ajv cannot compile is a ConfigError at `where`. */
export function jsonSchemaValidator(
  schema: Record<string, unknown>,
  where: string,
): ValueValidator {
  const options = { strict: false, allErrors: true, validateFormats: false };
  const draft07 = typeof schema['$schema'] === 'string' && /draft-0[67]/.test(schema['$schema']);
  let validate: ValidateFunction;
  try {
    validate = (draft07 ? new Ajv(options) : new Ajv2020(options)).compile(schema);
  } catch (err) {
    throw new ConfigError([
      {
        path: `${where}.validator_params.schema`,
        message: `expected a JSON Schema that compiles, got one that does not: ${err instanceof Error ? err.message : String(err)}`,
      },
    ]);
  }
  const check = (value: unknown) => {
    let data = value;
    if (typeof value === 'string') {
      const parsed = parseJson(value);
      if (!parsed.ok) return outputOf([parsed.issue]);
      data = parsed.value;
    }
    if (validate(data === undefined ? null : data)) return outputOf([]);
    const errors = (validate.errors ?? []).slice(0, MAX_ISSUES);
    const tree = typeof value === 'string' ? parseTree(value) : undefined;
    return outputOf(errors.map((e) => issueOf(e, typeof value === 'string' ? value : '', tree)));
  };
  const ready = Promise.resolve(check);
  return { ready: () => ready };
}

function issueOf(e: ErrorObject, text: string, tree: JsonNode | undefined): ValidationIssue {
  const at = e.instancePath === '' ? '(root)' : e.instancePath;
  const allowed = e.keyword === 'enum' ? ` ${JSON.stringify(e.params['allowedValues'])}` : '';
  const message = `schema: at ${at}: ${e.message ?? e.keyword}${allowed}`;
  const node = tree ? findNodeAtLocation(tree, pointerSegments(e.instancePath)) : undefined;
  if (!node) return { line: null, column: null, message };
  return { ...positionAt(text, node.offset), message };
}

/** `/items/0/name` -> ['items', 0, 'name'] (JSON Pointer unescaped). */
function pointerSegments(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}
