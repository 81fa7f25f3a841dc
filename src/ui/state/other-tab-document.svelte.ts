/**
 * A document saved in this browser that another tab may have open too. When the other
 * tab saves it, this tab follows at once if it has nothing unsaved (the other tab
 * checked, before it saved, that it held what this tab stored last: nothing here is
 * lost), as an undo step. When this tab finds, about to save, that the other tab saved
 * since this tab last stored or read the document, it does not overwrite that save:
 * its own saves are held (edits here go on in memory) until the user loads the other
 * tab's version (one undo step: Undo brings this tab's back) or keeps this tab's
 * (written over theirs, so the other tab hears of it in turn). Design
 * (design.svelte.ts) says where the document is stored.
 */
import type { RawObject } from './defaults.ts';
import { DesignDocument } from './design-document.svelte.ts';

/** The undo step that following another tab's saves makes (not a path: never an edit's key). */
const FOLLOW_STEP = 'saved in another tab';

export abstract class OtherTabDocument extends DesignDocument {
  #held = $state(false);
  /** A change taken from storage, not to be saved back. */
  #taking = false;

  /** Another tab saved this document over edits made here: this tab's saves wait for the user's choice. Default: false. */
  get changedInOtherTab(): boolean {
    return this.#held;
  }

  /** Replaces this tab's document with the one another tab saved, as one undo step; saving resumes. */
  loadTheirVersion(): void {
    const theirs = this.storedVersion();
    this.#held = false;
    if (!theirs) {
      // Gone from storage meanwhile (deleted there): nothing to load, this tab's is kept.
      this.write();
      return;
    }
    this.seal();
    this.#take(theirs);
  }

  /** Writes this tab's document over the one another tab saved; saving resumes. */
  keepMine(): void {
    this.#held = false;
    this.write();
  }

  /** The stored document (as another tab may have saved it), null when none. */
  protected abstract storedVersion(): RawObject | null;

  /** Another tab saved the document since this tab last wrote or read it. */
  protected abstract storedElsewhere(): boolean;

  /** Stores this tab's document. */
  protected abstract write(): void;

  /** Another tab saved the document: followed at once unless this tab's saves are held. */
  protected otherTabSaved(): void {
    if (this.#held) return;
    const theirs = this.storedVersion();
    if (theirs) this.#take(theirs, FOLLOW_STEP);
  }

  /** Saves this tab's document, unless that would overwrite another tab's save (then held). */
  protected autosave(): void {
    if (this.#taking) return;
    if (!this.#held && this.storedElsewhere()) this.#held = true;
    if (!this.#held) this.write();
  }

  /** Another document is shown: nothing is held any more. */
  protected release(): void {
    this.#held = false;
  }

  /** The document shown holds edits another tab's save held: saves wait for the user's choice. */
  protected hold(): void {
    this.#held = true;
  }

  #take(doc: RawObject, step?: string): void {
    this.#taking = true;
    try {
      this.change((d) => {
        for (const k of Object.keys(d)) delete d[k];
        Object.assign(d, doc);
      }, step);
    } finally {
      this.#taking = false;
    }
  }
}
