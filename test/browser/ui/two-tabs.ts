/** Two tabs of one origin on one storage, for the tests of tabs following each other. */
import { expect } from 'vitest';
import { Design } from '../../../src/ui/state/design.svelte.ts';
import { DESIGNS_KEYS } from '../../../src/ui/state/designs.svelte.ts';
import { MemoryStorage } from './memory-storage.ts';
import { minutes, PRICE_CONFIG } from './sampler-design.ts';

/**
 * Two tabs of one origin on one storage, tab A set up by `setUp` before tab B opens.
 * Each tab hears only the storage events the other's writes fire, when the test says.
 */
export function twoTabs(setUp: (tabA: Design) => void) {
  const storage = new MemoryStorage();
  const clock = minutes();
  const tabA = new Design(storage, clock);
  setUp(tabA);
  const tabB = new Design(storage, clock);
  const windowA = new EventTarget();
  const windowB = new EventTarget();
  tabA.followOtherTabs(windowA);
  tabB.followOtherTabs(windowB);
  const hears =
    (w: EventTarget) =>
    (key: string = DESIGNS_KEYS.index) =>
      w.dispatchEvent(new StorageEvent('storage', { key }));
  return { storage, tabA, tabB, aHears: hears(windowA), bHears: hears(windowB) };
}

/** Two tabs with design "Prices" open in both, and what storage holds of its run.num_records. */
export function samePricesOpen() {
  const tabs = twoTabs((a) => a.load(PRICE_CONFIG, 'Prices'));
  const prices = tabs.tabA.designId;
  const key = DESIGNS_KEYS.docPrefix + prices;
  expect(tabs.tabB.designId).toBe(prices);
  const stored = () =>
    (JSON.parse(tabs.storage.getItem(key) ?? '{}') as { run?: { num_records?: number } }).run
      ?.num_records;
  return { ...tabs, prices, key, stored };
}
