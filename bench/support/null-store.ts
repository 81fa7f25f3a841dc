import type { RowGroupData, RowGroupStore, RunManifest } from '../../src/core/storage/types.ts';

/** A store that keeps only the manifest: benchmarks measure the engine, not storage. */
export class NullStore implements RowGroupStore {
  #manifests = new Map<string, RunManifest>();
  rowsCommitted = 0;

  loadManifest(runId: string) {
    return Promise.resolve(this.#manifests.get(runId));
  }
  saveManifest(manifest: RunManifest) {
    this.#manifests.set(manifest.runId, manifest);
    return Promise.resolve();
  }
  commit(group: RowGroupData, manifest: RunManifest) {
    this.rowsCommitted += group.rowIndices.length;
    this.#manifests.set(manifest.runId, manifest);
    return Promise.resolve();
  }
  readRowGroup(): Promise<RowGroupData> {
    return Promise.reject(new Error('NullStore keeps no rows'));
  }
  listRuns() {
    return Promise.resolve([...this.#manifests.values()]);
  }
  deleteRun(runId: string) {
    this.#manifests.delete(runId);
    return Promise.resolve();
  }
}
