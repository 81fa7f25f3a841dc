/**
 * The designs saved in this browser: named designs, each with its last-edited time,
 * one of them open. Each design's document is stored under a key of its own, the
 * list under one index key that carries a schema version and is checked when read.
 * The single design older versions kept (`tabsynth:design`) joins the list on first
 * load, so a returning user keeps their work. What is stored is what the design
 * hands over: its secrets are already left out unless the user opted in.
 */
import type { RawObject } from './defaults.ts';
import { randomUuid } from '../../core/random/uuid.ts';

/** Where the designs are kept. */
export const DESIGNS_KEYS = {
  /** The list: `{ version, current, designs: [{ id, name, updatedAt }] }`. */
  index: 'tabsynth:designs',
  /** Followed by a design's id: its document (JSON). */
  docPrefix: 'tabsynth:designs:',
  /** The one design kept before there was a list. */
  legacy: 'tabsynth:design',
} as const;

const VERSION = 1;

/** One saved design, as the list shows it. */
export interface DesignEntry {
  /** Stable id (its storage key's suffix). */
  readonly id: string;
  /** As typed; '' when unnamed. */
  readonly name: string;
  /** When its document last changed (ms since the epoch). */
  readonly updatedAt: number;
  /** When it was last named (ms since the epoch); absent when never renamed. Of two tabs' names, the later wins. */
  readonly namedAt?: number;
}

/** A deleted design, kept so the deletion can be undone. */
export interface RemovedDesign {
  readonly entry: DesignEntry;
  /** Its stored document (JSON text), null when it had none. */
  readonly doc: string | null;
  /** It was the open design. */
  readonly wasCurrent: boolean;
}

interface StoredIndex {
  current: string;
  designs: DesignEntry[];
}

function isEntry(v: unknown): v is DesignEntry {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return (
    typeof e['id'] === 'string' &&
    e['id'] !== '' &&
    typeof e['name'] === 'string' &&
    typeof e['updatedAt'] === 'number' &&
    Number.isFinite(e['updatedAt']) &&
    (e['namedAt'] === undefined ||
      (typeof e['namedAt'] === 'number' && Number.isFinite(e['namedAt'])))
  );
}

/** The stored index, or null when there is none or it is not one this version reads. */
function parseIndex(text: string | null): StoredIndex | null {
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v !== 'object' || v === null) return null;
    const o = v as Record<string, unknown>;
    if (o['version'] !== VERSION || !Array.isArray(o['designs'])) return null;
    const designs = o['designs'].filter(isEntry).map((e) => ({ ...e }));
    return { current: typeof o['current'] === 'string' ? o['current'] : '', designs };
  } catch {
    return null;
  }
}

/** Design `local` as another tab stored it (`other`): the later name, the later edit. */
function merged(local: DesignEntry, other: DesignEntry): DesignEntry {
  const later = (other.namedAt ?? 0) >= (local.namedAt ?? 0) ? other : local;
  return {
    ...local,
    name: later.name,
    ...(later.namedAt === undefined ? {} : { namedAt: later.namedAt }),
    updatedAt: Math.max(local.updatedAt, other.updatedAt),
  };
}

/** A document (a JSON object), or null when `text` is missing or damaged. */
function parseDoc(text: string | null): RawObject | null {
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as RawObject) : null;
  } catch {
    return null;
  }
}

