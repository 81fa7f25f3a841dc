/**
 * What each column reads (SPEC 3.1): the columns its templates reference (prompt,
 * system_prompt, expr, skip.when, conditional_params keys) and the columns its
 * fields name (target_column(s), reference_column_name, subcategory's category),
 * plus constraint columns. Each reference keeps the path it was found at, for errors.
 */
import type { ConfigIssue } from '../errors.ts';
import { TemplateError } from '../errors.ts';
import type { ColumnConfig, Constraint } from '../config/types.ts';
import { parseTemplate, type ParsedTemplate } from '../template/template.ts';
import { templateReferences } from '../template/references.ts';

/** One column named by another column, and where. */
export interface ColumnReference {
  /** The name referenced, as written (may be a side column such as `x__trace`). */
  name: string;
  /** Path of the field that references it, e.g. `columns[2].prompt`. */
  path: string;
}

/** A template field of a column. */
interface TemplateField {
  source: string;
  path: string;
}

/**
 * A condition as Data Designer writes them: `{{ x > 1 }}`, or the bare `x > 1` of
 * conditional_params keys. Returns a template either way.
 */
export function conditionTemplate(condition: string): string {
  return condition.includes('{{') || condition.includes('{%') ? condition : `{{ ${condition} }}`;
}

/** The path of conditional_params key `key` of the column at path `column`. */
export function conditionPath(column: string, key: string): string {
  return `${column}.conditional_params[${JSON.stringify(key)}]`;
}

/** Every template a column holds, with its path. */
function templateFields(column: ColumnConfig, index: number): TemplateField[] {
  const at = `columns[${index}]`;
  const fields: TemplateField[] = [];
  switch (column.column_type) {
    case 'expression':
      fields.push({ source: column.expr, path: `${at}.expr` });
      break;
    case 'llm-text':
    case 'llm-code':
    case 'llm-structured':
    case 'llm-judge':
      fields.push({ source: column.prompt, path: `${at}.prompt` });
      if (column.system_prompt !== null) {
        fields.push({ source: column.system_prompt, path: `${at}.system_prompt` });
      }
      break;
    case 'sampler':
      for (const key of Object.keys(column.conditional_params)) {
        fields.push({
          source: conditionTemplate(key),
          path: conditionPath(at, key),
        });
      }
      break;
    default:
      break;
  }
  if (column.skip !== null) fields.push({ source: column.skip.when, path: `${at}.skip.when` });
  return fields;
}

/**
 * Parses a template field, reporting a syntax error as an issue at its path.
 * Parsed templates are cached by (path, source) within one `cache`.
 */
export function parseField(
  field: TemplateField,
  issues: ConfigIssue[],
  cache?: Map<string, ParsedTemplate | null>,
): ParsedTemplate | null {
  const key = `${field.path}\u0000${field.source}`;
  const hit = cache?.get(key);
  if (hit !== undefined) return hit;
  let parsed: ParsedTemplate | null = null;
  try {
    parsed = parseTemplate(field.source, field.path);
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err;
    const message = err.message.startsWith(`${field.path}: `)
      ? err.message.slice(field.path.length + 2)
      : err.message;
    issues.push({ path: field.path, message });
  }
  cache?.set(key, parsed);
  return parsed;
}

/** The names a column reads, in field order; template syntax errors go to `issues`. */
export function columnReferences(
  column: ColumnConfig,
  index: number,
  issues: ConfigIssue[],
  cache?: Map<string, ParsedTemplate | null>,
): ColumnReference[] {
  const at = `columns[${index}]`;
  const refs: ColumnReference[] = [];
  for (const field of templateFields(column, index)) {
    const parsed = parseField(field, issues, cache);
    if (parsed)
      for (const name of templateReferences(parsed)) refs.push({ name, path: field.path });
  }
  switch (column.column_type) {
    case 'embedding':
      refs.push({ name: column.target_column, path: `${at}.target_column` });
      break;
    case 'validation':
      column.target_columns.forEach((name, i) =>
        refs.push({ name, path: `${at}.target_columns[${i}]` }),
      );
      break;
    case 'sampler':
      if (column.sampler_type === 'subcategory') {
        refs.push({ name: column.params.category, path: `${at}.params.category` });
      } else if (column.sampler_type === 'timedelta') {
        refs.push({
          name: column.params.reference_column_name,
          path: `${at}.params.reference_column_name`,
        });
      }
      break;
    default:
      break;
  }
  return refs;
}

/** A constraint's columns: its target reads its rhs column (column_inequality). */
export function constraintReferences(
  constraint: Constraint,
  index: number,
): { target: ColumnReference; reads: ColumnReference[] } {
  const at = `constraints[${index}]`;
  const target = { name: constraint.target_column, path: `${at}.target_column` };
  const reads =
    constraint.constraint_type === 'column_inequality'
      ? [{ name: constraint.rhs, path: `${at}.rhs` }]
      : [];
  return { target, reads };
}
