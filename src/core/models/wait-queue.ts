/**
 * A FIFO of waiters that leave it when their AbortSignal fires: the waiting part
 * the request limiter and the connection budget share.
 */
import { onAbort } from '../abort.ts';
import { cancelledError } from '../errors.ts';

/** A waiter: settled by its queue's owner, or rejected with RUN_CANCELLED on abort. */
export interface QueuedWaiter {
  reject: (err: unknown) => void;
  /** Stops listening to the signal; the owner calls it when it settles the waiter. */
  unsubscribe: (() => void) | undefined;
}

/** Appends `waiter` to `queue`; when `signal` aborts first, it leaves the queue rejected. */
export function enqueueWaiter<W extends QueuedWaiter>(
  queue: W[],
  waiter: W,
  signal: AbortSignal | undefined,
): void {
  if (signal) {
    waiter.unsubscribe = onAbort(signal, () => {
      const i = queue.indexOf(waiter);
      if (i >= 0) queue.splice(i, 1);
      waiter.reject(cancelledError(signal));
    });
  }
  queue.push(waiter);
}
