/**
 * A model's budgets and prices (issue 12) are entered in the Models panel: they
 * land in the model's `tabsynth` block, validate, and are written to the exported
 * config; a block emptied again is not written, so a Data Designer config stays as
 * it was.
 */
import { describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-svelte';
import ModelsPanel from '../../../src/ui/components/ModelsPanel.svelte';
import { exportConfigText, importConfigText } from '../../../src/ui/state/config-io.ts';
import { Design } from '../../../src/ui/state/design.svelte.ts';
import { MemoryStorage } from './memory-storage.ts';

const CONFIG = `
model_providers:
  - { name: local, endpoint: 'http://127.0.0.1:9/v1', provider_type: openai }
model_configs:
  - { alias: writer, model: m, provider: local }
columns:
  - name: line
    column_type: llm-text
    model_alias: writer
    prompt: Write a line.
`;

describe('budgets and prices in the Models panel', () => {
  it('prices and budgets typed in the panel reach the tabsynth block and the export; cleared, the block is gone', async () => {
    const design = new Design(new MemoryStorage());
    design.load(importConfigText(CONFIG, 'yaml'));
    const screen = await render(ModelsPanel, { design });

    await userEvent.fill(screen.getByLabelText('Requests / min'), '240');
    await userEvent.fill(screen.getByLabelText('Tokens / min'), '90000');
    await userEvent.fill(screen.getByLabelText('$ / 1M input tokens'), '0.15');
    await userEvent.fill(screen.getByLabelText('$ / 1M output tokens'), '0.6');
    await userEvent.tab();

    expect(design.get('model_configs[0].tabsynth')).toEqual({
      requests_per_minute: 240,
      tokens_per_minute: 90000,
      input_price_per_million: 0.15,
      output_price_per_million: 0.6,
    });
    expect(design.validation.ok).toBe(true);
    expect(importConfigText(exportConfigText(design.doc, 'yaml'), 'yaml')).toMatchObject({
      model_configs: [{ alias: 'writer', tabsynth: { input_price_per_million: 0.15 } }],
    });

    for (const label of [
      'Requests / min',
      'Tokens / min',
      '$ / 1M input tokens',
      '$ / 1M output tokens',
    ]) {
      await userEvent.clear(screen.getByLabelText(label));
    }
    await userEvent.tab();
    expect(design.validation.ok).toBe(true);
    const exported = importConfigText(exportConfigText(design.doc, 'yaml'), 'yaml');
    expect(exported).toEqual(importConfigText(CONFIG, 'yaml'));
  });

  it('a negative price is refused at its field, naming what was expected', async () => {
    const design = new Design(new MemoryStorage());
    design.load(importConfigText(CONFIG, 'yaml'));
    const screen = await render(ModelsPanel, { design });
    await userEvent.fill(screen.getByLabelText('$ / 1M input tokens'), '-1');
    await userEvent.tab();
    expect(design.validation.ok).toBe(false);
    expect(design.issuesAt('model_configs[0].tabsynth.input_price_per_million')).not.toEqual([]);
  });
});
