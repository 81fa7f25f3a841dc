/**
 * The design being edited: an untyped config document (it may not validate while
 * the user types), its validation by the core (issues keyed by path, so each
 * shows at its field), undo/redo, and persistence across reloads as one of the
 * designs saved in this browser (designs.svelte.ts), among which it switches.
 * Secrets (api_key) stay in memory unless the user ticks "remember on this device".
 */
import { validateConfig, type ValidationResult } from '../../core/config/validate.ts';
import { redactSecrets } from '../../core/config/secrets.ts';
import type { ColumnType, SamplerType } from '../../core/config/types.ts';
import type { ConfigIssue } from '../../core/errors.ts';
import {
  blankDocument,
  defaultSamplerParams,
  MODEL_COLUMN_TYPES,
  newColumn,
  simulatedModel,
  starterDocument,
  uniqueName,
  type RawObject,
} from './defaults.ts';
import { DesignLibrary, type DesignEntry, type RemovedDesign } from './designs.svelte.ts';
import { DesignSeeds, type DesignSeed, type SeedFile } from './design-seeds.svelte.ts';
import type { SeedDataset } from '../../core/seed/types.ts';
import { UndoStack } from './history.ts';
import { getAt, isUnder, setAt } from './paths.ts';
import { planRename, type RenamePlan } from './rename.ts';
import { impliedProviders } from './predefined-providers.ts';
import type { DesignSection } from './route.svelte.ts';

/** Where the design settings are kept between visits (the designs themselves: DESIGNS_KEYS). */
export const STORAGE_KEYS = {
  remember: 'tabsynth:remember-secrets',
} as const;

