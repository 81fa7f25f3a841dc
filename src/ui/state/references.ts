/**
 * Who reads whom in a document that may not validate yet: the DAG picture and the
 * template editor stay live while the user types. Templates that do not parse
 * contribute no references (their error shows at the field).
 */
import { parseTemplate } from '../../core/template/template.ts';
import { templateReferences } from '../../core/template/references.ts';
import type { RawObject } from './defaults.ts';

/** A column as the DAG draws it. */
export interface DagNode {
  name: string;
  /** Index in `columns`. */
  index: number;
  /** `column_type` as written ('' when missing). */
  type: string;
  /** Left out of the output. */
  drop: boolean;
}

export interface DagEdge {
  /** The column read. */
  from: string;
  /** The column that reads it. */
  to: string;
}

const SIDE_SUFFIXES = ['__trace', '__reasoning_content'];

/** Every name `source` reads; [] when it does not parse. */
export function safeTemplateReferences(source: string): string[] {
  try {
    return templateReferences(parseTemplate(source, 'template'));
  } catch {
    return [];
  }
}

function conditionSource(condition: string): string {
  return condition.includes('{{') || condition.includes('{%') ? condition : `{{ ${condition} }}`;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function obj(v: unknown): RawObject | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as RawObject) : undefined;
}

/** Names a raw column reads (templates and column-naming fields), with duplicates removed. */
export function rawColumnReferences(column: RawObject): string[] {
  const found: string[] = [];
  const templates = [column['expr'], column['prompt'], column['system_prompt']];
  const skip = obj(column['skip']);
  if (skip) templates.push(skip['when']);
  for (const t of templates) if (typeof t === 'string') found.push(...safeTemplateReferences(t));
  for (const key of Object.keys(obj(column['conditional_params']) ?? {})) {
    found.push(...safeTemplateReferences(conditionSource(key)));
  }
  const target = str(column['target_column']);
  if (target) found.push(target);
  const targets = column['target_columns'];
  if (Array.isArray(targets)) for (const t of targets) if (typeof t === 'string') found.push(t);
  const params = obj(column['params']);
  if (params) {
    const ref = str(params['reference_column_name']);
    if (ref) found.push(ref);
    if (column['sampler_type'] === 'subcategory') {
      const cat = str(params['category']);
      if (cat) found.push(cat);
    }
  }
  return [...new Set(found)];
}

/** The column a referenced name stands for (side columns resolve to their producer). */
export function resolveReference(name: string, columns: readonly string[]): string | undefined {
  if (columns.includes(name)) return name;
  for (const suffix of SIDE_SUFFIXES) {
    if (name.endsWith(suffix) && columns.includes(name.slice(0, -suffix.length))) {
      return name.slice(0, -suffix.length);
    }
  }
  return undefined;
}

/** Nodes and edges of a raw document's columns; references to unknown names are left out. */
export function dagOf(doc: RawObject): { nodes: DagNode[]; edges: DagEdge[] } {
  const raw = Array.isArray(doc['columns']) ? (doc['columns'] as unknown[]) : [];
  const nodes: DagNode[] = [];
  raw.forEach((c, index) => {
    const column = obj(c);
    if (!column) return;
    nodes.push({
      name: str(column['name']) ?? `#${index}`,
      index,
      type: str(column['column_type']) ?? '',
      drop: column['drop'] === true,
    });
  });
  const names = nodes.map((n) => n.name);
  const edges: DagEdge[] = [];
  raw.forEach((c, index) => {
    const column = obj(c);
    const node = nodes.find((n) => n.index === index);
    if (!column || !node) return;
    for (const ref of rawColumnReferences(column)) {
      const from = resolveReference(ref, names);
      if (from !== undefined && from !== node.name) edges.push({ from, to: node.name });
    }
  });
  return { nodes, edges };
}
