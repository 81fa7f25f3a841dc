import { describe, expect, it } from 'vitest';
import { Design } from '../../../src/ui/state/design.svelte.ts';
import {
  exportConfigText,
  importConfigText,
  readShareFragment,
  shareFragment,
} from '../../../src/ui/state/config-io.ts';
import { MemoryStorage } from './memory-storage.ts';

const WITH_KEY = {
  model_providers: [
    { name: 'openai', endpoint: 'https://api.example.com/v1', api_key: 'sk-secret-123' },
  ],
  model_configs: [{ alias: 'm', model: 'gpt', provider: 'openai' }],
  columns: [
    { name: 'a', column_type: 'sampler', sampler_type: 'uniform', params: { low: 0, high: 1 } },
    { name: 'b', column_type: 'llm-text', model_alias: 'm', prompt: 'About {{ a }}' },
  ],
};

describe('design state', () => {
  it("SPEC 1 validation paths: the core's issue lands at the field's path", () => {
    const d = new Design(new MemoryStorage());
    d.load(WITH_KEY);
    expect(d.validation.ok).toBe(true);
    d.set('columns[0].params.high', -1);
    expect(
      d.issuesAt('columns[0].params.high').length + d.issuesAt('columns[0].params.low').length,
    ).toBeGreaterThan(0);
    expect(d.issuesUnder('columns[0]').length).toBeGreaterThan(0);
    expect(d.issuesUnder('columns[1]')).toEqual([]);
  });

  it('undo and redo step through edits; typing in one field is one step', () => {
    const d = new Design(new MemoryStorage());
    d.load(WITH_KEY);
    d.set('columns[1].prompt', 'A');
    d.set('columns[1].prompt', 'AB');
    d.set('columns[1].prompt', 'ABC');
    d.seal();
    d.addColumn('expression');
    expect(d.columns).toHaveLength(3);
    d.undo();
    expect(d.columns).toHaveLength(2);
    expect(d.get('columns[1].prompt')).toBe('ABC');
    d.undo();
    expect(d.get('columns[1].prompt')).toBe('About {{ a }}');
    d.redo();
    d.redo();
    expect(d.columns).toHaveLength(3);
    expect(d.canRedo).toBe(false);
  });

  it('columns: duplicate gets a fresh name, move reorders, remove deletes', () => {
    const d = new Design(new MemoryStorage());
    d.load(WITH_KEY);
    d.duplicateColumn(0);
    expect(d.columnNames).toEqual(['a', 'a_copy', 'b']);
    d.moveColumn(2, -2);
    expect(d.columnNames).toEqual(['b', 'a', 'a_copy']);
    d.removeColumn(1);
    expect(d.columnNames).toEqual(['b', 'a_copy']);
  });

  it('a new column of every type validates as added', () => {
    const d = new Design(new MemoryStorage());
    d.load(WITH_KEY);
    for (const type of [
      'sampler',
      'expression',
      'llm-text',
      'llm-code',
      'llm-structured',
      'llm-judge',
      'validation',
    ] as const) {
      d.addColumn(type);
      expect(d.issues, type).toEqual([]);
    }
  });

  it('the design survives a reload, without the API key unless remembered', () => {
    const storage = new MemoryStorage();
    const d = new Design(storage);
    d.load(WITH_KEY);
    expect(storage.text()).not.toContain('sk-secret-123');
    const reloaded = new Design(storage);
    expect(reloaded.columnNames).toEqual(['a', 'b']);
    expect(reloaded.get('model_providers[0].api_key')).toBeNull();

    d.setRememberSecrets(true);
    expect(storage.text()).toContain('sk-secret-123');
    expect(new Design(storage).get('model_providers[0].api_key')).toBe('sk-secret-123');
  });

  it('SPEC 1 secrets: exported configs and share links carry no API key', async () => {
    const yaml = exportConfigText(WITH_KEY, 'yaml');
    const json = exportConfigText(WITH_KEY, 'json');
    expect(yaml).not.toContain('sk-secret');
    expect(json).not.toContain('sk-secret');
    expect(importConfigText(yaml)).toMatchObject({ columns: WITH_KEY.columns });
    const fragment = await shareFragment(WITH_KEY);
    expect(fragment).not.toContain('sk-secret');
    const shared = await readShareFragment(fragment);
    expect(shared?.['columns']).toEqual(WITH_KEY.columns);
    expect(JSON.stringify(shared)).not.toContain('sk-secret');
  });

  it('imports a config wrapped as data_designer, keeping its run section', () => {
    const doc = importConfigText('data_designer:\n  columns: []\nrun:\n  num_records: 5\n');
    expect(doc).toEqual({ columns: [], run: { num_records: 5 } });
  });
});
