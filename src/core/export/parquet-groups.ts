/**
 * One Parquet file from a stream of row groups, one Parquet row group per input
 * group, streamed (SPEC 4). Each group is written by parquet-wasm's `writeParquet`
 * as a file of its own (a single row group of exactly its rows) and spliced into
 * the output by ParquetSplicer: its row-group bytes go to `write` before the next
 * group is read, so one group is held at a time, never the dataset.
 *
 * parquet-wasm must be initialised first (see parquet.ts).
 */
import { Table as WasmTable, writeParquet } from 'parquet-wasm/esm';
import { buildWriterProperties } from './parquet.ts';
import type { ParquetCompression } from './parquet.ts';
import { ParquetSplicer } from './parquet-concat.ts';

/** One row group to write. */
export interface ParquetGroupInput {
  /** The group as Arrow IPC stream bytes; every group has the same schema. */
  ipc: Uint8Array;
  /** Its row count (the Parquet row group's size). */
  rows: number;
}

export interface ParquetGroupsOptions {
  /** Codec for every column. Default (callers' choice, SPEC 4): 'zstd'. */
  compression: ParquetCompression;
  /** Checked before each group; aborting stops the export with its reason. Default: none. */
  signal?: AbortSignal | undefined;
  /** Called after each group's bytes were written. Default: none. */
  onGroup?: () => void;
}

export interface ParquetGroupsResult {
  /** Parquet row groups written (one per input group with rows). */
  rowGroups: number;
  /** Rows written. */
  rows: number;
  /** Bytes of the file. */
  bytes: number;
}

/**
 * Writes `groups`, in order, as one Parquet file through `write`. `write` receives
 * views of buffers it does not own past the call: it copies what it keeps.
 */
export async function writeParquetGroups(
  groups: AsyncIterable<ParquetGroupInput>,
  options: ParquetGroupsOptions,
  write: (chunk: Uint8Array) => Promise<void>,
): Promise<ParquetGroupsResult> {
  const splicer = new ParquetSplicer();
  for await (const group of groups) {
    options.signal?.throwIfAborted();
    await write(splicer.append(parquetGroupFile(group, options.compression)));
    options.onGroup?.();
  }
  options.signal?.throwIfAborted();
  await write(splicer.finish());
  return { rowGroups: splicer.rowGroups, rows: splicer.rows, bytes: splicer.bytes };
}

/** One group as a complete Parquet file holding a single row group. */
export function parquetGroupFile(
  group: ParquetGroupInput,
  compression: ParquetCompression,
): Uint8Array {
  // Built per call: writeParquet consumes its table and its properties.
  const properties = buildWriterProperties({ compression, rowGroupSize: Math.max(1, group.rows) });
  return writeParquet(WasmTable.fromIPCStream(group.ipc), properties);
}
