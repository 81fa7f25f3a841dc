/**
 * Processors (SPEC 3.7) applied to one batch of rows. A processor returns the
 * surviving rows; one that throws fails the batch with PROCESSOR_FAILED, which
 * stops the run (Data Designer's rule): nothing unprocessed is committed, and the
 * row groups committed before stay exportable and resumable.
 */
import { ErrorCodes, TabsynthError } from '../errors.ts';
import type { PlanProcessor, ProcessorBatch, ProcessorStage } from './plan.ts';

export function processorsOf(
  processors: readonly PlanProcessor[],
  stage: ProcessorStage,
): PlanProcessor[] {
  return processors.filter((p) => p.stage === stage);
}

/** Runs `processors` in order over `batch`; rejects with PROCESSOR_FAILED naming the processor. */
export async function runProcessors(
  processors: readonly PlanProcessor[],
  batch: ProcessorBatch,
  rowGroup: number,
  signal: AbortSignal,
): Promise<ProcessorBatch> {
  let current = batch;
  for (const p of processors) {
    try {
      current = await p.process(current, signal);
    } catch (err) {
      throw processorError(p, rowGroup, err);
    }
    if (
      !Array.isArray(current.rows) ||
      !Array.isArray(current.rowIndices) ||
      current.rows.length !== current.rowIndices.length
    ) {
      throw new TabsynthError(
        ErrorCodes.PROCESSOR_FAILED,
        `processor "${p.name}" (${p.stage}) on row group ${rowGroup}: expected rows and rowIndices of equal length, found ${describe(current)}`,
      );
    }
  }
  return current;
}

function describe(batch: ProcessorBatch): string {
  const rows = Array.isArray(batch.rows) ? `${batch.rows.length} rows` : 'no rows array';
  const idx = Array.isArray(batch.rowIndices)
    ? `${batch.rowIndices.length} indices`
    : 'no rowIndices array';
  return `${rows} and ${idx}`;
}

function processorError(p: PlanProcessor, rowGroup: number, err: unknown): TabsynthError {
  const message = err instanceof Error ? err.message : String(err);
  return new TabsynthError(
    ErrorCodes.PROCESSOR_FAILED,
    `processor "${p.name}" (${p.stage}) failed on row group ${rowGroup}: ${message}`,
    { processor: p.name, stage: p.stage },
    { cause: err },
  );
}
