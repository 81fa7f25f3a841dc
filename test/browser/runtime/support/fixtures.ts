/** Helpers of the runtime's browser tests: unique databases, runs into a store, rows read back. */
import { runEngine } from '../../../../src/core/engine/run.ts';
import type { RunSettings } from '../../../../src/core/engine/plan.ts';
import type { Row, RowGroupStore } from '../../../../src/core/storage/types.ts';
import { loadBrowserPipeline } from '../../../../src/runtime/pipeline.ts';

/** A database name no other test uses. */
export function freshDbName(label: string): string {
  return `test-${label}-${crypto.randomUUID()}`;
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
