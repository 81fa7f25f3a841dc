/**
 * Arrow tables to and from Parquet bytes through parquet-wasm (its `esm` build).
 *
 * The host initialises the wasm module once before any call here, then calls
 * `markParquetReady()` (or `ensureParquetReady(init)`):
 * - page or worker: `import wasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url'`,
 *   `await ensureParquetReady(() => init({ module_or_path: wasmUrl }))`;
 * - Node: `initParquetNode()` from src/node/parquet-init.ts.
 *
 * parquet-wasm's `writeParquet` consumes both its table and its WriterProperties,
 * so each call here builds new ones (a reused WriterProperties silently falls back
 * to no compression).
 */
import {
  Compression,
  Table as WasmTable,
  WriterPropertiesBuilder,
  readParquet,
  writeParquet,
} from 'parquet-wasm/esm';
import type { WriterProperties } from 'parquet-wasm/esm';
import type { Table } from 'apache-arrow';
import { ErrorCodes, TabsynthError } from '../errors.ts';
import { arrowTableFromIPC, arrowTableToIPC } from './arrow.ts';

export type ParquetCompression = 'zstd' | 'snappy' | 'none';

export interface ParquetWriteOptions {
  /** Codec for every column. Default (callers' choice, SPEC 4): 'zstd'. */
  compression: ParquetCompression;
  /** Most rows per Parquet row group. Default: all rows of the table in one group. */
  rowGroupSize?: number;
}

let ready = false;
let pending: Promise<void> | undefined;

/** Records that the host has initialised parquet-wasm (synchronously, e.g. initSync). */
export function markParquetReady(): void {
  ready = true;
}

/** Whether parquet-wasm may be used. */
export function isParquetReady(): boolean {
  return ready;
}

/** Runs `init` once (concurrent callers share it), then marks parquet-wasm ready. */
export function ensureParquetReady(init: () => Promise<unknown>): Promise<void> {
  if (ready) return Promise.resolve();
  pending ??= init().then(
    () => {
      ready = true;
    },
    (err: unknown) => {
      pending = undefined;
      throw err;
    },
  );
  return pending;
}

/** One Parquet file holding `table`. */
export function writeParquetBytes(table: Table, options: ParquetWriteOptions): Uint8Array {
  const properties = buildWriterProperties(options, table.numRows);
  return withWasm('writeParquetBytes', () => {
    const wasmTable = WasmTable.fromIPCStream(arrowTableToIPC(table));
    // writeParquet consumes both arguments: fresh ones every call.
    return writeParquet(wasmTable, properties);
  });
}

/** A Parquet file's rows as an Arrow table (field metadata included). */
export function readParquetTable(bytes: Uint8Array): Table {
  return withWasm('readParquetTable', () => arrowTableFromIPC(readParquet(bytes).intoIPCStream()));
}

/** New WriterProperties for one write; never reuse the result. */
export function buildWriterProperties(options: ParquetWriteOptions, numRows = 0): WriterProperties {
  const rowGroupSize = options.rowGroupSize ?? Math.max(1, numRows);
  if (!Number.isInteger(rowGroupSize) || rowGroupSize < 1) {
    throw new TabsynthError(
      ErrorCodes.INVALID_ARGUMENT,
      `Parquet rowGroupSize: expected a positive integer, got ${String(options.rowGroupSize)}`,
    );
  }
  return withWasm('buildWriterProperties', () =>
    new WriterPropertiesBuilder()
      .setCompression(codec(options.compression))
      .setMaxRowGroupSize(rowGroupSize)
      .setCreatedBy('tabsynth')
      .build(),
  );
}

function codec(compression: ParquetCompression): Compression {
  switch (compression) {
    case 'zstd':
      return Compression.ZSTD;
    case 'snappy':
      return Compression.SNAPPY;
    case 'none':
      return Compression.UNCOMPRESSED;
    default:
      throw new TabsynthError(
        ErrorCodes.INVALID_ARGUMENT,
        `Parquet compression: expected 'zstd', 'snappy' or 'none', got ${JSON.stringify(compression)}`,
      );
  }
}

/**
 * Runs a parquet-wasm call. The host may have initialised the wasm without telling
 * us, so an unmarked module is tried anyway; its TypeError then gets a clear message.
 */
function withWasm<T>(what: string, call: () => T): T {
  try {
    return call();
  } catch (err) {
    if (!ready && err instanceof TypeError) {
      throw new TabsynthError(
        ErrorCodes.INVALID_ARGUMENT,
        `${what}: parquet-wasm is not initialised; call ensureParquetReady (browser) or initParquetNode (Node) first`,
        {},
        { cause: err },
      );
    }
    throw err;
  }
}
