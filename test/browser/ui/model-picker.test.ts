/**
 * Issue 14, getting started with a model column: the column editor's model picker
 * offers "New model…", which adds a model on the simulated provider and picks it;
 * a Data Designer config naming `provider: nvidia` with no key says it previews on
 * the simulated model, and does, on the real engine, while simulation is on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-svelte';
import ColumnEditor from '../../../src/ui/components/ColumnEditor.svelte';
import type { EngineClient } from '../../../src/runtime/engine-api.ts';
import { importConfigText } from '../../../src/ui/state/config-io.ts';
import { Design } from '../../../src/ui/state/design.svelte.ts';
import { engineSession, WAIT } from './engine-session.ts';
import { MemoryStorage } from './memory-storage.ts';

const NVIDIA = `
model_configs:
  - alias: nemo
    model: meta/llama-3.3-70b-instruct
    provider: nvidia
columns:
  - name: topic
    column_type: sampler
    sampler_type: category
    params: { values: [rivers, mountains] }
  - name: blurb
    column_type: llm-text
    model_alias: nemo
    prompt: "Write one sentence about {{ topic }}."
`;

let client: EngineClient | undefined;

afterEach(() => {
  client?.dispose();
  client = undefined;
});

describe('the model picker', () => {
  it('"New model…" adds a simulated model and picks it; the column stays valid', async () => {
    const design = new Design(new MemoryStorage());
    const screen = await render(ColumnEditor, { design, index: 1 });
    const picker = screen.getByRole('combobox', { name: 'Model' });
    await expect.element(picker).toHaveValue('writer');
    await userEvent.selectOptions(picker, 'New model…');

    expect(design.modelAliases).toEqual(['writer', 'model']);
    expect(design.get('columns[1].model_alias')).toBe('model');
    expect(design.issues).toEqual([]);
    await expect.element(picker).toHaveValue('model');
    await expect
      .element(
        screen.getByText('Added model “model” on the simulated provider: edit it under Models.'),
      )
      .toBeVisible();
  });

  it('a column whose model is gone is flagged, and picks another', async () => {
    const design = new Design(new MemoryStorage());
    design.set('columns[1].model_alias', 'gone');
    const screen = await render(ColumnEditor, { design, index: 1 });
    const picker = screen.getByRole('combobox', { name: 'Model' });
    await expect.element(picker).toHaveAttribute('aria-invalid', 'true');
    await userEvent.selectOptions(picker, 'writer');
    expect(design.get('columns[1].model_alias')).toBe('writer');
    expect(design.issues).toEqual([]);
  });

  it(
    'a Data Designer config on provider nvidia without a key previews on the simulated model, and says so',
    async () => {
      const design = new Design(new MemoryStorage());
      design.load(importConfigText(NVIDIA, 'yaml'), 'nvidia');
      expect(design.validation.ok).toBe(true);
      const screen = await render(ColumnEditor, { design, index: 1 });
      await expect
        .element(screen.getByText(/nvidia has no API key here/))
        .toHaveTextContent(
          'while “Simulate models” is on, this column previews and runs on the simulated model',
        );

      const made = engineSession('nvidia-simulated');
      client = made.client;
      const session = made.session;
      await session.runPreview(JSON.parse(JSON.stringify(design.doc)) as typeof design.doc, {
        rows: 4,
        simulate: true,
      });
      expect(session.previewError).toBeNull();
      const blurbs = session.preview?.rows.map((r) => String(r['blurb'])) ?? [];
      expect(blurbs).toHaveLength(4);
      for (const b of blurbs) expect(b).toMatch(/^\[simulated\] /);

      // Without simulation it asks for the key rather than calling nvidia with none.
      await session.runPreview(JSON.parse(JSON.stringify(design.doc)) as typeof design.doc, {
        rows: 4,
        simulate: false,
      });
      expect(session.preview).toBeNull();
      expect(session.previewError).toMatch(/provider 'nvidia' needs its API key/);
    },
    WAIT.timeout,
  );

  it('once its key is typed, the note is gone', async () => {
    const design = new Design(new MemoryStorage());
    design.load(importConfigText(NVIDIA, 'yaml'));
    design.append('model_providers', {
      name: 'nvidia',
      endpoint: 'https://integrate.api.nvidia.com/v1',
      provider_type: 'openai',
      api_key: 'nvapi-typed',
    });
    const screen = await render(ColumnEditor, { design, index: 1 });
    await expect.element(screen.getByRole('combobox', { name: 'Model' })).toHaveValue('nemo');
    expect(screen.container.textContent).not.toMatch(/has no API key here/);
  });
});
