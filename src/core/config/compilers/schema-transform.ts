/**
 * schema_transform (SPEC 1, Data Designer's SchemaTransformProcessor): a template
 * of output field to JSON value whose strings are Jinja templates over the row.
 * As in Data Designer it writes a separate table, one reshaped row per row, and
 * leaves the dataset itself unchanged.
 *
 * Rendering: each string renders to a string ("{{ age }}" gives "42", as Data
 * Designer's JSON-escaped rendering does); numbers, booleans and null in the
 * template are kept as they are; lists and objects are walked. Row values that
 * are JSON text of an object or array are parsed first, so `{{ col.field }}`
 * reaches into a JSON column as in Data Designer.
 */
import type { Row } from '../../storage/types.ts';
import { parseTemplate, renderTemplate } from '../../template/template.ts';

/** One row in, one reshaped row out. */
type RowTransform = (row: Readonly<Row>) => Row;

type Render = (context: Row) => unknown;

/** Compiles every string of `template`; template errors name `where` and the field's path. */
export function compileSchemaTransform(
  template: Record<string, unknown>,
  where: string,
): RowTransform {
  const fields = Object.entries(template).map(
    ([key, value]) => [key, compileValue(value, `${where}.${key}`)] as const,
  );
  return (row) => renderFields(fields, deserialized(row));
}

/**
 * The fields rendered over `context`, as own keys: entries, not assignments, so that
 * a field named '__proto__' is a field, not the object's prototype.
 */
function renderFields(fields: readonly (readonly [string, Render])[], context: Row): Row {
  return Object.fromEntries(fields.map(([key, render]) => [key, render(context)]));
}

function compileValue(value: unknown, where: string): Render {
  if (typeof value === 'string') {
    const parsed = parseTemplate(value, where);
    return (context) => renderTemplate(parsed, context);
  }
  if (Array.isArray(value)) {
    const items = value.map((v, i) => compileValue(v, `${where}[${i}]`));
    return (context) => items.map((item) => item(context));
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(
      ([k, v]) => [k, compileValue(v, `${where}.${k}`)] as const,
    );
    return (context) => renderFields(entries, context);
  }
  return () => value;
}

/** The row with JSON-object and JSON-array text parsed (Data Designer's deserialize_json_values). */
function deserialized(row: Readonly<Row>): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) {
    out[key] = value;
    if (typeof value !== 'string') continue;
    const t = value.trimStart();
    if (!t.startsWith('{') && !t.startsWith('[')) continue;
    try {
      out[key] = JSON.parse(value) as unknown;
    } catch {
      // not JSON: the text as it is
    }
  }
  return out;
}
