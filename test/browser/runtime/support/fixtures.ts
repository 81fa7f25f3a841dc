/** Helpers of the runtime's browser tests: unique databases, a run held mid-way, runs into a store, rows read back. */
import { runEngine } from '../../../../src/core/engine/run.ts';
import type { RunSettings } from '../../../../src/core/engine/plan.ts';
import type {
  Row,
  RowGroupData,
  RowGroupStore,
  RunManifest,
} from '../../../../src/core/storage/types.ts';
import { IdbRunStore } from '../../../../src/runtime/idb-store.ts';
import { loadBrowserPipeline } from '../../../../src/runtime/pipeline.ts';

/** A database name no other test uses. */
export function freshDbName(label: string): string {
  return `test-${label}-${crypto.randomUUID()}`;
}

/** A store whose second commit waits until `release()`: a run held mid-way. */
export class HeldStore extends IdbRunStore {
  #commits = 0;
  release: () => void = () => {};
  readonly held: Promise<void>;
  #reached: () => void = () => {};
  constructor(dbName: string) {
    super({ dbName });
    this.held = new Promise((resolve) => (this.#reached = resolve));
  }
  override async commit(group: RowGroupData, manifest: RunManifest): Promise<void> {
    if (++this.#commits === 2) {
      const released = new Promise<void>((resolve) => (this.release = resolve));
      this.#reached();
      await released;
    }
    await super.commit(group, manifest);
  }
}

/** Runs `config` (simulated) into `store` as run `runId`. */
export async function runInto(
  store: RowGroupStore,
  runId: string,
  config: string,
  overrides: Partial<RunSettings> = {},
  extra: { resume?: boolean; signal?: AbortSignal } = {},
) {
  const pipeline = await loadBrowserPipeline(config, { overrides, simulate: true });
  return runEngine({
    plan: pipeline.plan,
    transports: pipeline.transports,
    store,
    runId,
    config: pipeline.redacted,
    configHash: pipeline.hash,
    ...extra,
  });
}

/** Every committed row of a run, in row order. */
export async function allRows(store: RowGroupStore, runId: string): Promise<Row[]> {
  const manifest = await store.loadManifest(runId);
  const rows: Row[] = [];
  for (const g of [...(manifest?.committed ?? [])].sort((a, b) => a.id - b.id)) {
    rows.push(...(await store.readRowGroup(runId, g.id)).rows);
  }
  return rows;
}
