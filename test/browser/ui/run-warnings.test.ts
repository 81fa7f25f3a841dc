/**
 * A run's warnings in the run panel: a skip.when that could not be evaluated counts
 * as true with a warning (SPEC 1), and the panel shows the warning's count and its
 * first message next to the first errors. Runs on the real engine client and worker.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-svelte';
import type { EngineClient } from '../../../src/runtime/engine-api.ts';
import RunPanel from '../../../src/ui/components/RunPanel.svelte';
import { Design } from '../../../src/ui/state/design.svelte.ts';
import { engineSession, WAIT } from './engine-session.ts';
import { MemoryStorage } from './memory-storage.ts';

let client: EngineClient | undefined;
afterEach(() => {
  client?.dispose();
  client = undefined;
});

describe('the run panel shows warnings', () => {
  it('a run whose skip.when cannot be evaluated shows the warning, its count and its message', async () => {
    const design = new Design(new MemoryStorage());
    design.load({
      columns: [
        {
          name: 'n',
          column_type: 'sampler',
          sampler_type: 'uniform',
          params: { low: 0, high: 10 },
        },
        {
          name: 'doubled',
          column_type: 'expression',
          expr: '{{ n * 2 }}',
          skip: { when: '{{ n.unit.name }}', value: 'none' },
        },
      ],
      run: { num_records: 6 },
    });
    const made = engineSession('warnings');
    client = made.client;
    const session = made.session;
    const screen = await render(RunPanel, { design, session });
    await userEvent.click(screen.getByRole('button', { name: 'Generate' }));
    await expect.element(screen.getByText('complete', { exact: true }), WAIT).toBeVisible();

    await expect.element(screen.getByRole('heading', { name: 'Warnings 6' })).toBeVisible();
    const list = screen.getByRole('list', { name: 'Warnings' });
    await expect
      .element(list)
      .toHaveTextContent("column 'doubled': skip.when could not be evaluated for row 1");
    await expect.element(list).toHaveTextContent('×6');
    expect(screen.container.textContent).not.toContain('First errors');
  });
});
