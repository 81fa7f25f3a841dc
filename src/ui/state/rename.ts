/**
 * Every place a config document names a column (SPEC 1, 3.1): templates (expr,
 * prompt, system_prompt, skip.when, conditional_params conditions, schema_transform
 * templates), column-naming fields (target_column(s), reference_column_name,
 * subcategory's category), constraints (target_column, a column rhs) and
 * drop_columns processors. A side column (`x__trace`) counts as a reference to `x`.
 * Pure functions over the raw document, which may not validate yet.
 */
import { TRACE_SUFFIX, REASONING_SUFFIX } from '../../core/config/types.ts';
import { conditionTemplate } from '../../core/graph/references.ts';
import type { RawObject } from './defaults.ts';
import { safeTemplateReferences } from './references.ts';
import { renameInTemplate } from './template-rename.ts';

/** One field that names a column. */
export interface ReferenceSite {
  /** Path of the field, as validation reports it (`columns[2].prompt`). */
  path: string;
  /** Who holds it, as a user calls it: a column's name, `processor drop_columns_0`, `constraint 1`. */
  owner: string;
}

/** A change of one field, to apply with `setAt`. */
export interface RenameEdit extends ReferenceSite {
  value: unknown;
}

/** What renaming references to a column does. */
export interface RenamePlan {
  /** Fields to change (one per field, however many references it holds). */
  edits: RenameEdit[];
  /** References changed, counted one per occurrence. */
  count: number;
  /** Fields that read the old name but cannot be rewritten, and why. */
  left: (ReferenceSite & { reason: string })[];
}

const SIDE_SUFFIXES = [TRACE_SUFFIX, REASONING_SUFFIX];

type Field =
  | { kind: 'template'; site: ReferenceSite; source: string }
  | { kind: 'conditions'; site: ReferenceSite; value: RawObject; category: boolean }
  | { kind: 'name'; site: ReferenceSite; value: string }
  | { kind: 'names'; site: ReferenceSite; value: unknown[] }
  | { kind: 'schema'; site: ReferenceSite; value: unknown };

function obj(v: unknown): RawObject | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as RawObject) : undefined;
}

function list(doc: RawObject, key: string): unknown[] {
  const v = doc[key];
  return Array.isArray(v) ? v : [];
}

/** The fields of `doc` that may name a column. */
function fieldsOf(doc: RawObject): Field[] {
  const out: Field[] = [];
  list(doc, 'columns').forEach((c, i) => {
    const column = obj(c);
    if (!column) return;
    const at = `columns[${i}]`;
    const owner =
      typeof column['name'] === 'string' && column['name'] !== ''
        ? column['name']
        : `column ${i + 1}`;
    const site = (path: string): ReferenceSite => ({ path: `${at}${path}`, owner });
    for (const key of ['expr', 'system_prompt', 'prompt']) {
      const v = column[key];
      if (typeof v === 'string') out.push({ kind: 'template', site: site(`.${key}`), source: v });
    }
    const when = obj(column['skip'])?.['when'];
    if (typeof when === 'string')
      out.push({ kind: 'template', site: site('.skip.when'), source: when });
    const conditions = obj(column['conditional_params']);
    if (conditions) {
      const category = column['sampler_type'] === 'subcategory';
      out.push({
        kind: 'conditions',
        site: site('.conditional_params'),
        value: conditions,
        category,
      });
    }
    if (typeof column['target_column'] === 'string') {
      out.push({ kind: 'name', site: site('.target_column'), value: column['target_column'] });
    }
    if (Array.isArray(column['target_columns'])) {
      out.push({ kind: 'names', site: site('.target_columns'), value: column['target_columns'] });
    }
    const params = obj(column['params']);
    const ref = params?.['reference_column_name'];
    if (typeof ref === 'string')
      out.push({ kind: 'name', site: site('.params.reference_column_name'), value: ref });
    const cat = params?.['category'];
    if (column['sampler_type'] === 'subcategory' && typeof cat === 'string') {
      out.push({ kind: 'name', site: site('.params.category'), value: cat });
    }
  });
  list(doc, 'constraints').forEach((c, i) => {
    const constraint = obj(c);
    if (!constraint) return;
    const owner = `constraint ${i + 1}`;
    for (const key of ['target_column', 'rhs']) {
      const v = constraint[key];
      if (typeof v === 'string')
        out.push({ kind: 'name', site: { path: `constraints[${i}].${key}`, owner }, value: v });
    }
  });
  list(doc, 'processors').forEach((p, i) => {
    const processor = obj(p);
    if (!processor) return;
    const named = typeof processor['name'] === 'string' && processor['name'] !== '';
    const owner = `processor ${named ? String(processor['name']) : i + 1}`;
    const at = `processors[${i}]`;
    if (Array.isArray(processor['column_names'])) {
      out.push({
        kind: 'names',
        site: { path: `${at}.column_names`, owner },
        value: processor['column_names'],
      });
    }
    if (processor['template'] !== undefined) {
      out.push({
        kind: 'schema',
        site: { path: `${at}.template`, owner },
        value: processor['template'],
      });
    }
  });
  return out;
}

