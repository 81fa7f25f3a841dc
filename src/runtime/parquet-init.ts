/** parquet-wasm in a page or worker: the wasm fetched by URL once, then marked ready for core. */
import init from 'parquet-wasm/esm';
import wasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { ensureParquetReady } from '../core/export/parquet.ts';

/** Initialises parquet-wasm once per worker (concurrent callers share the load). */
export function initParquetBrowser(): Promise<void> {
  return ensureParquetReady(() => init({ module_or_path: wasmUrl }));
}
