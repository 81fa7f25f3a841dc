/**
 * Issue 14: a preview can be cancelled, and a newer preview stops an older one. A
 * model that takes ten minutes to answer (the simulated provider's latency) holds
 * the preview until Cancel; the panel then says so at once, and the engine worker
 * is free for the next preview. Real engine client and worker.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-svelte';
import { ErrorCodes, TabsynthError } from '../../../src/core/errors.ts';
import type { EngineClient } from '../../../src/runtime/engine-api.ts';
import PreviewPanel from '../../../src/ui/components/PreviewPanel.svelte';
import { Design } from '../../../src/ui/state/design.svelte.ts';
import { engineSession, WAIT } from './engine-session.ts';
import { MemoryStorage } from './memory-storage.ts';

let client: EngineClient | undefined;
afterEach(() => {
  client?.dispose();
  client = undefined;
});

/** A design whose one model answers after `ms` milliseconds. */
function slowDesign(ms: number): Design {
  const design = new Design(new MemoryStorage());
  design.load({
    model_providers: [
      {
        name: 'slow',
        provider_type: 'simulated',
        simulated: { latency: { distribution: 'fixed', ms } },
      },
    ],
    model_configs: [{ alias: 'w', model: 'demo', provider: 'slow' }],
    columns: [
      {
        name: 'topic',
        column_type: 'sampler',
        sampler_type: 'category',
        params: { values: ['a', 'b'] },
      },
      { name: 'text', column_type: 'llm-text', model_alias: 'w', prompt: 'About {{ topic }}.' },
    ],
  });
  return design;
}

/** A design's document as plain data (what crosses to the worker). */
const plain = (doc: object): object => JSON.parse(JSON.stringify(doc)) as object;

describe('issue 14: cancelling a preview', () => {
  it('Cancel stops a preview waiting on its model at once, and the next preview runs', async () => {
    const made = engineSession('preview-cancel');
    client = made.client;
    const { session } = made;
    const design = slowDesign(600_000);
    const screen = await render(PreviewPanel, { design, session, simulate: false });
    await expect.element(screen.getByText('Generating…'), WAIT).toBeVisible();

    await userEvent.click(screen.getByRole('button', { name: 'Cancel', exact: true }));
    await expect.element(screen.getByText('Preview cancelled')).toBeVisible();
    expect(session.previewBusy).toBe(false);
    expect(session.previewError).toBeNull();
    expect(screen.container.querySelector('[role="alert"]')).toBeNull();

    // The worker is free: a quick model previews at once.
    design.set('model_providers[0].simulated.latency.ms', 0);
    await expect
      .element(screen.getByRole('region', { name: 'Preview rows', exact: true }), WAIT)
      .toBeVisible();
    expect(session.preview?.rows.length).toBe(10);
  });

  it('the client rejects a cancelled preview with RUN_CANCELLED, and one aborted before it is sent is refused at once', async () => {
    const made = engineSession('preview-abort');
    client = made.client;
    const config = plain(slowDesign(600_000).doc);
    const controller = new AbortController();
    const pending = client.preview({ config, rows: 2 }, { signal: controller.signal });
    controller.abort();
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TabsynthError);
    expect((err as TabsynthError).code).toBe(ErrorCodes.RUN_CANCELLED);

    const early = new AbortController();
    early.abort();
    const refused = await client
      .preview({ config, rows: 2 }, { signal: early.signal })
      .catch((e: unknown) => e);
    expect((refused as TabsynthError).code).toBe(ErrorCodes.RUN_CANCELLED);

    const quick = plain(slowDesign(0).doc);
    const result = await client.preview({ config: quick, rows: 3 });
    expect(result.rows.length).toBe(3);
  });
});
