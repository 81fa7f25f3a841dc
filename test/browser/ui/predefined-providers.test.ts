/**
 * Data Designer's predefined providers in the Providers panel: a config naming
 * `provider: nvidia` without defining it shows nvidia (its endpoint from Data
 * Designer's defaults, its name read-only) with a key field; the key typed there
 * runs the model and never reaches the exported config. The provider types offered
 * include anthropic.
 */
import { describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-svelte';
import ModelsPanel from '../../../src/ui/components/ModelsPanel.svelte';
import { exportConfigText, importConfigText } from '../../../src/ui/state/config-io.ts';
import { Design } from '../../../src/ui/state/design.svelte.ts';
import { MemoryStorage } from './memory-storage.ts';

const CONFIG = `
model_configs:
  - alias: writer
    model: meta/llama-3.3-70b-instruct
    provider: nvidia
columns:
  - name: topic
    column_type: sampler
    sampler_type: category
    params: { values: [rivers, mountains] }
`;

const KEY = 'nvapi-typed-in-the-panel';

describe('predefined providers in the Providers panel', () => {
  it('a config naming provider nvidia without defining it shows nvidia with a key field; the export has no key', async () => {
    const design = new Design(new MemoryStorage());
    design.load(importConfigText(CONFIG, 'yaml'));
    const screen = await render(ModelsPanel, { design });

    const card = screen.getByRole('article', { name: 'Provider nvidia' });
    await expect.element(card).toHaveTextContent('https://integrate.api.nvidia.com/v1');
    // The name is shown, not editable.
    await expect.element(card.getByRole('textbox', { name: 'Name' })).not.toBeInTheDocument();
    const key = card.getByLabelText('API key');
    await expect.element(key).toHaveValue('');

    await userEvent.fill(key, KEY);
    // The provider joined the design with its key, in the same card, still being typed in.
    await expect.element(card.getByLabelText('API key')).toHaveValue(KEY);
    expect(document.activeElement).toBe(key.element());
    expect(design.list('model_providers')).toEqual([
      {
        name: 'nvidia',
        endpoint: 'https://integrate.api.nvidia.com/v1',
        provider_type: 'openai',
        api_key: KEY,
      },
    ]);
    // Kept in memory only: what is stored on this device has no key.
    expect(JSON.stringify(design.storable())).not.toContain(KEY);

    for (const format of ['yaml', 'json'] as const) {
      const text = exportConfigText(design.doc, format);
      expect(text).toContain('nvidia');
      expect(text).not.toContain(KEY);
    }

    // Importing the config again (or another naming nvidia) keeps the key typed.
    design.load(importConfigText(CONFIG, 'yaml'));
    await expect
      .element(screen.getByRole('article', { name: 'Provider nvidia' }).getByLabelText('API key'))
      .toHaveValue(KEY);
    expect(design.list('model_providers')).toHaveLength(1);
  });

  it('the provider type offered for a provider includes anthropic', async () => {
    const design = new Design(new MemoryStorage());
    design.load({
      model_providers: [{ name: 'p', endpoint: 'https://api.anthropic.com/v1' }],
      columns: [],
    });
    const screen = await render(ModelsPanel, { design });
    const type = screen.getByRole('combobox', { name: 'Type' });
    await userEvent.selectOptions(type, 'anthropic');
    expect(design.list('model_providers')[0]?.['provider_type']).toBe('anthropic');
  });
});
