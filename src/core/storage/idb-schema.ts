/**
 * The browser run store's layout (src/runtime/idb-store.ts), its schema version and
 * the migrations that bring an older store up to it when the store opens.
 *
 * Keys, per run:
 * - `m/<runId>`: the RunManifest (with `schemaVersion` from schema 2 on);
 * - `g/<runId>/<id>`: a committed row group as Arrow IPC bytes (StoredGroup);
 * - `i/<runId>`: RunInfo: bytes stored and the run's widened column types;
 * - `l/<runId>`: LaunchRecord: what resume needs besides the manifest;
 * - `t/<runId>/<processor>/<id>`: the group's rows of a processor's second table (StoredGroup);
 * - `d/<runId>`: from schema 2 on, why the run was found damaged when read (DamageMark).
 * And once per database, from schema 2 on, `schema`: `{ version }`.
 *
 * Schema versions:
 * 1. The layout before versions: no `schema` key, manifests without `schemaVersion`
 *    (test/fixtures/store-v1 holds a store written by it).
 * 2. `schema` key; every manifest records the schema it was written under, so a run
 *    written by a newer tabsynth is told apart from a damaged one; `d/` damage marks.
 */
import { Fields, isPlainObject } from './check.ts';
import { SCHEMA_VERSION_FIELD } from './manifest-check.ts';

/** The schema this code writes and the newest it reads. */
export const IDB_SCHEMA_VERSION = 2;

/** The key of the database's `{ version }` record. */
export const SCHEMA_KEY = 'schema';

const MANIFEST_PREFIX = 'm/';
export const manifestKey = (runId: string) => `${MANIFEST_PREFIX}${runId}`;
export const infoKey = (runId: string) => `i/${runId}`;
export const launchKey = (runId: string) => `l/${runId}`;
export const damageKey = (runId: string) => `d/${runId}`;
const groupPrefix = (runId: string) => `g/${runId}/`;
export const groupKey = (runId: string, id: number) =>
  `${groupPrefix(runId)}${String(id).padStart(6, '0')}`;
const tablePrefix = (runId: string) => `t/${runId}/`;
export const tableKey = (runId: string, table: string, id: number) =>
  `${tablePrefix(runId)}${encodeURIComponent(table)}/${String(id).padStart(6, '0')}`;

/** The run a key belongs to, or undefined for a key of no run (`schema`). */
export function runOfKey(key: string): string | undefined {
  const kind = key.slice(0, 2);
  const rest = key.slice(2);
  if (kind === 'm/' || kind === 'i/' || kind === 'l/' || kind === 'd/') return rest;
  // g/<runId>/<id> and t/<runId>/<table>/<id>: the table name is URI-encoded, without '/'.
  const tail = kind === 'g/' ? 1 : kind === 't/' ? 2 : 0;
  if (tail === 0) return undefined;
  const parts = rest.split('/');
  return parts.length > tail ? parts.slice(0, -tail).join('/') : undefined;
}

/** The little of a key-value store a migration uses (KvBackend in the browser). */
interface MigrationKv {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  keys(): Promise<string[]>;
  /** Rewrites the values under `prefix` in one transaction; undefined from `change` leaves one. */
  updatePrefix(prefix: string, change: (value: unknown) => unknown): Promise<number>;
}

/** One step of the chain: brings a store of schema `from` to schema `from + 1`. */
export interface Migration {
  from: number;
  /** What it changes, for the reader of this list. */
  what: string;
  run(kv: MigrationKv): Promise<void>;
}

/** Every migration, oldest first: the store's history. Each is safe to run twice. */
export const MIGRATIONS: readonly Migration[] = [
  {
    from: 1,
    what: 'every manifest records the schema it was written under (schemaVersion: 2)',
    run: async (kv) => {
      await kv.updatePrefix(MANIFEST_PREFIX, (value) =>
        // A manifest that is not an object is damaged: left as found, its run shows why.
        isPlainObject(value) && value[SCHEMA_VERSION_FIELD] === undefined
          ? { ...value, [SCHEMA_VERSION_FIELD]: 2 }
          : undefined,
      );
    },
  },
];

/** What opening a store found and did. */
export interface OpenedSchema {
  /** The schema the store had when opened (the newest, for a new store). */
  found: number;
  /** The schema it has now: `IDB_SCHEMA_VERSION`, or `found` when that is newer. */
  version: number;
}

/**
 * Brings the store in `kv` up to `target` by running `migrations` in order, recording
 * the version after each step (a store closed half way resumes where it stopped). A
 * store of a newer schema is left as it is. An empty store starts at `target`.
 */
export async function migrateStore(
  kv: MigrationKv,
  migrations: readonly Migration[] = MIGRATIONS,
  target = IDB_SCHEMA_VERSION,
): Promise<OpenedSchema> {
  const stored = await kv.get(SCHEMA_KEY);
  const found =
    stored === undefined ? await unrecordedVersion(kv, target) : recordedVersion(stored);
  let version = found;
  for (const step of migrations) {
    if (step.from !== version || version >= target) continue;
    await step.run(kv);
    version = step.from + 1;
    await kv.set(SCHEMA_KEY, { version });
  }
  if (stored === undefined && version === found) await kv.set(SCHEMA_KEY, { version });
  return { found, version };
}

/** A store without a `schema` record: empty (it starts at `target`), or of schema 1, which had none. */
async function unrecordedVersion(kv: MigrationKv, target: number): Promise<number> {
  return (await kv.keys()).length === 0 ? target : 1;
}

/** The version in a `schema` record; an unreadable one counts as 1 (every migration is safe to run again). */
function recordedVersion(record: unknown): number {
  try {
    return Math.max(1, new Fields('store schema record', record).count('version'));
  } catch {
    return 1;
  }
}
