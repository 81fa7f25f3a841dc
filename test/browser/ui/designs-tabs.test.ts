/**
 * Two tabs of one origin share the design list (issue 14): a design added, renamed,
 * edited or deleted in one shows so in the other, no tab's work is lost to the
 * other's writes, and the tabs settle on one list (no endless rewriting).
 */
import { describe, expect, it } from 'vitest';
import { Design } from '../../../src/ui/state/design.svelte.ts';
import { DESIGNS_KEYS } from '../../../src/ui/state/designs.svelte.ts';
import { PRICE_CONFIG, samplerColumn } from './sampler-design.ts';
import { samePricesOpen, twoTabs } from './two-tabs.ts';

describe('two tabs', () => {
  it('two tabs: a design one adds joins the other when it is saved there, and stays when the other saves', () => {
    const { storage, tabA, tabB, bHears } = twoTabs(() => undefined);
    tabA.load(PRICE_CONFIG, 'From tab A');
    expect(tabB.designs.map((e) => e.name)).toEqual(['']);
    bHears();
    expect(tabB.designs.map((e) => e.name).sort()).toEqual(['', 'From tab A']);
    // Another key changing is not the list changing.
    storage.setItem(DESIGNS_KEYS.index, '{"version":1,"current":"","designs":[]}');
    bHears('tabsynth:other');
    expect(tabB.designs).toHaveLength(2);

    tabB.set('run.num_records', 7);
    tabB.load(PRICE_CONFIG, 'From tab B');
    expect(new Design(storage).designs.map((e) => e.name).sort()).toEqual([
      '',
      'From tab A',
      'From tab B',
    ]);
    // A design deleted in one tab is not brought back by the other tab's next save.
    const a = tabB.designs.find((e) => e.name === 'From tab A')!;
    tabB.deleteDesign(a.id);
    tabA.rename('A renamed');
    bHears();
    tabB.rename('B renamed');
    expect(tabB.designs.map((e) => e.name).sort()).toEqual(['', 'B renamed']);
  });

  it('two tabs: a design renamed in one is renamed in the other, and the other tab saving keeps the new name', () => {
    const { storage, tabA, tabB, aHears, bHears } = twoTabs((a) => a.load(PRICE_CONFIG, 'Prices'));
    const prices = tabA.designId;

    tabA.renameDesign(prices, 'Prices 2026');
    bHears();
    expect(tabB.designs.find((e) => e.id === prices)?.name).toBe('Prices 2026');
    expect(tabB.name).toBe('Prices 2026');

    tabB.set('run.num_records', 7);
    aHears();
    expect(tabA.name).toBe('Prices 2026');
    expect(new Design(storage).designs.find((e) => e.id === prices)?.name).toBe('Prices 2026');
  });

  it('two tabs: a rename is not undone by the other tab saving before it heard of it', () => {
    const { storage, tabA, tabB, aHears, bHears } = twoTabs((a) => a.load(PRICE_CONFIG, 'Prices'));
    const prices = tabA.designId;

    tabA.renameDesign(prices, 'Renamed in A');
    // Tab B saves its list before the event of A's rename reaches it.
    tabB.set('run.num_records', 3);
    aHears();
    expect(tabA.name).toBe('Renamed in A');
    // Tab A wrote its list again, and B hears it.
    bHears();
    expect(tabB.designs.find((e) => e.id === prices)?.name).toBe('Renamed in A');
    expect(new Design(storage).designs.find((e) => e.id === prices)?.name).toBe('Renamed in A');
  });

  it('two tabs: a design deleted in one leaves the other; the design open there gives way to the next', () => {
    let first = '';
    let prices = '';
    const { storage, tabA, tabB, aHears, bHears } = twoTabs((a) => {
      first = a.designId;
      a.load(PRICE_CONFIG, 'Prices');
      prices = a.designId;
      a.load({ columns: [samplerColumn('other')] }, 'Other');
    });
    tabB.openDesign(prices);

    tabA.deleteDesign(prices);
    bHears();
    expect(tabB.designs.map((e) => e.name).sort()).toEqual(['', 'Other']);
    expect(tabB.name).toBe('Other');
    expect(tabB.columnNames).toEqual(['other']);

    // Tab B saving does not bring it back; tab A deleting another design reaches B too.
    tabB.set('run.num_records', 5);
    aHears();
    expect(tabA.designs.map((e) => e.name).sort()).toEqual(['', 'Other']);
    tabA.deleteDesign(first);
    bHears();
    expect(tabB.designs.map((e) => e.name)).toEqual(['Other']);
    expect(new Design(storage).designs.map((e) => e.name)).toEqual(['Other']);
  });

  it('two tabs: a design deleted in one while the other edits it stays, edited, and the tabs stop rewriting the list', () => {
    const { storage, tabA, tabB, aHears, bHears } = twoTabs((a) => a.load(PRICE_CONFIG, 'Prices'));
    const prices = tabA.designId;
    tabB.openDesign(prices);

    tabA.deleteDesign(prices);
    // Tab B edits it before the event of A's delete reaches it: the edit wins.
    tabB.set('run.num_records', 3);
    // Each list write fires a storage event in the other tab; these rounds hear them all.
    for (let round = 0; round < 3; round++) {
      aHears();
      bHears();
    }
    const settled = storage.writesOf(DESIGNS_KEYS.index);
    aHears();
    bHears();
    expect(storage.writesOf(DESIGNS_KEYS.index)).toBe(settled);
    expect(tabA.designs.map((e) => e.name).sort()).toEqual(['', 'Prices']);
    tabA.openDesign(prices);
    expect(tabA.get('run.num_records')).toBe(3);
    expect(tabB.designs.map((e) => e.name).sort()).toEqual(['', 'Prices']);
  });

  it('two tabs: a design kept only in memory (storage full) stays when the other tab writes the list, and is stored once there is room', () => {
    const { storage, tabA, tabB, bHears } = twoTabs((a) => a.load(PRICE_CONFIG, 'Prices'));
    storage.full = true;
    tabB.load({ columns: [samplerColumn('kept')] }, 'Only in memory');
    const mine = tabB.designId;
    storage.full = false;

    tabA.renameDesign(tabA.designId, 'Prices 2');
    bHears();
    expect(tabB.designs.map((e) => e.name).sort()).toEqual(['', 'Only in memory', 'Prices 2']);
    expect(tabB.name).toBe('Only in memory');
    expect(tabB.columnNames).toEqual(['kept']);
    const reloaded = new Design(storage);
    reloaded.openDesign(mine);
    expect(reloaded.name).toBe('Only in memory');
    expect(reloaded.columnNames).toEqual(['kept']);
  });

  it('two tabs: the design edited last stays first in the list when the other tab writes the list before it heard of the edit', () => {
    let starter = '';
    let prices = '';
    const { storage, tabA, tabB, bHears } = twoTabs((a) => {
      starter = a.designId;
      a.load(PRICE_CONFIG, 'Prices');
      prices = a.designId;
      a.openDesign(starter);
      a.set('run.num_records', 3);
    });
    tabB.openDesign(prices);
    tabB.set('run.num_records', 4);
    // Tab A renames a design before the event of B's edit reaches it.
    tabA.renameDesign(starter, 'Blog topics');
    bHears();
    expect(tabB.designs.map((e) => e.name)).toEqual(['Prices', 'Blog topics']);
    expect(new Design(storage).designs.map((e) => e.name)).toEqual(['Prices', 'Blog topics']);
  });
});

