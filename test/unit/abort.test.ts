import { expect, it } from 'vitest';
import { onAbort } from '../../src/core/abort.ts';

it('fans one abort out to every waiter, and a waiter that left is not called', () => {
  const controller = new AbortController();
  const calls: string[] = [];
  onAbort(controller.signal, () => calls.push('a'));
  const leave = onAbort(controller.signal, () => calls.push('b'));
  onAbort(controller.signal, () => calls.push('c'));
  leave();
  controller.abort();
  expect(calls).toEqual(['a', 'c']);
});

it('adds a single listener to the signal however many wait on it', () => {
  const controller = new AbortController();
  let added = 0;
  const add = controller.signal.addEventListener.bind(controller.signal);
  controller.signal.addEventListener = ((...args: Parameters<typeof add>) => {
    added++;
    add(...args);
  }) as typeof add;
  for (let i = 0; i < 100; i++) onAbort(controller.signal, () => {});
  expect(added).toBe(1);
});
