/**
 * The few IndexedDB operations the runtime uses, behind an interface so a test can
 * hand the store a backend that fails (QuotaExceededError after k commits). The
 * default is idb-keyval over one database holding one object store (idb-keyval's
 * `createStore` cannot open a second store name in the same database).
 */
import {
  createStore,
  delMany,
  get,
  getMany,
  keys,
  promisifyRequest,
  set,
  setMany,
} from 'idb-keyval';
import type { UseStore } from 'idb-keyval';
import type { AsyncKV } from '../core/models/cached.ts';

export interface KvBackend extends AsyncKV {
  getMany(keys: string[]): Promise<unknown[]>;
  /** Writes every entry in one transaction: all or none. */
  setMany(entries: [string, unknown][]): Promise<void>;
  delMany(keys: string[]): Promise<void>;
  /** Every key in the store. */
  keys(): Promise<string[]>;
  /**
   * Rewrites the values under keys starting with `prefix` in one transaction (so no
   * write in between is lost): `change` returns a value's replacement, or undefined
   * to leave it. Resolves, once committed, with how many it replaced.
   */
  updatePrefix(prefix: string, change: (value: unknown) => unknown): Promise<number>;
}

/** An idb-keyval backend over database `dbName` (object store "kv"). */
export function idbBackend(dbName: string): KvBackend {
  const store = createStore(dbName, 'kv');
  return {
    get: (key) => get(key, store),
    set: (key, value) => set(key, value, store),
    getMany: (k) => getMany(k, store),
    setMany: (entries) => setMany(entries, store),
    delMany: (k) => delMany(k, store),
    keys: () => keys<string>(store),
    updatePrefix: (prefix, change) => updatePrefix(store, prefix, change),
  };
}

function updatePrefix(
  store: UseStore,
  prefix: string,
  change: (value: unknown) => unknown,
): Promise<number> {
  return store('readwrite', async (os) => {
    let replaced = 0;
    const cursors = os.openCursor(IDBKeyRange.bound(prefix, `${prefix}\uffff`));
    cursors.onsuccess = () => {
      const cursor = cursors.result;
      if (!cursor) return;
      const next = change(cursor.value);
      if (next !== undefined) {
        cursor.update(next);
        replaced++;
      }
      cursor.continue();
    };
    await promisifyRequest(os.transaction);
    return replaced;
  });
}

/** Whether `err` is the browser's out-of-space error (DOMException QuotaExceededError). */
export function isQuotaError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const name = (err as { name?: unknown }).name;
  // Chromium may also report a full disk as an aborted transaction with QuotaExceededError inside.
  const inner = (err as { error?: unknown }).error;
  return name === 'QuotaExceededError' || (inner !== undefined && isQuotaError(inner));
}
