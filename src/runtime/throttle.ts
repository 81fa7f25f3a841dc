/**
 * At most one call per interval (the progress cadence of the API: <= 10 a second):
 * the first value goes out at once, later ones are held and the latest is sent when
 * the interval has passed; `flush` sends what is held (the final state of a run).
 */
import { systemClock } from '../core/clock.ts';
import type { Clock } from '../core/clock.ts';

export interface Throttled<T> {
  (value: T): void;
  /** Sends the held value now, if any. */
  flush(): void;
  /** Drops the held value and stops the timer. */
  cancel(): void;
}

/** `send` called at most once per `intervalMs` (default 100) with the latest value. */
export function throttle<T>(
  send: (value: T) => void,
  intervalMs = 100,
  clock: Clock = systemClock,
): Throttled<T> {
  let held: { value: T } | undefined;
  let lastSent = -Infinity;
  let timer: AbortController | undefined;
  const fire = () => {
    timer = undefined;
    if (!held) return;
    const { value } = held;
    held = undefined;
    lastSent = clock.now();
    send(value);
  };
  const throttled = ((value: T) => {
    held = { value };
    if (timer) return;
    const wait = lastSent + intervalMs - clock.now();
    if (wait <= 0) return fire();
    timer = new AbortController();
    clock.sleep(wait, timer.signal).then(fire, () => undefined);
  }) as Throttled<T>;
  throttled.flush = () => {
    timer?.abort();
    fire();
  };
  throttled.cancel = () => {
    timer?.abort();
    timer = undefined;
    held = undefined;
  };
  return throttled;
}
