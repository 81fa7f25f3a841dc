/**
 * The compute worker's API (workers/compute.worker.ts): CPU-heavy work the engine
 * worker hands off. Results carry their buffers as transferables.
 */
import type { Remote } from 'comlink';
import type { ColumnTypes } from '../core/export/column-types.ts';
import type { Row } from '../core/storage/types.ts';
import { encodeRowGroup } from './encode.ts';
import type { EncodedGroup, RowGroupEncoder } from './encode.ts';
import { settleTransfer, unwrap } from './protocol.ts';
import type { WorkerResult } from './protocol.ts';
import type { WorkerPool } from './worker-pool.ts';

export interface ComputeApi {
  /** A row group as Arrow IPC bytes (transferred back) with the run's widened types. */
  encodeRowGroup(
    rows: Row[],
    columns: string[],
    known: ColumnTypes,
  ): Promise<WorkerResult<EncodedGroup>>;
}

/** The implementation the compute worker exposes. */
export const computeApi: ComputeApi = {
  encodeRowGroup: (rows, columns, known) =>
    settleTransfer(
      () => encodeRowGroup(rows, columns, known),
      (v) => [v.ipc.buffer],
    ),
};

/** A RowGroupEncoder that encodes on the compute pool. */
export function poolEncoder(pool: WorkerPool<ComputeApi>): RowGroupEncoder {
  return {
    encode: async (rows, columns, known) =>
      unwrap(
        await pool.run<WorkerResult<EncodedGroup>>((api: Remote<ComputeApi>) =>
          api.encodeRowGroup(rows, columns, known),
        ),
      ),
  };
}
