/**
 * The runs stored in IndexedDB as the UI sees them: their list and the storage they
 * use, renaming and deleting them, reading their rows, configs and profiles, and
 * exporting them as files to download. Every call goes to the engine worker.
 */
import type {
  EngineClient,
  ExportFormat,
  RunConfig,
  RunProfile,
  RunSummary,
  StorageEstimate,
} from '../../runtime/engine-api.ts';
import { download } from '../lib/download.ts';
import { errorMessage as message, formatBytes } from '../lib/format.ts';
import type { ReadPage } from './run-rows.svelte.ts';

export class StoredRuns {
  #runs = $state.raw<RunSummary[]>([]);
  #storage = $state.raw<StorageEstimate | null>(null);
  /** A message about the last export ("Exported 1,000 rows to run-3f2a.parquet") or listing. */
  #notice = $state<string | null>(null);
  #exporting = $state<string | null>(null);
  readonly #client: () => Promise<EngineClient>;

  /** `client`: the engine client (started on first use). */
  constructor(client: () => Promise<EngineClient>) {
    this.#client = client;
  }

  /** The stored runs, as last listed. Default: []. */
  get runs(): RunSummary[] {
    return this.#runs;
  }
  /** The origin's storage use and quota, as last read. Default: null. */
  get storage(): StorageEstimate | null {
    return this.#storage;
  }
  /** A message about the last export or listing. */
  get notice(): string | null {
    return this.#notice;
  }
  /** The format (or table) being exported, if any. */
  get exporting(): string | null {
    return this.#exporting;
  }

  /** Lists the stored runs and the storage they use again; a failure shows as the notice. */
  async refresh(): Promise<void> {
    try {
      const client = await this.#client();
      const [runs, storage] = await Promise.all([client.listRuns(), client.storageEstimate()]);
      this.#runs = runs;
      this.#storage = storage;
    } catch (err) {
      this.#notice = `Could not list stored runs: ${message(err)}`;
    }
  }

  /**
   * Asks the browser to keep this origin's data, unless it already does (only the main
   * thread can ask). Resolves to whether the data is kept; a persist() that throws is a no.
   */
  async persist(client: EngineClient): Promise<boolean> {
    try {
      this.#storage = await client.storageEstimate();
      if (this.#storage.persisted) return true;
    } catch {
      // Unknown whether it is persistent: ask.
    }
    const granted = await client.requestPersistentStorage().catch(() => false);
    if (granted && this.#storage) this.#storage = { ...this.#storage, persisted: true };
    return granted;
  }

  /** Deletes a stored run (cancelling it first if it runs); `refresh` lists the runs again. */
  async delete(runId: string): Promise<void> {
    await (await this.#client()).deleteRun(runId);
  }

  /** Names a stored run (its exports are named after it). */
  async rename(runId: string, name: string): Promise<void> {
    await (await this.#client()).renameRun(runId, name);
    await this.refresh();
  }

  /** The config a stored run was started with, its name and seed file. */
  async config(runId: string): Promise<RunConfig> {
    return (await this.#client()).runConfig(runId);
  }

  /** Exports a run (or its processor table `table`) and hands the file to the browser's download. */
  async export(runId: string, format: ExportFormat, table?: string): Promise<void> {
    this.#exporting = table ?? format;
    this.#notice = null;
    try {
      const client = await this.#client();
      const result = await client.exportRun({ runId, format, ...(table ? { table } : {}) });
      if (result.blob) download(result.blob, result.fileName);
      this.#notice = `Exported ${result.rows.toLocaleString()} rows to ${result.fileName} (${formatBytes(result.bytes)})`;
    } catch (err) {
      this.#notice = `Export failed: ${message(err)}`;
    } finally {
      this.#exporting = null;
    }
  }

  /** Reads pages of stored run `runId`'s rows, decoded in the engine worker. */
  pageReader(runId: string): ReadPage {
    return async (range) => (await this.#client()).readRows(runId, range);
  }

  /** A stored run's column profiles, computed in the engine worker. */
  async profile(runId: string): Promise<RunProfile> {
    return (await this.#client()).profileRun(runId);
  }
}
