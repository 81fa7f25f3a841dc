/**
 * Issue 14, never lose work by a click: named designs saved in the browser. Opening
 * a config (example, import, share link, a stored run's) starts a new design and
 * keeps the one before; designs switch, rename and delete (with undo); the single
 * design older versions kept joins the list; secrets stay out of storage unless
 * remembered. A new design has a simulated model, so a first LLM column works at once.
 */
import { describe, expect, it } from 'vitest';
import { Design } from '../../../src/ui/state/design.svelte.ts';
import { DESIGNS_KEYS } from '../../../src/ui/state/designs.svelte.ts';
import { starterDocument } from '../../../src/ui/state/defaults.ts';
import { MemoryStorage } from './memory-storage.ts';
import { minutes, PRICE_CONFIG, samplerColumn } from './sampler-design.ts';

describe('named designs', () => {
  it('a first visit starts with the starter design, saved as the one design', () => {
    const storage = new MemoryStorage();
    const d = new Design(storage);
    expect(d.columnNames).toEqual(['topic', 'sentence']);
    expect(d.designs).toHaveLength(1);
    expect(new Design(storage).designs.map((e) => e.id)).toEqual([d.designId]);
  });

  it('the design an older version kept joins the list, so a returning user keeps their work', () => {
    const storage = new MemoryStorage();
    storage.setItem(DESIGNS_KEYS.legacy, JSON.stringify({ columns: [samplerColumn('kept')] }));
    const d = new Design(storage);
    expect(d.columnNames).toEqual(['kept']);
    expect(d.designs).toHaveLength(1);
    expect(storage.getItem(DESIGNS_KEYS.legacy)).toBeNull();
    // And it stays after the next reload.
    const again = new Design(storage);
    expect(again.columnNames).toEqual(['kept']);
    expect(again.designs).toHaveLength(1);
  });

  it('opening a config starts a new design; the edited one before stays and switches back intact', () => {
    const storage = new MemoryStorage();
    const d = new Design(storage);
    const first = d.designId;
    d.set('columns[0].name', 'subject');
    d.load(PRICE_CONFIG, 'Pricing');
    expect(d.name).toBe('Pricing');
    expect(d.columnNames).toEqual(['price']);
    expect(d.designs.map((e) => e.name).sort()).toEqual(['', 'Pricing']);
    // A new design has its own undo history: nothing to undo into the previous one.
    expect(d.canUndo).toBe(false);

    d.openDesign(first);
    expect(d.columnNames).toEqual(['subject', 'sentence']);
    expect(d.name).toBe('');

    // Both survive a reload, and the one open last opens again.
    const reloaded = new Design(storage);
    expect(reloaded.designId).toBe(first);
    expect(reloaded.columnNames).toEqual(['subject', 'sentence']);
    expect(reloaded.designs).toHaveLength(2);
  });

  it('a config opened over a "New design" never edited takes its place: no empty designs pile up', () => {
    const d = new Design(new MemoryStorage());
    d.newDesign();
    const blank = d.designId;
    d.load(PRICE_CONFIG, 'Pricing');
    expect(d.designId).toBe(blank);
    expect(d.name).toBe('Pricing');
    expect(d.columnNames).toEqual(['price']);
    expect(d.designs).toHaveLength(2);

    // Once edited, a new design is work: the next config opens beside it.
    d.newDesign();
    d.set('run.num_records', 5);
    d.load(PRICE_CONFIG, 'Again');
    expect(d.designs.map((e) => e.name).sort()).toEqual(['', '', 'Again', 'Pricing']);
  });

  it('the list shows the most recently edited design first, with its edit time', () => {
    const now = minutes();
    const d = new Design(new MemoryStorage(), now);
    const starter = d.designId;
    d.load(PRICE_CONFIG, 'Pricing');
    expect(d.designs.map((e) => e.name)).toEqual(['Pricing', '']);
    d.openDesign(starter);
    // Opening is no edit; editing is.
    expect(d.designs[0]?.name).toBe('Pricing');
    d.set('run.num_records', 5);
    expect(d.designs.map((e) => e.name)).toEqual(['', 'Pricing']);
    expect(d.designs[0]!.updatedAt).toBeGreaterThan(d.designs[1]!.updatedAt);
  });

  it('renaming a design names it in the list and for its runs, across a reload', () => {
    const storage = new MemoryStorage();
    const d = new Design(storage);
    const starter = d.designId;
    d.load(PRICE_CONFIG, 'Pricing');
    d.renameDesign(starter, 'Blog topics');
    d.rename('Prices 2026');
    const reloaded = new Design(storage);
    expect(reloaded.name).toBe('Prices 2026');
    expect(reloaded.designs.map((e) => e.name).sort()).toEqual(['Blog topics', 'Prices 2026']);
  });

  it('deleting the open design opens the next one; undo brings it back, open, with its columns', () => {
    const storage = new MemoryStorage();
    const d = new Design(storage);
    const starter = d.designId;
    d.load(PRICE_CONFIG, 'Pricing');
    const pricing = d.designId;
    const removed = d.deleteDesign(pricing);
    expect(removed).not.toBeNull();
    expect(d.designId).toBe(starter);
    expect(d.columnNames).toEqual(['topic', 'sentence']);
    expect(new Design(storage).designs.map((e) => e.id)).toEqual([starter]);

    d.restoreDesign(removed!);
    expect(d.designId).toBe(pricing);
    expect(d.columnNames).toEqual(['price']);
    expect(new Design(storage).designs.map((e) => e.id).sort()).toEqual([starter, pricing].sort());
  });

  it('deleting another design leaves the open one as it is', () => {
    const d = new Design(new MemoryStorage());
    const starter = d.designId;
    d.load(PRICE_CONFIG, 'Pricing');
    d.set('columns[0].params.high', 9);
    d.deleteDesign(starter);
    expect(d.name).toBe('Pricing');
    expect(d.get('columns[0].params.high')).toBe(9);
    expect(d.canUndo).toBe(true);
  });

  it('deleting the last design starts a new one', () => {
    const d = new Design(new MemoryStorage());
    d.deleteDesign(d.designId);
    expect(d.designs).toHaveLength(1);
    expect(d.columns).toEqual([]);
    expect(d.modelAliases).toEqual(['writer']);
  });

  it('SPEC 1 secrets: no design is stored with its API key unless remembered; a switch keeps the key typed', () => {
    const storage = new MemoryStorage();
    const d = new Design(storage);
    const withKey = {
      model_providers: [{ name: 'openai', endpoint: 'https://api.example.com/v1' }],
      model_configs: [{ alias: 'm', model: 'gpt', provider: 'openai' }],
      columns: [samplerColumn('a')],
    };
    d.load(withKey, 'One');
    const one = d.designId;
    d.set('model_providers[0].api_key', 'sk-secret-456');
    d.load(withKey, 'Two');
    expect(d.get('model_providers[0].api_key')).toBe('sk-secret-456');
    d.newDesign();
    d.openDesign(one);
    expect(d.get('model_providers[0].api_key')).toBe('sk-secret-456');
    expect(storage.text()).not.toContain('sk-secret-456');

    d.setRememberSecrets(true);
    expect(storage.text()).toContain('sk-secret-456');
  });

  it('a damaged stored list is read as none, and the legacy design (if any) joins a fresh one', () => {
    const storage = new MemoryStorage();
    storage.setItem(DESIGNS_KEYS.index, '{not json');
    const d = new Design(storage);
    expect(d.columnNames).toEqual(['topic', 'sentence']);
    expect(d.designs).toHaveLength(1);
  });
});

