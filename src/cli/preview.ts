/** `tabsynth preview CONFIG`: a few rows in memory, printed as a table. */
import { setMaxListeners } from 'node:events';
import { MAX_GROUP_ROWS, runEngine } from '../core/engine/run.ts';
import { MemoryStore } from '../core/storage/memory.ts';
import type { Row } from '../core/storage/types.ts';
import { definedOverrides, loadPipeline } from './config-file.ts';
import { formatSummary, formatTable } from './format.ts';
import { UsageError, type Output } from './output.ts';

export interface PreviewOptions {
  /** Rows to show. Default: 10. */
  rows: number | undefined;
  /** Run seed. Default: the config's. */
  seed: number | undefined;
  /** Run every model on the simulated provider. Default: false. */
  simulate: boolean;
}

const RUN_ID = 'preview';

export async function previewCommand(
  path: string,
  options: PreviewOptions,
  output: Output,
): Promise<number> {
  const rows = options.rows ?? 10;
  // Preview holds its rows in one row group: refused here, in the flag's own words.
  if (rows > MAX_GROUP_ROWS) {
    throw new UsageError(
      `preview -n: expected at most ${MAX_GROUP_ROWS} rows (they are held in memory at once; generate writes more), got ${rows}`,
    );
  }
  const overrides = definedOverrides({ numRecords: rows, seed: options.seed, bufferSize: rows });
  const pipeline = await loadPipeline(path, overrides, options.simulate);
  const store = new MemoryStore();
  const controller = new AbortController();
  // The engine listens on the signal once per running task: thousands is normal.
  setMaxListeners(0, controller.signal);
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const result = await runEngine({
      plan: pipeline.plan,
      transports: pipeline.transports,
      store,
      runId: RUN_ID,
      config: pipeline.redacted,
      configHash: pipeline.hash,
      signal: controller.signal,
    });
    const manifest = await store.loadManifest(RUN_ID);
    const all: Row[] = [];
    for (const id of store.committedGroupIds(RUN_ID))
      all.push(...(await store.readRowGroup(RUN_ID, id)).rows);
    output.out(formatTable(manifest?.columns ?? pipeline.plan.outputColumns, all));
    if (result.droppedRows > 0 || result.firstErrors.length > 0)
      output.err(formatSummary(result, 'preview'));
    return all.length > 0 ? 0 : 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
