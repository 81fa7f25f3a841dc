/**
 * The column edits of the designer, as changes to a config document: what "Add
 * column", "Duplicate", a new column type or sampler, and "New model…" write. Each
 * reads the document as it is and returns the edit to apply (Design applies it as one
 * undo step). A column that needs a model gets one on the simulated provider when
 * the design has none, so it validates at once.
 */
import type { ColumnType, SamplerType } from '../../core/config/types.ts';
import {
  defaultSamplerParams,
  MODEL_COLUMN_TYPES,
  newColumn,
  simulatedModel,
  uniqueName,
  type RawObject,
} from './defaults.ts';

/** A change to a config document. */
export type Edit = (doc: RawObject) => void;

/** The array at a root section of `doc`; [] when missing. */
export function listOf(doc: RawObject, key: string): RawObject[] {
  const v = doc[key];
  return Array.isArray(v) ? (v as RawObject[]) : [];
}

/** `doc`'s column names in order (unnamed columns as ''). */
export function columnNamesOf(doc: RawObject): string[] {
  return listOf(doc, 'columns').map((c) => (typeof c['name'] === 'string' ? c['name'] : ''));
}

/** `doc`'s model aliases in order. */
export function modelAliasesOf(doc: RawObject): string[] {
  return listOf(doc, 'model_configs').map((m) =>
    typeof m['alias'] === 'string' ? m['alias'] : '',
  );
}

/** A deep copy of plain JSON data (a `$state` proxy included). */
export function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** Appends a new column of `type` (uniquely named, on the design's first model). */
export function columnAdded(doc: RawObject, type: ColumnType): Edit {
  const names = columnNamesOf(doc);
  const name = uniqueName(type === 'sampler' ? 'sampled' : type.replace(/-/g, '_'), names);
  const ready = readyModel(doc, type);
  const column = newColumn(type, name, {
    modelAlias: ready.alias,
    columns: names.filter((n) => n !== ''),
  });
  return (d) => {
    ready.add(d);
    if (!Array.isArray(d['columns'])) d['columns'] = [];
    (d['columns'] as RawObject[]).push(column);
  };
}

/**
 * A new model on the simulated provider (and that provider, when the design has none),
 * given to column `index` when given: its alias, and the edit.
 */
export function simulatedModelAdded(doc: RawObject, index?: number): { alias: string; edit: Edit } {
  const { alias, add } = newSimulatedModel(doc);
  return {
    alias,
    edit: (d) => {
      add(d);
      const col = index === undefined ? undefined : (d['columns'] as RawObject[])[index];
      if (col) col['model_alias'] = alias;
    },
  };
}

/** A copy of column `index` right after it, named `<name>_copy`; null when there is no such column. */
export function columnDuplicated(doc: RawObject, index: number): Edit | null {
  const source = listOf(doc, 'columns')[index];
  if (!source) return null;
  const copy = clone(source);
  copy['name'] = uniqueName(`${String(source['name'] ?? 'column')}_copy`, columnNamesOf(doc));
  return (d) => (d['columns'] as RawObject[]).splice(index + 1, 0, copy);
}

/** Column `index` as a column of `type`, keeping its name and common fields; null when it is one already. */
export function columnTypeChanged(doc: RawObject, index: number, type: ColumnType): Edit | null {
  const old = listOf(doc, 'columns')[index];
  if (!old || old['column_type'] === type) return null;
  const name = String(old['name'] ?? '');
  const ready = readyModel(doc, type);
  const fresh = newColumn(type, name, {
    modelAlias: ready.alias,
    columns: columnNamesOf(doc).filter((n) => n !== '' && n !== name),
  });
  if (old['drop'] !== undefined) fresh['drop'] = old['drop'];
  for (const key of ['skip', 'propagate_skip']) {
    if (old[key] !== undefined && type !== 'sampler' && type !== 'seed-dataset')
      fresh[key] = old[key];
  }
  return (d) => {
    ready.add(d);
    (d['columns'] as RawObject[])[index] = fresh;
  };
}

/** Sampler column `index` on sampler `type`, with that sampler's default params. */
export function samplerTypeChanged(doc: RawObject, index: number, type: SamplerType): Edit {
  const others = columnNamesOf(doc).filter((n, i) => i !== index && n !== '');
  return (d) => {
    const col = (d['columns'] as RawObject[])[index];
    if (!col) return;
    col['sampler_type'] = type;
    col['params'] = defaultSamplerParams(type, others);
    delete col['conditional_params'];
    delete col['convert_to'];
  };
}

/** The alias a new column of `type` gets, and the edit that adds its model when the design has none. */
function readyModel(doc: RawObject, type: ColumnType): { alias: string | undefined; add: Edit } {
  const alias = modelAliasesOf(doc).find((a) => a !== '');
  if (alias !== undefined || !MODEL_COLUMN_TYPES.has(type)) return { alias, add: () => {} };
  return newSimulatedModel(doc);
}

/** A new model on the simulated provider: its alias, and the edit that adds it (and the provider when missing). */
function newSimulatedModel(doc: RawObject): { alias: string; add: Edit } {
  const { provider, model } = simulatedModel(
    listOf(doc, 'model_providers'),
    listOf(doc, 'model_configs'),
  );
  return { alias: String(model['alias']), add: (d) => addModel(d, provider, model) };
}

/** Adds `model` (and `provider`, when given) to `doc`. */
function addModel(doc: RawObject, provider: RawObject | null, model: RawObject): void {
  if (provider) {
    if (!Array.isArray(doc['model_providers'])) doc['model_providers'] = [];
    (doc['model_providers'] as RawObject[]).push(provider);
  }
  if (!Array.isArray(doc['model_configs'])) doc['model_configs'] = [];
  (doc['model_configs'] as RawObject[]).push(model);
}
