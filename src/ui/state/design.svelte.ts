/**
 * The design being edited: its config document (validated, undoable:
 * design-document.svelte.ts), the column and section open in the designer, the
 * column edits, and persistence across reloads as one of the designs saved in this
 * browser (designs.svelte.ts), among which it switches.
 * Secrets (api_key) stay in memory unless the user ticks "remember on this device".
 */
import { redactSecrets } from '../../core/config/secrets.ts';
import type { ColumnType, SamplerType } from '../../core/config/types.ts';
import { blankDocument, type RawObject } from './defaults.ts';
import {
  columnAdded,
  columnDuplicated,
  clone,
  columnTypeChanged,
  samplerTypeChanged,
  simulatedModelAdded,
} from './column-edits.ts';
import { OtherTabDocument } from './other-tab-document.svelte.ts';
import { VisitKeys } from './visit-keys.ts';
import { DesignLibrary, type DesignEntry, type RemovedDesign } from './designs.svelte.ts';
import { DesignSeeds, type DesignSeed, type SeedFile } from './design-seeds.svelte.ts';
import type { SeedDataset } from '../../core/seed/types.ts';
import { setAt } from './paths.ts';
import { planRename, type RenamePlan } from './rename.ts';
import type { DesignSection } from './route.svelte.ts';

/** Where the design settings are kept between visits (the designs themselves: DESIGNS_KEYS). */
export const STORAGE_KEYS = {
  remember: 'tabsynth:remember-secrets',
} as const;

/** A deleted design, with what `restoreDesign` needs to bring it back (its seed file too). */
export interface DeletedDesign extends RemovedDesign {
  readonly seed: DesignSeed | undefined;
}

export class Design extends OtherTabDocument {
  #selected = $state<number | null>(0);
  #section = $state<DesignSection>('columns');
  #rememberSecrets = $state(false);
  /** Each design's seed file (memory only). */
  readonly #seeds = new DesignSeeds();
  readonly #storage: Storage | null;
  readonly #library: DesignLibrary;
  /** API keys typed this visit (memory only). */
  readonly #keys = new VisitKeys();
  /** Designs left while another tab's save held this tab's edits: those edits (memory only), shown and held again on return. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, not state
  readonly #heldEdits = new Map<string, RawObject>();

  /** `now` dates the designs' edits. Default: Date.now. */
  constructor(storage: Storage | null = globalThis.localStorage ?? null, now?: () => number) {
    super();
    this.#storage = storage;
    this.#library = new DesignLibrary(storage, now);
    this.#restore();
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
   * left), as when it is deleted here. The open design saved there is followed here
   * (OtherTabDocument). Returns the disposer. Default: window.
   */
  followOtherTabs(
    target?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>,
  ): () => void {
    const removed = (gone: readonly DesignEntry[], wasOpen: boolean) => {
      for (const e of gone) this.#seeds.delete(e.id);
      if (wasOpen) this.#openNext();
    };
    return this.#library.listen(target, removed, () => this.otherTabSaved());
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
    this.#leave();
    const current = this.#library.current;
    if (current && this.#isUntouchedBlank() && !this.#library.changedElsewhere) {
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
    // An unknown id leaves everything as it is, held edits included.
    if (id === this.#library.currentId || !this.designs.some((e) => e.id === id)) return;
    this.#leave();
    this.#library.select(id);
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
    const held = this.#heldEdits.get(id);
    this.#heldEdits.delete(id);
    this.#show(held ?? this.#withSecrets(this.#library.read(id) ?? blankDocument()));
    if (held) this.hold();
  }

  /** Before another design opens: this tab's held edits of the open one are kept for its return. */
  #leave(): void {
    if (this.changedInOtherTab)
      this.#heldEdits.set(this.#library.currentId, $state.snapshot(this.doc) as RawObject);
  }

  /** Shows `doc` as the open design, with an empty undo history. */
  #show(doc: RawObject): void {
    this.release();
    this.reset(doc);
    this.#selected = this.columns.length > 0 ? 0 : null;
    this.#section = 'columns';
  }

  /** `doc` with the keys typed this visit (the open design's included) for its providers of the same name. */
  #withSecrets(doc: RawObject): RawObject {
    this.#keys.note(this.doc);
    return this.#keys.fill(doc);
  }

  // -------------------------------------------------------------------------
  // Columns

  /** Adds a column of `type`; a model column in a design without a model gets a simulated one with it. */
  addColumn(type: ColumnType): void {
    this.change(columnAdded(this.doc, type));
    this.#selected = this.columns.length - 1;
    this.#section = 'columns';
  }

  /**
   * Adds a model on the simulated provider (and that provider, when the design has
   * none) and gives it to column `index` when given, as one undo step; returns its alias.
   */
  addSimulatedModel(index?: number): string {
    const { alias, edit } = simulatedModelAdded(this.doc, index);
    this.change(edit);
    return alias;
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
    const plan = planRename($state.snapshot(this.doc) as RawObject, from, to);
    this.seal();
    this.change((d) => {
      for (const e of plan.edits) setAt(d, e.path, e.value);
    });
    return plan;
  }

  duplicateColumn(index: number): void {
    const edit = columnDuplicated(this.doc, index);
    if (!edit) return;
    this.change(edit);
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
    const edit = columnTypeChanged(this.doc, index, type);
    if (edit) this.change(edit);
  }

  /** Changes a sampler column's sampler, with that sampler's default params. */
  setSamplerType(index: number, type: SamplerType): void {
    this.change(samplerTypeChanged(this.doc, index, type));
  }

  // -------------------------------------------------------------------------
  // Persistence

  /** The document as it may be stored: secrets only when the user opted in. */
  storable(): RawObject {
    return this.#storableOf($state.snapshot(this.doc) as RawObject);
  }

  #storableOf(doc: RawObject): RawObject {
    return this.#rememberSecrets ? doc : redactSecrets(doc);
  }

  setRememberSecrets(on: boolean): void {
    this.#rememberSecrets = on;
    this.#storage?.setItem(STORAGE_KEYS.remember, on ? '1' : '0');
    this.autosave();
  }

  protected override storedVersion(): RawObject | null {
    const doc = this.#library.read(this.#library.currentId);
    return doc && this.#withSecrets(doc);
  }

  protected override storedElsewhere(): boolean {
    return this.#library.changedElsewhere;
  }

  protected override write(): void {
    this.#library.save(this.storable());
  }

  /** Opens the design open last time; a first visit starts (and saves) the starter design. */
  #restore(): void {
    this.#rememberSecrets = this.#storage?.getItem(STORAGE_KEYS.remember) === '1';
    const current = this.#library.current;
    const doc = current ? this.#library.read(current.id) : null;
    if (doc) {
      this.#show(doc);
    } else if (!current) {
      this.#library.add('', this.storable());
    }
  }

  /** Every change is saved (OtherTabDocument: unless held); the selected column stays within the columns. */
  protected override changed(): void {
    if (this.#selected !== null && this.#selected >= this.columns.length) {
      this.#selected = this.columns.length > 0 ? this.columns.length - 1 : null;
    }
    this.autosave();
  }
}
