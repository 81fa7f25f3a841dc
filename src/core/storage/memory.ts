/**
 * A RowGroupStore in memory: for tests, benchmarks and throwaway runs. Stored
 * values are structured clones, so a caller mutating what it passed in (or what
 * it read back) never changes what is stored.
 */
import { ErrorCodes, RunError } from '../errors.ts';
import type { RowGroupData, RowGroupStore, RunManifest } from './types.ts';

interface StoredRun {
  manifest: RunManifest;
  groups: Map<number, RowGroupData>;
}

export class MemoryStore implements RowGroupStore {
  #runs = new Map<string, StoredRun>();

  loadManifest(runId: string): Promise<RunManifest | undefined> {
    const run = this.#runs.get(runId);
    return Promise.resolve(run ? structuredClone(run.manifest) : undefined);
  }

  saveManifest(manifest: RunManifest): Promise<void> {
    const run = this.#runs.get(manifest.runId);
    if (run) run.manifest = structuredClone(manifest);
    else this.#runs.set(manifest.runId, { manifest: structuredClone(manifest), groups: new Map() });
    return Promise.resolve();
  }

  commit(group: RowGroupData, manifest: RunManifest): Promise<void> {
    // Clone both first: if either throws, nothing changed.
    // Rows only: a group given column by column (values) is stored as its rows.
    const { values: _columns, ...rest } = group;
    const data = structuredClone({ ...rest, rows: group.rows });
    const meta = structuredClone(manifest);
    const run = this.#runs.get(manifest.runId) ?? { manifest: meta, groups: new Map() };
    run.manifest = meta;
    run.groups.set(data.id, data);
    this.#runs.set(manifest.runId, run);
    return Promise.resolve();
  }

  readRowGroup(runId: string, id: number): Promise<RowGroupData> {
    const run = this.#runs.get(runId);
    if (!run) {
      return Promise.reject(
        new RunError(ErrorCodes.RUN_NOT_FOUND, `no run "${runId}" in the store`),
      );
    }
    const data = run.groups.get(id);
    if (!data) {
      return Promise.reject(
        new RunError(
          ErrorCodes.RUN_NOT_FOUND,
          `run "${runId}" has no committed row group ${id} (committed: ${[...run.groups.keys()].join(', ') || 'none'})`,
        ),
      );
    }
    return Promise.resolve(structuredClone(data));
  }

  listRuns(): Promise<RunManifest[]> {
    return Promise.resolve([...this.#runs.values()].map((r) => structuredClone(r.manifest)));
  }

  deleteRun(runId: string): Promise<void> {
    this.#runs.delete(runId);
    return Promise.resolve();
  }

  /** Row groups committed for a run, in row order (a test and benchmark helper). */
  committedGroupIds(runId: string): number[] {
    const run = this.#runs.get(runId);
    return run ? [...run.groups.keys()].sort((a, b) => a - b) : [];
  }
}
