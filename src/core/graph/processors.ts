/**
 * Columns processors read. They feed the output, not other columns, so they add no
 * edge to the graph; their references must still name columns (or side columns).
 */
import type { ConfigIssue } from '../errors.ts';
import type { DataDesignerConfig } from '../config/types.ts';
import type { ParsedTemplate } from '../template/template.ts';
import { templateReferences } from '../template/references.ts';
import { parseField, type ColumnReference } from './references.ts';

/** Every string in a schema_transform template, with its path. */
function schemaTemplateStrings(value: unknown, path: string): { source: string; path: string }[] {
  if (typeof value === 'string') return [{ source: value, path }];
  if (Array.isArray(value))
    return value.flatMap((v, i) => schemaTemplateStrings(v, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => schemaTemplateStrings(v, `${path}.${k}`));
  }
  return [];
}

/** The names processors read; template syntax errors go to `issues`. */
export function processorReferences(
  config: DataDesignerConfig,
  issues: ConfigIssue[],
  cache?: Map<string, ParsedTemplate | null>,
): ColumnReference[] {
  const refs: ColumnReference[] = [];
  config.processors.forEach((p, i) => {
    const at = `processors[${i}]`;
    if (p.processor_type === 'drop_columns') {
      p.column_names.forEach((name, j) => refs.push({ name, path: `${at}.column_names[${j}]` }));
      return;
    }
    for (const field of schemaTemplateStrings(p.template, `${at}.template`)) {
      const parsed = parseField(field, issues, cache);
      if (parsed)
        for (const name of templateReferences(parsed)) refs.push({ name, path: field.path });
    }
  });
  return refs;
}