describe('two tabs on the same design', () => {
  it("same design: a tab with nothing unsaved follows the other tab's save at once, without a notice", () => {
    const { tabA, tabB, aHears, bHears, key, stored } = samePricesOpen();
    tabA.set('run.num_records', 7);
    bHears(key);
    expect(tabB.get('run.num_records')).toBe(7);
    expect(tabB.changedInOtherTab).toBe(false);
    // Tab B's next edit keeps tab A's, and tab A follows it in turn.
    tabB.addColumn('sampler');
    expect(stored()).toBe(7);
    aHears(key);
    expect(tabA.columnNames).toHaveLength(2);
    expect(tabA.changedInOtherTab).toBe(false);
    // Following is an undo step: nothing of tab A's is out of reach.
    tabA.undo();
    expect(tabA.columnNames).toEqual(['price']);
    expect(tabA.get('run.num_records')).toBe(7);
  });

  it("same design: an edit made before hearing the other tab's save does not overwrite it; a notice waits for the choice", () => {
    const { tabB, tabA, bHears, key, stored } = samePricesOpen();
    tabA.set('run.num_records', 7);
    tabB.set('run.num_records', 9);
    expect(tabB.changedInOtherTab).toBe(true);
    expect(stored()).toBe(7);
    bHears(key);
    // Edits go on here, in memory only.
    tabB.set('run.num_records', 10, false);
    expect(tabB.get('run.num_records')).toBe(10);
    expect(tabB.changedInOtherTab).toBe(true);
    expect(stored()).toBe(7);
    // The list changing elsewhere is not this design being saved there.
    bHears(DESIGNS_KEYS.index);
    expect(tabB.changedInOtherTab).toBe(true);
  });

  it("same design: edits held by the other tab's save are still there, held, after opening another design and coming back", () => {
    const { tabA, tabB, prices, stored } = samePricesOpen();
    tabA.set('run.num_records', 7);
    tabB.set('run.num_records', 9);
    tabB.openDesign(tabB.designs.find((e) => e.id !== prices)!.id);
    expect(tabB.changedInOtherTab).toBe(false);
    tabB.openDesign(prices);
    expect(tabB.get('run.num_records')).toBe(9);
    expect(tabB.changedInOtherTab).toBe(true);
    expect(stored()).toBe(7);
    tabB.load(PRICE_CONFIG, 'Another');
    tabB.openDesign(prices);
    expect(tabB.get('run.num_records')).toBe(9);
    tabB.keepMine();
    expect(stored()).toBe(9);
  });

  it('same design: "Load their version" shows the other tab\'s as one undo step; Undo brings this tab\'s back and saves it', () => {
    const { tabA, tabB, bHears, key, stored } = samePricesOpen();
    tabA.set('run.num_records', 7);
    tabB.set('run.num_records', 9);
    tabB.addColumn('sampler');
    bHears(key);

    tabB.loadTheirVersion();
    expect(tabB.changedInOtherTab).toBe(false);
    expect(tabB.get('run.num_records')).toBe(7);
    expect(tabB.columnNames).toEqual(['price']);
    expect(stored()).toBe(7);
    tabB.undo();
    expect(tabB.get('run.num_records')).toBe(9);
    expect(tabB.columnNames).toHaveLength(2);
    expect(stored()).toBe(9);
    expect(tabB.changedInOtherTab).toBe(false);
  });

  it('same design: "Keep mine" writes this tab\'s version; the other tab follows it, or, with an edit of its own since, gets the notice in turn', () => {
    const { tabA, tabB, aHears, key, stored } = samePricesOpen();
    tabA.set('run.num_records', 7);
    tabB.set('run.num_records', 9);

    tabB.keepMine();
    expect(tabB.changedInOtherTab).toBe(false);
    expect(stored()).toBe(9);
    // Tab A edits before it hears of it: its save waits, tab B's stays stored.
    tabA.set('run.num_records', 5);
    expect(tabA.changedInOtherTab).toBe(true);
    expect(stored()).toBe(9);
    aHears(key);
    expect(tabA.changedInOtherTab).toBe(true);
    tabA.keepMine();
    expect(stored()).toBe(5);
    // Tab B edits before it hears of that: its turn to choose.
    tabB.set('run.num_records', 6);
    expect(tabB.changedInOtherTab).toBe(true);
    expect(stored()).toBe(5);
  });

  it('same design: a design saved in another tab while another design is open here opens as saved there', () => {
    let starter = '';
    const { tabA, tabB } = twoTabs((a) => {
      starter = a.designId;
      a.load(PRICE_CONFIG, 'Prices');
    });
    tabB.openDesign(starter);
    tabB.set('run.num_records', 4);
    tabA.openDesign(starter);
    tabA.set('run.num_records', 8);
    tabA.openDesign(tabB.designs.find((e) => e.name === 'Prices')!.id);
    tabB.openDesign(tabA.designId);
    tabB.openDesign(starter);
    expect(tabB.get('run.num_records')).toBe(8);
    expect(tabB.changedInOtherTab).toBe(false);
  });
});