/** `name` and its side columns, each to its new name (all to themselves when `to` is undefined). */
function renamesOf(name: string, to = name): Map<string, string> {
  return new Map([[name, to], ...SIDE_SUFFIXES.map((s): [string, string] => [name + s, to + s])]);
}

/** Every string of a schema_transform template, with its relative path. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  const o = obj(value);
  return o ? Object.values(o).flatMap(strings) : [];
}

/** True when the field reads one of `names`. */
function reads(field: Field, names: ReadonlyMap<string, string>): boolean {
  const hit = (refs: string[]) => refs.some((r) => names.has(r));
  switch (field.kind) {
    case 'template':
      return hit(safeTemplateReferences(field.source));
    case 'conditions':
      return Object.entries(field.value).some(
        ([key, params]) =>
          hit(safeTemplateReferences(conditionTemplate(key))) ||
          (field.category && names.has(stringAt(params, 'category'))),
      );
    case 'name':
      return names.has(field.value);
    case 'names':
      return field.value.some((v) => typeof v === 'string' && names.has(v));
    case 'schema':
      return strings(field.value).some((s) => hit(safeTemplateReferences(s)));
  }
}

/** The fields that refer to column `name` (or its side columns), in document order. */
export function referencesTo(doc: RawObject, name: string): ReferenceSite[] {
  if (name === '') return [];
  const names = renamesOf(name);
  return fieldsOf(doc)
    .filter((f) => reads(f, names))
    .map((f) => f.site);
}

/** The distinct owners of `sites`, in order: "greeting, summary". */
export function ownersOf(sites: readonly ReferenceSite[]): string[] {
  return [...new Set(sites.map((s) => s.owner))];
}

/**
 * The edits that make every reference to column `from` (and its side columns) name
 * `to` instead, templates rewritten exactly (see template-rename.ts). Fields that
 * read `from` but cannot be rewritten are listed in `left`.
 */
export function planRename(doc: RawObject, from: string, to: string): RenamePlan {
  const plan: RenamePlan = { edits: [], count: 0, left: [] };
  if (from === '' || to === '' || from === to) return plan;
  const renames = renamesOf(from, to);
  const rename = (s: string): string => renames.get(s) ?? s;
  for (const field of fieldsOf(doc)) {
    const { site } = field;
    let counted = 0;
    const template = (source: string, bare: boolean): string => {
      const r = renameInTemplate(source, renames, bare);
      if (!r.ok) {
        plan.left.push({ ...site, reason: r.reason });
        return source;
      }
      counted += r.count;
      return r.text;
    };
    let value: unknown;
    switch (field.kind) {
      case 'template':
        value = template(field.source, false);
        break;
      case 'conditions':
        value = Object.fromEntries(
          Object.entries(field.value).map(([key, params]) => {
            const p = obj(params);
            const category = stringAt(p, 'category');
            if (field.category && p && renames.has(category)) {
              counted++;
              return [template(key, true), { ...p, category: rename(category) }];
            }
            return [template(key, true), params];
          }),
        );
        break;
      case 'name':
        counted += renames.has(field.value) ? 1 : 0;
        value = rename(field.value);
        break;
      case 'names':
        value = field.value.map((v) => {
          if (typeof v !== 'string' || !renames.has(v)) return v;
          counted++;
          return rename(v);
        });
        break;
      case 'schema':
        value = mapStrings(field.value, (s) => template(s, false));
        break;
    }
    if (counted > 0) {
      plan.edits.push({ ...site, value });
      plan.count += counted;
    }
  }
  return plan;
}

function stringAt(o: unknown, key: string): string {
  const v = obj(o)?.[key];
  return typeof v === 'string' ? v : '';
}

/** `value` with every string replaced by `f(string)`, keys and order kept. */
function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  const o = obj(value);
  return o ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k, mapStrings(v, f)])) : value;
}

/** "a", "a and b", "a, b and c", at most `max` names then "and N more". */
export function namesList(names: readonly string[], max = 5): string {
  const shown =
    names.length > max ? [...names.slice(0, max), `${names.length - max} more`] : [...names];
  const last = shown.pop() ?? '';
  return shown.length === 0 ? last : `${shown.join(', ')} and ${last}`;
}

/**
 * What to ask before deleting column `index`: who refers to it, or null when nothing
 * else does (a column's references to itself do not count).
 */
export function removalQuestion(doc: RawObject, index: number): string | null {
  const column = obj(list(doc, 'columns')[index]);
  const name = typeof column?.['name'] === 'string' ? column['name'] : '';
  const own = `columns[${index}]`;
  const sites = referencesTo(doc, name).filter((s) => !s.path.startsWith(`${own}.`));
  if (sites.length === 0) return null;
  return `'${name}' is used by ${namesList(ownersOf(sites))}. Delete it anyway? They will then refer to a column that does not exist.`;
}
