/**
 * A config document under edit: untyped (it may not validate while the user types),
 * validated by the core (issues keyed by path, so each shows at its field), changed
 * in undo steps. Design (design.svelte.ts) builds on it: the selection, the saved
 * designs, persistence; `changed` is its hook for every change of the document.
 */
import { validateConfig, type ValidationResult } from '../../core/config/validate.ts';
import type { ConfigIssue } from '../../core/errors.ts';
import { starterDocument, type RawObject } from './defaults.ts';
import { columnNamesOf, listOf, modelAliasesOf } from './column-edits.ts';
import { UndoStack } from './history.ts';
import { getAt, isUnder, setAt } from './paths.ts';

export abstract class DesignDocument {
  #doc = $state<RawObject>(starterDocument());
  /** Bumped on every undo-stack change, so canUndo/canRedo are reactive. */
  #historyVersion = $state(0);
  readonly #history = new UndoStack();

  /** The core's verdict on the current document. */
  readonly validation: ValidationResult = $derived(validateConfig($state.snapshot(this.#doc)));

  /** Every issue, or [] when the config is valid. */
  readonly issues: ConfigIssue[] = $derived(this.validation.ok ? [] : this.validation.issues);

  /** Column names in order (unnamed columns as ''). */
  readonly columnNames: string[] = $derived(columnNamesOf(this.#doc));

  /** Model aliases in order. */
  readonly modelAliases: string[] = $derived(modelAliasesOf(this.#doc));

  /** The config document as edited; changed through `set`, `change`, `load`. Default: a starter design or the saved one. */
  get doc(): RawObject {
    return this.#doc;
  }

  get columns(): RawObject[] {
    return this.list('columns');
  }

  /** The array at a root section; [] when missing. */
  list(key: string): RawObject[] {
    return listOf(this.#doc, key);
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
    this.changed();
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

  /** Shows `doc` in place of the document, with an empty undo history (not a change). */
  protected reset(doc: RawObject): void {
    this.#doc = doc;
    this.#history.clear();
    this.#historyVersion++;
  }

  /** Called after every change of the document: an edit, or an undo or redo step. */
  protected abstract changed(): void;

  #replace(json: string): void {
    this.#doc = JSON.parse(json) as RawObject;
    this.#historyVersion++;
    this.changed();
  }
}