/** A deleted design, with what `restoreDesign` needs to bring it back (its seed file too). */
export interface DeletedDesign extends RemovedDesign {
  readonly seed: DesignSeed | undefined;
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

export class Design {
  #doc = $state<RawObject>(starterDocument());
  #selected = $state<number | null>(0);
  #section = $state<DesignSection>('columns');
  #rememberSecrets = $state(false);
  /** Each design's seed file (memory only). */
  readonly #seeds = new DesignSeeds();
  /** Bumped on every undo-stack change, so canUndo/canRedo are reactive. */
  #historyVersion = $state(0);
  readonly #history = new UndoStack();
  readonly #storage: Storage | null;
  readonly #library: DesignLibrary;
  /** API keys typed this visit, by provider name (memory only). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- read when a design opens, not state
  readonly #keys = new Map<string, string>();

  /** The core's verdict on the current document. */
  readonly validation: ValidationResult = $derived(validateConfig($state.snapshot(this.#doc)));

  /** Every issue, or [] when the config is valid. */
  readonly issues: ConfigIssue[] = $derived(this.validation.ok ? [] : this.validation.issues);

  /** Column names in order (unnamed columns as ''). */
  readonly columnNames: string[] = $derived(
    this.columns.map((c) => (typeof c['name'] === 'string' ? c['name'] : '')),
  );

  /** Model aliases in order. */
  readonly modelAliases: string[] = $derived(
    this.list('model_configs').map((m) => (typeof m['alias'] === 'string' ? m['alias'] : '')),
  );

  /** `now` dates the designs' edits. Default: Date.now. */
  constructor(storage: Storage | null = globalThis.localStorage ?? null, now?: () => number) {
    this.#storage = storage;
    this.#library = new DesignLibrary(storage, now);
    this.#restore();
  }

  /** The config document as edited; changed through `set`, `change`, `load`. Default: a starter design or the saved one. */
  get doc(): RawObject {
    return this.#doc;
  }

  /** Selected column index in the designer. Default: 0. */
  get selected(): number | null {
    return this.#selected;
  }

  /** Open designer section. Default: 'columns'. */
  get section(): DesignSection {
    return this.#section;
  }

  /** Keep API keys in this origin's storage. Default: false. */
  get rememberSecrets(): boolean {
    return this.#rememberSecrets;
  }

  /** The open design's seed dataset file (bytes in memory only). Default: null. */
  get seedFile(): SeedFile | null {
    return this.#seeds.get(this.#library.currentId)?.file ?? null;
  }

  /** The open design's seed file as read (columns, rows); null without one or until read. */
  get seedDataset(): SeedDataset | null {
    return this.#seeds.get(this.#library.currentId)?.dataset ?? null;
  }

  /** Opens column `index` in the editor (null: none). */
  select(index: number | null): void {
    this.#selected = index;
    this.#section = 'columns';
  }

  /** Opens a designer section. */
  openSection(section: DesignSection): void {
    this.#section = section;
  }

  /** A copy of the seed file's bytes to hand to the engine (the transfer empties it). */
  seedFileCopy(): SeedFile | null {
    const f = this.seedFile;
    return f ? { name: f.name, bytes: f.bytes.slice() } : null;
  }

  /**
   * Sets (or with null, forgets) the seed dataset file of the design open now, and reads
   * it: the file stays that design's even when another is opened before the read ends.
   * Settles when the read does; rejects with the reader's error (the file stays, by name).
   */
  setSeedFile(file: SeedFile | null): Promise<void> {
    return this.#seeds.set(this.#library.currentId, file);
  }

  get columns(): RawObject[] {
    return this.list('columns');
  }

  /** The array at a root section; [] when missing. */
  list(key: string): RawObject[] {
    const v = this.#doc[key];
    return Array.isArray(v) ? (v as RawObject[]) : [];
  }

  /** Appends `items` to a root section (created when missing) as one undo step. */
  append(key: string, ...items: RawObject[]): void {
    this.change((d) => {
      if (!Array.isArray(d[key])) d[key] = [];
      (d[key] as RawObject[]).push(...items);
    });
  }

  /** Removes item `index` of a root section as one undo step. */
  removeAt(key: string, index: number): void {
    this.change((d) => (d[key] as RawObject[]).splice(index, 1));
  }

  get canUndo(): boolean {
    void this.#historyVersion;
    return this.#history.canUndo;
  }

  get canRedo(): boolean {
    void this.#historyVersion;
    return this.#history.canRedo;
  }

  /** Issues whose path is `path` exactly. */
  issuesAt(path: string): ConfigIssue[] {
    return this.issues.filter((i) => i.path === path);
  }

  /** Issues at `prefix` or under it (a column's, a provider's). */
  issuesUnder(prefix: string): ConfigIssue[] {
    return this.issues.filter((i) => isUnder(i.path, prefix));
  }

  get(path: string): unknown {
    return getAt(this.#doc, path);
  }

  /** Sets one field (undefined removes it, so its default applies). Typing in one field is one undo step. */
  set(path: string, value: unknown, coalesce = true): void {
    this.change(() => setAt(this.#doc, path, value), coalesce ? path : undefined);
  }

  /** Applies `mutate` to the document as one undo step (or part of the step keyed `key`). */
  change(mutate: (doc: RawObject) => void, key?: string): void {
    const before = JSON.stringify(this.#doc);
    mutate(this.#doc);
    if (JSON.stringify(this.#doc) === before) return;
    this.#history.record(before, key);
    this.#historyVersion++;
    this.#save();
  }

  /** Ends the current typing step (on blur). */
  seal(): void {
    this.#history.seal();
  }

  undo(): void {
    const prev = this.#history.undo(JSON.stringify(this.#doc));
    if (prev !== undefined) this.#replace(prev);
  }

  redo(): void {
    const next = this.#history.redo(JSON.stringify(this.#doc));
    if (next !== undefined) this.#replace(next);
  }

  /** The design's name (the example's title, the imported file's, a stored run's), as typed (trim it where it is used); its runs carry it. Default: ''. */
  get name(): string {
    return this.#library.current?.name ?? '';
  }

  /** Names the design: its next runs carry the name. */
  rename(name: string): void {
    this.#library.rename(this.#library.currentId, name);
  }

  // -------------------------------------------------------------------------
  // The designs saved in this browser

  /** Every saved design, most recently edited first. */
  get designs(): readonly DesignEntry[] {
    return this.#library.entries;
  }

  /**
   * Follows the designs other tabs add, rename and delete (window `storage` events on
   * `target`): `designs` shows them as they are saved there. When the open design is
   * deleted there, the most recently edited other one opens (a new design when none is
   * left), as when it is deleted here. Returns the disposer. Default: window.
   */
  followOtherTabs(
    target?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>,
  ): () => void {
    return this.#library.listen(target, (removed, wasOpen) => {
      for (const e of removed) this.#seeds.delete(e.id);
      if (wasOpen) this.#openNext();
    });
  }

  /** The open design's id among `designs`. */
  get designId(): string {
    return this.#library.currentId;
  }

  /**
   * Opens `doc` (import, gallery, share link, a stored run's config) as a new design
   * named `name` (default: unnamed); the design open before stays in `designs`, with
   * its seed file. With `seedFile` when given (default: none; a "New design" never
   * edited, which the config replaces, keeps its own). Secrets typed earlier are
   * kept for providers of the same name, a predefined provider the new design's models
   * name included (it joins the design with its key).
   */
  load(doc: RawObject, name = '', seedFile?: SeedFile | null): void {
    const next = this.#withSecrets(clone(doc));
    const current = this.#library.current;
    if (current && this.#isUntouchedBlank()) {
      // A "New design" never edited holds no work: the config takes its place in the list.
      this.#library.rename(current.id, name);
      this.#library.save(this.#storableOf(next));
    } else {
      this.#library.add(name, this.#storableOf(next));
    }
    // A stored run's file that cannot be read shows by name; the preview names its fault.
    if (seedFile !== undefined) this.setSeedFile(seedFile).catch(() => undefined);
    this.#show(next);
  }

  /** The open design is an unnamed blank design as "New design" made it, not edited since. */
  #isUntouchedBlank(): boolean {
    return (
      this.#library.current?.name === '' &&
      JSON.stringify(this.storable()) === JSON.stringify(this.#storableOf(blankDocument()))
    );
  }

  /** Starts a new, unnamed design: no columns, a simulated model ready. */
  newDesign(): void {
    this.load(blankDocument());
  }

  /** Opens saved design `id` (its undo history starts afresh). */
  openDesign(id: string): void {
    if (id === this.#library.currentId) return;
    if (!this.#library.select(id)) return;
    this.#open(id);
  }

  /** Names saved design `id`. */
  renameDesign(id: string, name: string): void {
    this.#library.rename(id, name);
  }

  /**
   * Deletes saved design `id` and its seed file; returns what `restoreDesign` needs to
   * undo it (null when there is no such design). Deleting the open design opens the
   * most recently edited other one, or a new design when it was the last.
   */
  deleteDesign(id: string): DeletedDesign | null {
    const seed = this.#seeds.get(id);
    const removed = this.#library.remove(id);
    if (!removed) return null;
    this.#seeds.delete(id);
    const deleted = { ...removed, seed };
    if (removed.wasCurrent) this.#openNext();
    return deleted;
  }

  /** After the open design was deleted: opens the one the list opened next, or a new design when none is left. */
  #openNext(): void {
    const next = this.#library.current;
    if (next) this.#open(next.id);
    else this.newDesign();
  }

  /** Undoes `deleteDesign`: the design is back with its seed file, and open again when it was open. */
  restoreDesign(removed: DeletedDesign): void {
    this.#library.restore(removed);
    this.#seeds.restore(removed.entry.id, removed.seed);
    if (!removed.wasCurrent) return;
    this.#open(removed.entry.id);
  }

  /** Shows saved design `id` (a blank one when its document is gone), with this visit's keys. */
  #open(id: string): void {
    this.#show(this.#withSecrets(this.#library.read(id) ?? blankDocument()));
  }

  /** Shows `doc` as the open design, with an empty undo history. */
  #show(doc: RawObject): void {
    this.#doc = doc;
    this.#history.clear();
    this.#historyVersion++;
    this.#selected = this.columns.length > 0 ? 0 : null;
    this.#section = 'columns';
  }

  /** `doc` with the keys typed this visit (the open design's included) for its providers of the same name. */
  #withSecrets(doc: RawObject): RawObject {
    const keys = this.#secrets();
    const providers = Array.isArray(doc['model_providers'])
      ? (doc['model_providers'] as RawObject[])
      : [];
    for (const p of providers) {
      const key = keys.get(String(p['name']));
      if (key && (p['api_key'] === undefined || p['api_key'] === null)) p['api_key'] = key;
    }
    const models = Array.isArray(doc['model_configs']) ? (doc['model_configs'] as RawObject[]) : [];
    for (const p of impliedProviders(providers, models)) {
      const key = keys.get(String(p['name']));
      if (!key) continue;
      providers.push({ ...p, api_key: key });
      doc['model_providers'] = providers;
    }
    return doc;
  }

  // -------------------------------------------------------------------------
  // Columns

  /** Adds a column of `type`; a model column in a design without a model gets a simulated one with it. */
  addColumn(type: ColumnType): void {
    const name = uniqueName(
      type === 'sampler' ? 'sampled' : type.replace(/-/g, '_'),
      this.columnNames,
    );
    const ready = this.#readyModel(type);
    const column = newColumn(type, name, {
      modelAlias: ready.alias,
      columns: this.columnNames.filter((n) => n !== ''),
    });
    this.change((d) => {
      ready.add(d);
      if (!Array.isArray(d['columns'])) d['columns'] = [];
      (d['columns'] as RawObject[]).push(column);
    });
    this.#selected = this.columns.length - 1;
    this.#section = 'columns';
  }

  /**
   * Adds a model on the simulated provider (and that provider, when the design has
   * none) and gives it to column `index` when given, as one undo step; returns its alias.
   */
  addSimulatedModel(index?: number): string {
    const { alias, add } = this.#simulatedModel();
    this.change((d) => {
      add(d);
      const col = index === undefined ? undefined : (d['columns'] as RawObject[])[index];
      if (col) col['model_alias'] = alias;
    });
    return alias;
  }

  /** The alias a new column of `type` gets, and the edit that adds its model when the design has none. */
  #readyModel(type: ColumnType): { alias: string | undefined; add: (d: RawObject) => void } {
    const alias = this.modelAliases.find((a) => a !== '');
    if (alias !== undefined || !MODEL_COLUMN_TYPES.has(type)) return { alias, add: () => {} };
    return this.#simulatedModel();
  }

  /** A new model on the simulated provider: its alias, and the edit that adds it (and the provider when missing). */
  #simulatedModel(): { alias: string; add: (d: RawObject) => void } {
    const { provider, model } = simulatedModel(
      this.list('model_providers'),
      this.list('model_configs'),
    );
    return { alias: String(model['alias']), add: (d) => addModel(d, provider, model) };
  }

  removeColumn(index: number): void {
    this.removeAt('columns', index);
    const n = this.columns.length;
    this.#selected = n === 0 ? null : Math.min(index, n - 1);
  }

  /**
   * After a column was renamed `from` -> `to`: makes every reference to it (templates,
   * skip conditions, constraints, processors, target columns) name `to`, as one undo
   * step of its own. Returns what changed and what could not be rewritten.
   */
  renameReferences(from: string, to: string): RenamePlan {
    const plan = planRename($state.snapshot(this.#doc) as RawObject, from, to);
    this.#history.seal();
    this.change((d) => {
      for (const e of plan.edits) setAt(d, e.path, e.value);
    });
    return plan;
  }

  duplicateColumn(index: number): void {
    const source = this.columns[index];
    if (!source) return;
    const copy = clone($state.snapshot(source) as RawObject);
    copy['name'] = uniqueName(`${String(source['name'] ?? 'column')}_copy`, this.columnNames);
    this.change((d) => (d['columns'] as RawObject[]).splice(index + 1, 0, copy));
    this.#selected = index + 1;
  }

  /** Moves a column by `delta` places (reordering is cosmetic: the DAG decides run order). */
  moveColumn(index: number, delta: number): void {
    const to = index + delta;
    if (to < 0 || to >= this.columns.length) return;
    this.change((d) => {
      const cols = d['columns'] as RawObject[];
      const [moved] = cols.splice(index, 1);
      if (moved) cols.splice(to, 0, moved);
    });
    if (this.#selected === index) this.#selected = to;
  }

  /** Changes a column's type, keeping its name and common fields. */
  setColumnType(index: number, type: ColumnType): void {
    const old = this.columns[index];
    if (!old || old['column_type'] === type) return;
    const name = String(old['name'] ?? '');
    const ready = this.#readyModel(type);
    const fresh = newColumn(type, name, {
      modelAlias: ready.alias,
      columns: this.columnNames.filter((n) => n !== '' && n !== name),
    });
    if (old['drop'] !== undefined) fresh['drop'] = old['drop'];
    for (const key of ['skip', 'propagate_skip']) {
      if (old[key] !== undefined && type !== 'sampler' && type !== 'seed-dataset')
        fresh[key] = old[key];
    }
    this.change((d) => {
      ready.add(d);
      (d['columns'] as RawObject[])[index] = fresh;
    });
  }

  /** Changes a sampler column's sampler, with that sampler's default params. */
  setSamplerType(index: number, type: SamplerType): void {
    const others = this.columnNames.filter((_, i) => i !== index && _ !== '');
    this.change((d) => {
      const col = (d['columns'] as RawObject[])[index];
      if (!col) return;
      col['sampler_type'] = type;
      col['params'] = defaultSamplerParams(type, others);
      delete col['conditional_params'];
      delete col['convert_to'];
    });
  }

  // -------------------------------------------------------------------------
  // Persistence

  /** The document as it may be stored: secrets only when the user opted in. */
  storable(): RawObject {
    return this.#storableOf($state.snapshot(this.#doc) as RawObject);
  }

  #storableOf(doc: RawObject): RawObject {
    return this.#rememberSecrets ? doc : redactSecrets(doc);
  }

  setRememberSecrets(on: boolean): void {
    this.#rememberSecrets = on;
    this.#storage?.setItem(STORAGE_KEYS.remember, on ? '1' : '0');
    this.#save();
  }

  #save(): void {
    this.#library.save(this.storable());
  }

  /** Opens the design open last time; a first visit starts (and saves) the starter design. */
  #restore(): void {
    this.#rememberSecrets = this.#storage?.getItem(STORAGE_KEYS.remember) === '1';
    const current = this.#library.current;
    const doc = current ? this.#library.read(current.id) : null;
    if (doc) {
      this.#doc = doc;
      this.#selected = this.columns.length > 0 ? 0 : null;
    } else if (!current) {
      this.#library.add('', this.storable());
    }
  }

  #replace(json: string): void {
    this.#doc = JSON.parse(json) as RawObject;
    this.#historyVersion++;
    if (this.#selected !== null && this.#selected >= this.columns.length) {
      this.#selected = this.columns.length > 0 ? this.columns.length - 1 : null;
    }
    this.#save();
  }

  /**
   * Provider name to the API key typed for it this visit, in any design: the open
   * design's keys update it (a key cleared there is forgotten).
   */
  #secrets(): Map<string, string> {
    for (const p of this.list('model_providers')) {
      const name = String(p['name']);
      if (typeof p['api_key'] === 'string' && p['api_key'] !== '')
        this.#keys.set(name, p['api_key']);
      else this.#keys.delete(name);
    }
    return this.#keys;
  }
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
