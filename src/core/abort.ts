/**
 * One listener per AbortSignal, however many waiters it has. A run's signal is
 * shared by every request and sleep in flight (hundreds at once); adding a DOM
 * listener for each makes hosts warn of a leak (Node: MaxListenersExceededWarning)
 * and costs a listener-list scan on every removal. `onAbort` fans out instead.
 */

type Callbacks = Set<() => void>;

const registry = new WeakMap<AbortSignal, Callbacks>();

/**
 * Calls `callback` once when `signal` aborts. Returns the function that unsubscribes;
 * call it in `finally` once the wait is over. An already-aborted signal calls nothing:
 * check `signal.aborted` first.
 */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  let callbacks = registry.get(signal);
  if (!callbacks) {
    const set: Callbacks = new Set();
    callbacks = set;
    registry.set(signal, set);
    signal.addEventListener(
      'abort',
      () => {
        registry.delete(signal);
        for (const cb of [...set]) cb();
        set.clear();
      },
      { once: true },
    );
  }
  callbacks.add(callback);
  const set = callbacks;
  return () => {
    set.delete(callback);
  };
}