export class DesignLibrary {
  #entries = $state.raw<DesignEntry[]>([]);
  #currentId = $state('');
  /** Documents as JSON text, written through to storage (so a full or denied storage loses nothing this visit). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a cache behind #entries, not state
  readonly #docs = new Map<string, string>();
  /** Ids deleted here: another tab's list may still hold them (see `listen`). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, not state
  readonly #deleted = new Set<string>();
  /** Ids whose document this tab holds but could not store (storage full or denied): another tab cannot have deleted them. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, not state
  readonly #unstored = new Set<string>();
  /** Per design, the stored document this tab last wrote or read: what it knows storage holds. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, not state
  readonly #seen = new Map<string, string>();
  readonly #storage: Storage | null;
  readonly #now: () => number;

  /** Every design, most recently edited first. */
  readonly entries: readonly DesignEntry[] = $derived(
    [...this.#entries].sort((a, b) => b.updatedAt - a.updatedAt),
  );

  /**
   * The designs in `storage` (none when null: the list then lives in memory), the
   * legacy single design moved into the list. `now` dates edits. Default: Date.now.
   */
  constructor(storage: Storage | null, now: () => number = Date.now) {
    this.#storage = storage;
    this.#now = now;
    const index = parseIndex(this.#get(DESIGNS_KEYS.index));
    if (index) {
      this.#entries = index.designs;
      const current = index.designs.some((e) => e.id === index.current)
        ? index.current
        : (this.entries[0]?.id ?? '');
      this.#currentId = current;
    } else {
      this.#migrate();
    }
  }

  /** The open design's id; '' only while the list is empty. */
  get currentId(): string {
    return this.#currentId;
  }

  /** The open design's entry; undefined only while the list is empty. */
  get current(): DesignEntry | undefined {
    return this.#entries.find((e) => e.id === this.#currentId);
  }

  /** Design `id`'s stored document (as another tab may have stored it); null when it has none or it is damaged. */
  read(id: string): RawObject | null {
    const stored = this.#get(DESIGNS_KEYS.docPrefix + id);
    const text = this.#docText(id, stored);
    if (text !== null && text === stored) this.#seen.set(id, text);
    return parseDoc(text);
  }

  /**
   * Another tab stored the open design's document since this tab last wrote or read
   * it: this tab's next save would overwrite that tab's.
   */
  get changedElsewhere(): boolean {
    const id = this.#currentId;
    const stored = this.#get(DESIGNS_KEYS.docPrefix + id);
    const seen = this.#seen.get(id);
    return stored !== null && seen !== undefined && stored !== seen;
  }

  /** Adds a design holding `doc`, named `name`, and opens it; returns its id. */
  add(name: string, doc: RawObject): string {
    const id = randomUuid();
    this.#entries = [...this.#entries, { id, name, updatedAt: this.#now() }];
    this.#currentId = id;
    this.#setDoc(id, JSON.stringify(doc));
    this.#saveIndex();
    return id;
  }

  /** Stores the open design's document, edited now. */
  save(doc: RawObject): void {
    const id = this.#currentId;
    if (id === '') return;
    const at = this.#now();
    this.#entries = this.#entries.map((e) => (e.id === id ? { ...e, updatedAt: at } : e));
    this.#setDoc(id, JSON.stringify(doc));
    this.#saveIndex();
  }

  /** Opens design `id`; false when there is none. */
  select(id: string): boolean {
    if (!this.#entries.some((e) => e.id === id)) return false;
    this.#currentId = id;
    this.#saveIndex();
    return true;
  }

  /** Names design `id`. */
  rename(id: string, name: string): void {
    const at = this.#now();
    this.#entries = this.#entries.map((e) => (e.id === id ? { ...e, name, namedAt: at } : e));
    this.#saveIndex();
  }

  /**
   * Deletes design `id` (null when there is none). When it was the open one, the most
   * recently edited other design opens (none when it was the last).
   */
  remove(id: string): RemovedDesign | null {
    const entry = this.#entries.find((e) => e.id === id);
    if (!entry) return null;
    const removed: RemovedDesign = {
      entry,
      doc: this.#docText(id),
      wasCurrent: id === this.#currentId,
    };
    this.#entries = this.#entries.filter((e) => e.id !== id);
    if (removed.wasCurrent) this.#currentId = this.entries[0]?.id ?? '';
    this.#forget(id);
    this.#deleted.add(id);
    this.#remove(DESIGNS_KEYS.docPrefix + id);
    this.#saveIndex();
    return removed;
  }

  /** Undoes `remove`: the design is back, and open again when it was open. */
  restore(removed: RemovedDesign): void {
    if (this.#entries.some((e) => e.id === removed.entry.id)) return;
    this.#entries = [...this.#entries, removed.entry];
    this.#deleted.delete(removed.entry.id);
    if (removed.doc !== null) this.#setDoc(removed.entry.id, removed.doc);
    if (removed.wasCurrent) this.#currentId = removed.entry.id;
    this.#saveIndex();
  }

  /** The design kept before there was a list becomes the list's first (unnamed) design. */
  #migrate(): void {
    const doc = parseDoc(this.#get(DESIGNS_KEYS.legacy));
    if (!doc) return;
    this.add('', doc);
    // Only once it is safely in the list does the old copy go.
    if (this.#get(DESIGNS_KEYS.index) !== null) this.#remove(DESIGNS_KEYS.legacy);
  }

  /**
   * Follows the list as other tabs of this origin change it (a `storage` event for the
   * index on `target`, which never fires in the tab that wrote). Designs another tab
   * added join this list; a name given there later than here replaces this one; a
   * design deleted there (gone from its list, its document gone from storage) leaves
   * this list, and `onRemoved` hears which, and whether the open design was among them
   * (the most recently edited other design is then the open one); a design whose
   * document never reached storage (full or denied) stays, its document written again.
   * A design deleted here stays deleted, unless the other tab edited it after (its
   * document is back): the edit wins. When the stored list lacks what this one knows
   * (a tab wrote before it heard of this tab's change: a design, a later name, a later
   * edit), this tab writes it again, so every tab ends with the same list. When another
   * tab stores the open design's document (`changedElsewhere`), `onOpenStored` hears it.
   * Returns the disposer. Default target: window.
   */
  listen(
    target: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> = window,
    onRemoved: (removed: readonly DesignEntry[], wasOpen: boolean) => void = () => undefined,
    onOpenStored: () => void = () => undefined,
  ): () => void {
    const changed = (e: Event) => {
      const key = (e as StorageEvent).key;
      if (key === DESIGNS_KEYS.docPrefix + this.#currentId && this.changedElsewhere) onOpenStored();
      if (key !== DESIGNS_KEYS.index) return;
      const open = this.#currentId;
      const removed = this.#followStored();
      const wasOpen = removed.some((d) => d.id === open);
      if (removed.length > 0) onRemoved(removed, wasOpen);
    };
    target.addEventListener('storage', changed);
    return () => target.removeEventListener('storage', changed);
  }

  /** Merges the stored list into this one (see `listen`); returns the designs it removed. */
  #followStored(): DesignEntry[] {
    const stored = parseIndex(this.#get(DESIGNS_KEYS.index));
    if (!stored) return [];
    const hasDoc = (id: string) => this.#get(DESIGNS_KEYS.docPrefix + id) !== null;
    // A design deleted here that the stored list holds with its document back was
    // edited in the other tab before it heard of the delete: the edit wins, it is no
    // longer deleted, and the stored list already says so (nothing to write). Only a
    // stored list holding a deleted design without its document is written again; the
    // other tab then drops it (gone from the list, no document), so no tab writes twice.
    for (const e of stored.designs)
      if (this.#deleted.has(e.id) && hasDoc(e.id)) this.#deleted.delete(e.id);
    const kept: DesignEntry[] = [];
    const removed: DesignEntry[] = [];
    // Whether the stored list lacks something of this one's, to be written again.
    let behind = stored.designs.some((e) => this.#deleted.has(e.id));
    for (const local of this.#entries) {
      const other = stored.designs.find((e) => e.id === local.id);
      if (other) {
        kept.push(merged(local, other));
        behind ||= (local.namedAt ?? 0) > (other.namedAt ?? 0) || local.updatedAt > other.updatedAt;
      } else if (hasDoc(local.id)) {
        kept.push(local);
        behind = true;
      } else if (this.#unstored.has(local.id)) {
        // Never stored, so no other tab deleted it: kept, and once its document is
        // stored the list is written with it (not before: a list entry without its
        // document would read as deleted elsewhere).
        kept.push(local);
        const doc = this.#docs.get(local.id);
        if (doc !== undefined) behind ||= this.#setDoc(local.id, doc);
      } else {
        removed.push(local);
      }
    }
    const known = (id: string) => this.#entries.some((e) => e.id === id);
    const added = stored.designs.filter((e) => !known(e.id) && !this.#deleted.has(e.id));
    this.#entries = [...kept, ...added];
    for (const e of removed) this.#forget(e.id);
    if (removed.some((e) => e.id === this.#currentId)) this.#currentId = this.entries[0]?.id ?? '';
    if (behind) this.#saveIndex();
    return removed;
  }

  /** Lets go of what this tab keeps of design `id`'s document. */
  #forget(id: string): void {
    this.#docs.delete(id);
    this.#unstored.delete(id);
    this.#seen.delete(id);
  }

  /** Writes the list. */
  #saveIndex(): void {
    const index = { version: VERSION, current: this.#currentId, designs: this.#entries };
    this.#set(DESIGNS_KEYS.index, JSON.stringify(index));
  }

  /** The stored document (another tab may have changed it), unless this tab holds one it could not store. */
  #docText(id: string, stored = this.#get(DESIGNS_KEYS.docPrefix + id)): string | null {
    return (this.#unstored.has(id) ? null : stored) ?? this.#docs.get(id) ?? null;
  }

  /** Keeps design `id`'s document; whether it reached storage. */
  #setDoc(id: string, text: string): boolean {
    this.#docs.set(id, text);
    const stored = this.#set(DESIGNS_KEYS.docPrefix + id, text);
    if (stored) {
      this.#seen.set(id, text);
      this.#unstored.delete(id);
    } else {
      this.#unstored.add(id);
    }
    return stored;
  }

  #get(key: string): string | null {
    try {
      return this.#storage?.getItem(key) ?? null;
    } catch {
      return null; // Storage denied: as if empty.
    }
  }

  #remove(key: string): void {
    try {
      this.#storage?.removeItem(key);
    } catch {
      // Storage denied: nothing to free.
    }
  }

  /** Whether `value` was stored (false when there is no storage, or it is full or denied). */
  #set(key: string, value: string): boolean {
    try {
      if (!this.#storage) return false;
      this.#storage.setItem(key, value);
      return true;
    } catch {
      return false; // Storage full or denied: the designs still live in memory.
    }
  }
}