describe('getting started with a model column', () => {
  it('a new design has a simulated model, so a first LLM column validates at once', () => {
    const d = new Design(new MemoryStorage());
    d.newDesign();
    expect(d.name).toBe('');
    expect(d.columns).toEqual([]);
    d.addColumn('sampler');
    d.addColumn('llm-text');
    expect(d.get('columns[1].model_alias')).toBe('writer');
    expect(d.list('model_providers')).toEqual([{ name: 'simulated', provider_type: 'simulated' }]);
    expect(d.issues).toEqual([]);
  });

  it('an LLM column added to a design without models brings a simulated one, in the same undo step', () => {
    const d = new Design(new MemoryStorage());
    d.load({ columns: [samplerColumn('a')] });
    d.addColumn('llm-judge');
    expect(d.issues).toEqual([]);
    expect(d.modelAliases).toEqual(['model']);
    expect(d.get('columns[1].model_alias')).toBe('model');
    d.undo();
    expect(d.columnNames).toEqual(['a']);
    expect(d.list('model_configs')).toEqual([]);
    expect(d.list('model_providers')).toEqual([]);
  });

  it('changing a column to an LLM type in a design without models brings a simulated one', () => {
    const d = new Design(new MemoryStorage());
    d.load({ columns: [samplerColumn('a'), samplerColumn('b')] });
    d.setColumnType(1, 'llm-text');
    expect(d.issues).toEqual([]);
    expect(d.get('columns[1].model_alias')).toBe('model');
  });

  it('"New model" adds a simulated model beside the existing ones and gives it to the column', () => {
    const d = new Design(new MemoryStorage());
    d.load(starterDocument());
    const alias = d.addSimulatedModel(1);
    expect(alias).toBe('model');
    expect(d.modelAliases).toEqual(['writer', 'model']);
    expect(d.get('columns[1].model_alias')).toBe('model');
    // The design's simulated provider serves it: no second one.
    expect(d.list('model_providers')).toHaveLength(1);
    expect(d.issues).toEqual([]);
    d.undo();
    expect(d.modelAliases).toEqual(['writer']);
    expect(d.get('columns[1].model_alias')).toBe('writer');
  });
});
