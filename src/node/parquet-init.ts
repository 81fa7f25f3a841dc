/**
 * parquet-wasm in Node: the `esm` build (the one core imports) initialised
 * synchronously from the .wasm file on disk. The package's own Node build is a
 * separate CommonJS instance whose objects do not mix with the esm build's.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initSync } from 'parquet-wasm/esm';
import { isParquetReady, markParquetReady } from '../core/export/parquet.ts';

const require = createRequire(import.meta.url);

/** Initialises parquet-wasm once; later calls do nothing. */
export function initParquetNode(): void {
  if (isParquetReady()) return;
  const wasmPath = require.resolve('parquet-wasm/esm/parquet_wasm_bg.wasm');
  initSync({ module: readFileSync(wasmPath) });
  markParquetReady();
}
