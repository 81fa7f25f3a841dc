/**
 * What crosses a worker boundary. Comlink keeps only name/message/stack of a thrown
 * error, so worker methods return a WorkerResult instead of throwing, and the
 * caller rebuilds the catalogue's error class with `fromWire` (src/core/errors.ts).
 */
import * as Comlink from 'comlink';
import { fromWire, toWire } from '../core/errors.ts';
import type { WireError } from '../core/errors.ts';

/** A worker method's outcome: a value, or the error as `{ code, message, details }`. */
export type WorkerResult<T> = { ok: true; value: T } | { ok: false; error: WireError };

/** Worker side: runs `fn`, turning a throw into an `{ ok: false }` result. */
export async function settle<T>(fn: () => Promise<T> | T): Promise<WorkerResult<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    return { ok: false, error: toWire(err) };
  }
}

/** Worker side: as `settle`, transferring the buffers `transferables(value)` names. */
export async function settleTransfer<T>(
  fn: () => Promise<T> | T,
  transferables: (value: T) => Transferable[],
): Promise<WorkerResult<T>> {
  const result = await settle(fn);
  return result.ok ? Comlink.transfer(result, transferables(result.value)) : result;
}

/** Caller side: the value, or the rebuilt error thrown. */
export function unwrap<T>(result: WorkerResult<T>): T {
  if (result.ok) return result.value;
  throw fromWire(result.error);
}

/** Worker side: calls a Comlink callback without letting its failure (a closed page) reach the caller. */
export function callSink<T>(sink: ((v: T) => unknown) | undefined, value: T): void {
  if (!sink) return;
  try {
    const r = sink(value);
    if (r instanceof Promise) r.catch(() => undefined);
  } catch {
    // The page went away; the work goes on.
  }
}
