/**
 * The raw steps of the browser pipeline, on the same data, with nothing around
 * them (bench/pipeline-browser.bench.ts runs this in the harness page): the plain
 * generation loop (each whole-column generator over each row group, in order,
 * its columns kept as arrays),
 * Arrow building (to IPC bytes), one IndexedDB setMany of every group, one
 * parquet-wasm write (zstd) of the whole table.
 */
import { RecordBatchReader, Table } from 'apache-arrow';
import { createStore, setMany, clear } from 'idb-keyval';
import { arrowTableToIPC, columnsToArrowTable } from '../../src/core/export/arrow.ts';
import { inferColumnValuesTypes } from '../../src/core/export/column-types.ts';
import type { ColumnTypes } from '../../src/core/export/column-types.ts';
import { writeParquetBytes } from '../../src/core/export/parquet.ts';
import type { ModelAccess } from '../../src/core/engine/plan.ts';
import type { RunOverrides } from '../../src/runtime/engine-api.ts';
import { initParquetBrowser } from '../../src/runtime/parquet-init.ts';
import { loadBrowserPipeline } from '../../src/runtime/pipeline.ts';

/** Milliseconds of each raw step. */
export interface RawTimings {
  generateMs: number;
  arrowMs: number;
  idbMs: number;
  parquetMs: number;
  parquetBytes: number;
}

const noModels: ModelAccess = {
  chat: () => Promise.reject(new Error('the raw loop has no models')),
  embed: () => Promise.reject(new Error('the raw loop has no models')),
};

export async function rawSteps(config: string, overrides: RunOverrides): Promise<RawTimings> {
  const { plan } = await loadBrowserPipeline(config, { overrides });
  const { numRecords, bufferSize, seed } = plan.settings;
  const columns = plan.outputColumns;
  const signal = new AbortController().signal;
  let generateMs = 0;
  let arrowMs = 0;
  let types: ColumnTypes | undefined;
  const ipcs: Uint8Array[] = [];
  for (let g = 0; g * bufferSize < numRecords; g++) {
    const n = Math.min(bufferSize, numRecords - g * bufferSize);
    let t = performance.now();
    const columnValues = new Map<string, unknown[]>();
    const rowIndices = Array.from({ length: n }, (_, i) => g * bufferSize + i);
    for (const gen of plan.generators) {
      if (gen.granularity !== 'column') throw new Error(`raw loop: ${gen.name} is per cell`);
      const out = await gen.generate({
        columns: columnValues,
        rowIndices,
        rowGroup: g,
        runSeed: seed,
        signal,
        models: noModels,
      });
      for (const [name, values] of Object.entries(out.columns)) columnValues.set(name, values);
    }
    generateMs += performance.now() - t;
    t = performance.now();
    const record = Object.fromEntries(columnValues);
    types ??= inferColumnValuesTypes(record, columns);
    ipcs.push(arrowTableToIPC(columnsToArrowTable(n, record, columns, types)));
    arrowMs += performance.now() - t;
  }

  const store = createStore(`bench-raw-${crypto.randomUUID()}`, 'kv');
  let t = performance.now();
  await setMany(
    ipcs.map((ipc, i) => [i, ipc]),
    store,
  );
  const idbMs = performance.now() - t;
  await clear(store);

  await initParquetBrowser();
  t = performance.now();
  const batches = ipcs.flatMap((ipc) => [...RecordBatchReader.from(ipc)]);
  const table = new Table(batches);
  const parquet = writeParquetBytes(table, { compression: 'zstd', rowGroupSize: bufferSize });
  const parquetMs = performance.now() - t;
  return { generateMs, arrowMs, idbMs, parquetMs, parquetBytes: parquet.byteLength };
}
