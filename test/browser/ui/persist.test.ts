/**
 * Issue 4, persistent storage: before a run of LARGE_RUN_ROWS or more the app asks
 * navigator.storage.persist() once, from the main thread, before the run starts; the
 * stored runs show the storage estimate. Only the browser's StorageManager is stubbed
 * (on this page's navigator: the engine worker has its own, without persist()); the
 * session runs on the real engine client and worker.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-svelte';
import RunPanel from '../../../src/ui/components/RunPanel.svelte';
import RunsHistory from '../../../src/ui/components/RunsHistory.svelte';
import { createEngineClient } from '../../../src/runtime/client.ts';
import type { EngineClient } from '../../../src/runtime/engine-api.ts';
import type { Design } from '../../../src/ui/state/design.svelte.ts';
import { LARGE_RUN_ROWS, Session } from '../../../src/ui/state/session.svelte.ts';
import { freshDbName } from '../runtime/support/fixtures.ts';
import { MemoryStorage } from './memory-storage.ts';
import { samplerDesign } from './sampler-design.ts';

/** Generous: the first answer waits for the engine worker to start and load the pipeline. */
const WAIT = { timeout: 30_000 };

const RISK_NOTE = /may delete this run's rows/;

let session: Session | undefined;

afterEach(async () => {
  if (session) {
    const s = session;
    session = undefined;
    // Stop the run (a no-op once it has ended) and let it settle before the worker goes.
    await s.cancel();
    await expect.poll(() => s.outcome ?? s.runError, WAIT).not.toBeNull();
    (await s.client()).dispose();
  }
  vi.restoreAllMocks();
});

function setup(): { design: Design; session: Session } {
  const design = samplerDesign();
  const client: EngineClient = createEngineClient({
    dbName: freshDbName('persist'),
    cacheDbName: freshDbName('persist-cache'),
    poolSize: 0,
  });
  session = new Session(() => Promise.resolve(client), new MemoryStorage());
  return { design, session };
}

/** The browser's answers: whether the origin is persistent now, and what persist() does. */
function stubStorage(persisted: () => boolean, persist: () => Promise<boolean>) {
  return {
    persisted: vi.spyOn(navigator.storage, 'persisted').mockImplementation(async () => persisted()),
    persist: vi.spyOn(navigator.storage, 'persist').mockImplementation(persist),
  };
}

/** Renders the run panel and clicks Generate for `rows` rows. */
async function generate(rows: number) {
  const { design, session } = setup();
  const screen = await render(RunPanel, { design, session });
  await userEvent.fill(screen.getByLabelText('Rows', { exact: true }), String(rows));
  await userEvent.click(screen.getByRole('button', { name: 'Generate' }));
  return { screen, session };
}

/** The run started: its progress counts toward `rows` requested rows. */
const started = (rows: number) => new RegExp(`/ ${rows.toLocaleString()} rows`);

describe('issue 4: persistent storage before a large run', () => {
  it('a run of 100,000 rows asks persist() once, on the main thread, and starts only after the answer', async () => {
    expect(LARGE_RUN_ROWS).toBe(100_000);
    let answer!: (granted: boolean) => void;
    const storage = stubStorage(
      () => false,
      () => new Promise((resolve) => (answer = resolve)),
    );
    const { screen, session } = await generate(100_000);

    await expect.poll(() => storage.persist.mock.calls.length, WAIT).toBe(1);
    // While the browser has not answered, no run exists in the engine.
    expect(await (await session.client()).listRuns()).toEqual([]);
    await expect.element(screen.getByText('No run yet')).toBeVisible();

    answer(true);
    await expect.element(screen.getByText(started(100_000)), WAIT).toBeVisible();
    expect(storage.persist).toHaveBeenCalledTimes(1);
    expect(session.storageAtRisk).toBe(false);
    await expect.element(screen.getByText(RISK_NOTE)).not.toBeInTheDocument();
  });

  it('a run of fewer rows does not ask', async () => {
    const storage = stubStorage(
      () => false,
      async () => true,
    );
    const { screen } = await generate(LARGE_RUN_ROWS - 1);
    await expect.element(screen.getByText(started(LARGE_RUN_ROWS - 1)), WAIT).toBeVisible();
    expect(storage.persist).not.toHaveBeenCalled();
    await expect.element(screen.getByText(RISK_NOTE)).not.toBeInTheDocument();
  });

  it('an origin already persistent is not asked again', async () => {
    const storage = stubStorage(
      () => true,
      async () => true,
    );
    const { screen } = await generate(LARGE_RUN_ROWS);
    await expect.element(screen.getByText(started(LARGE_RUN_ROWS)), WAIT).toBeVisible();
    expect(storage.persisted).toHaveBeenCalled();
    expect(storage.persist).not.toHaveBeenCalled();
    await expect.element(screen.getByText(RISK_NOTE)).not.toBeInTheDocument();
  });

  it('a refused persist() still starts the run and the run panel says the rows may be evicted', async () => {
    const storage = stubStorage(
      () => false,
      async () => false,
    );
    const { screen, session } = await generate(LARGE_RUN_ROWS);
    await expect.element(screen.getByText(started(LARGE_RUN_ROWS)), WAIT).toBeVisible();
    expect(storage.persist).toHaveBeenCalledTimes(1);
    await expect.element(screen.getByRole('status').filter({ hasText: RISK_NOTE })).toBeVisible();
    expect(session.runError).toBeNull();
  });

  it('a persist() that throws still starts the run and the run panel says the rows may be evicted', async () => {
    const storage = stubStorage(
      () => false,
      () => Promise.reject(new DOMException('not allowed here', 'InvalidStateError')),
    );
    const { screen, session } = await generate(LARGE_RUN_ROWS);
    await expect.element(screen.getByText(started(LARGE_RUN_ROWS)), WAIT).toBeVisible();
    expect(storage.persist).toHaveBeenCalledTimes(1);
    await expect.element(screen.getByRole('status').filter({ hasText: RISK_NOTE })).toBeVisible();
    expect(session.runError).toBeNull();
    expect(session.phase).not.toBe('failed');
  });
});

describe('issue 4: the storage estimate', () => {
  it('stored runs show the bytes used of the quota, and "persistent" once the browser agreed before a large run', async () => {
    const usage = 1.5 * 1024 ** 2;
    const quota = 2 * 1024 ** 3;
    vi.spyOn(navigator.storage, 'estimate').mockImplementation(async () => ({ usage, quota }));
    let persisted = false;
    stubStorage(
      () => persisted,
      async () => (persisted = true),
    );

    const { design, session } = setup();
    const history = await render(RunsHistory, { design, session, onResume: () => {} });
    const estimate = history.getByText('1.5 MB used of 2.00 GB', { exact: true });
    await expect.element(estimate, WAIT).toBeVisible();

    const panel = await render(RunPanel, { design, session });
    await userEvent.fill(panel.getByLabelText('Rows', { exact: true }), String(LARGE_RUN_ROWS));
    await userEvent.click(panel.getByRole('button', { name: 'Generate' }));
    await expect
      .element(history.getByText('1.5 MB used of 2.00 GB · persistent', { exact: true }), WAIT)
      .toBeVisible();
  });
});
