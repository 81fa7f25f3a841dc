/**
 * Yielding to the host's event loop from a long synchronous stretch (the
 * scheduler between large batch tasks), so timers, worker messages, IndexedDB
 * callbacks and abort signals get in.
 */

/**
 * Calls `callback` in a new macrotask. A MessageChannel round trip: browsers clamp
 * chained `setTimeout(0)` to 4 ms (a 4 ms pause per yield), Node to 1 ms. The
 * channel is closed on receipt, so it never keeps a Node process alive.
 */
export function onNextMacrotask(callback: () => void): void {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    channel.port1.close();
    callback();
  };
  channel.port2.postMessage(undefined);
}
