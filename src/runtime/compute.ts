/**
 * The compute worker's API (workers/compute.worker.ts): CPU-heavy work the engine
 * worker hands off: row groups to encode and commit to IndexedDB (the group, its
 * manifest and run info in one transaction), processor tables to encode, and
 * generation blocks (offload.ts). Columns cross packed (column-pack.ts) instead of
 * row objects, their buffers transferred.
 */
import * as Comlink from 'comlink';
import type { Remote } from 'comlink';
import type { ColumnTypes } from '../core/export/column-types.ts';
import { encodeColumnBlock, toColumnBlock } from './encode.ts';
import type { ColumnBlock, EncodedGroup, RowGroupEncoder } from './encode.ts';
import { BlockRunner } from './offload.ts';
import type { BlockRequest, BlockResult, RunBlock } from './offload.ts';
import { settle, settleTransfer, unwrap } from './protocol.ts';
import type { WorkerResult } from './protocol.ts';
import type { WorkerPool } from './worker-pool.ts';
import { idbBackend } from './idb-backend.ts';
import type { KvBackend } from './idb-backend.ts';
import { writeCommit } from './idb-store.ts';
import type { GroupCommit, GroupWriter, RunInfo } from './idb-store.ts';

export interface ComputeApi {
  /** A row group, one array per column, as Arrow IPC bytes (transferred back) with the run's widened types. */
  encodeColumns(
    block: ColumnBlock,
    columns: string[],
    known: ColumnTypes,
  ): Promise<WorkerResult<EncodedGroup>>;
  /**
   * Encodes a row group and writes its commit to IndexedDB database `dbName` in one
   * transaction (idb-store.ts writeCommit); the run's new info comes back.
   */
  commitGroup(
    block: ColumnBlock,
    commit: GroupCommit,
    dbName: string,
  ): Promise<WorkerResult<RunInfo>>;
  /** Runs one whole-column generator on one block; numeric result columns transferred back. */
  generateBlock(request: BlockRequest): Promise<WorkerResult<BlockResult>>;
}

/** The implementation a compute worker exposes (one per worker: it caches compiled configs). */
export function createComputeApi(): ComputeApi {
  const runner = new BlockRunner();
  const backends = new Map<string, KvBackend>();
  const backend = (dbName: string): KvBackend => {
    let kv = backends.get(dbName);
    if (!kv) backends.set(dbName, (kv = idbBackend(dbName)));
    return kv;
  };
  return {
    commitGroup: (block, commit, dbName) =>
      settle(() =>
        writeCommit(
          backend(dbName),
          commit,
          encodeColumnBlock(block, commit.group.columns, commit.info.types),
        ),
      ),
    encodeColumns: (block, columns, known) =>
      settleTransfer(
        () => encodeColumnBlock(block, columns, known),
        (v) => [v.ipc.buffer],
      ),
    generateBlock: async (request) => {
      let transfer: ArrayBuffer[] = [];
      const result = await settle(async () => {
        const out = await runner.run(request);
        transfer = out.transfer;
        return out.result;
      });
      return result.ok ? Comlink.transfer(result, transfer) : result;
    },
  };
}

/** A RowGroupEncoder that encodes on the compute pool, posting columns rather than rows. */
export function poolEncoder(pool: WorkerPool<ComputeApi>): RowGroupEncoder {
  return {
    encode: async (values, length, columns, known) =>
      unwrap(
        await pool.run<WorkerResult<EncodedGroup>>((api: Remote<ComputeApi>) => {
          // Built per attempt: a retry after a lost worker cannot reuse transferred buffers.
          const { block, transfer } = toColumnBlock(values, length, columns);
          return api.encodeColumns(Comlink.transfer(block, transfer), columns, known);
        }),
      ),
  };
}

/** A GroupWriter that encodes and writes on the compute pool (database `dbName`). */
export function poolWriter(pool: WorkerPool<ComputeApi>, dbName: string): GroupWriter {
  return {
    write: async (values, length, commit) =>
      unwrap(
        await pool.run<WorkerResult<RunInfo>>((api: Remote<ComputeApi>) => {
          // Built per attempt: a retry after a lost worker cannot reuse transferred buffers.
          const { block, transfer } = toColumnBlock(values, length, commit.group.columns);
          return api.commitGroup(Comlink.transfer(block, transfer), commit, dbName);
        }),
      ),
  };
}

/** Runs generation blocks (offload.ts) on the compute pool. */
export function poolBlockRunner(pool: WorkerPool<ComputeApi>): RunBlock {
  return async (request, signal) =>
    unwrap(
      await pool.run<WorkerResult<BlockResult>>(
        (api: Remote<ComputeApi>) => api.generateBlock(request),
        signal,
      ),
    );
}
