/**
 * SPEC 3.5 "the connection budget of where the engine runs is a limit too": a real
 * run against the loopback OpenAI-compatible server, compiled with the browser's
 * policy (six connections per http:// origin, shared by every model there).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compilePlan } from '../../../src/core/config/compile.ts';
import { loadConfig } from '../../../src/core/config/load.ts';
import type { Progress } from '../../../src/core/engine/events.ts';
import { runEngine } from '../../../src/core/engine/run.ts';
import {
  BROWSER_CONNECTIONS_PER_ORIGIN,
  ConnectionBudget,
  browserConnectionLimit,
  httpOrigin,
  sharedConnectionBudgets,
} from '../../../src/core/models/connection-budget.ts';
import { MemoryStore } from '../../../src/core/storage/memory.ts';
import {
  defaultReply,
  startOpenAIServer,
  type OpenAIServer,
  type Reply,
} from '../../support/openai-server.ts';

const config = (endpoint: string, rows: number) => `
model_providers:
  - { name: local, endpoint: "${endpoint}" }
model_configs:
  - { alias: a, model: m1, provider: local, inference_parameters: { max_parallel_requests: 16 } }
  - { alias: b, model: m2, provider: local, inference_parameters: { max_parallel_requests: 16 } }
columns:
  - { name: topic, column_type: sampler, sampler_type: category, params: { values: [x, y] } }
  - { name: first, column_type: llm-text, model_alias: a, prompt: "one {{ topic }}" }
  - { name: second, column_type: llm-text, model_alias: b, prompt: "two {{ topic }}" }
run: { num_records: ${rows}, buffer_size: ${rows} }
`;

/** Holds every answer until `gate` requests are in flight at once, then answers all. */
function gatedServer(gate: number): Promise<OpenAIServer> {
  const held: (() => void)[] = [];
  let open = false;
  let server: OpenAIServer;
  const handler = async (req: Parameters<typeof defaultReply>[0]): Promise<Reply> => {
    if (!open) {
      await new Promise<void>((release) => {
        held.push(release);
        if (server.inFlight >= gate) {
          open = true;
          for (const r of held.splice(0)) r();
        }
      });
    }
    return defaultReply(req);
  };
  return startOpenAIServer({ handler }).then((s) => (server = s));
}

/** Runs `config` against the server to the end; returns the result and the last progress. */
async function runAgainst(
  text: string,
  options: Parameters<typeof compilePlan>[1] = {},
): Promise<{ rowsWritten: number; last: Progress | undefined }> {
  const { plan, transports } = compilePlan(loadConfig(text), options);
  let last: Progress | undefined;
  const result = await runEngine({
    plan,
    transports,
    store: new MemoryStore(),
    runId: 'r',
    config: {},
    configHash: 'h',
    onProgress: (p) => (last = p),
  });
  return { rowsWritten: result.rowsWritten, last };
}

let server: OpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('3.5 the connection budget of where the engine runs', () => {
  it('a browser caps every http:// origin at six connections, and https:// not at all', () => {
    expect(browserConnectionLimit('http://127.0.0.1:8000/v1')).toMatchObject({
      origin: 'http://127.0.0.1:8000',
      limit: 6,
    });
    expect(browserConnectionLimit('http://Example.com:80/v1')?.origin).toBe('http://example.com');
    expect(browserConnectionLimit('https://integrate.api.nvidia.com/v1')).toBeUndefined();
    expect(httpOrigin('file:///etc/passwd')).toBeUndefined();
  });

  it('models sharing an http:// origin share its six connections: the server never sees more', async () => {
    server = await gatedServer(BROWSER_CONNECTIONS_PER_ORIGIN);
    const { rowsWritten, last: seen } = await runAgainst(config(server.url, 40), {
      connectionPolicy: browserConnectionLimit,
    });
    expect(rowsWritten).toBe(40);
    expect(server.requests).toHaveLength(80);
    expect(server.peakInFlight).toBe(BROWSER_CONNECTIONS_PER_ORIGIN);
    const model = seen?.models['local/m1'];
    expect(model).toMatchObject({ limit: 6, cap: 16 });
    expect(model?.reason).toContain('at most 6 connections to http://127.0.0.1:');
    expect(model?.fix).toContain('npx tabsynth serve');
  });

  it('two runs at once (a preview and a run) share the origin’s six connections', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    server = await startOpenAIServer({
      handler: async (req) => {
        await released;
        return defaultReply(req);
      },
    });
    const limit = browserConnectionLimit(server.url)!;
    const budget = sharedConnectionBudgets.budgetOf(limit);
    const policy = { connectionPolicy: browserConnectionLimit };
    const runs = Promise.all([
      runAgainst(config(server.url, 20), policy),
      runAgainst(config(server.url, 20), policy),
    ]);
    // Each run lets 16 requests per model past its limiters: 64 in all, 6 of them sent.
    await vi.waitFor(() => expect(budget.waiting).toBe(64 - BROWSER_CONNECTIONS_PER_ORIGIN), {
      timeout: 60_000,
    });
    expect(budget.inUse).toBe(BROWSER_CONNECTIONS_PER_ORIGIN);
    await server.received(BROWSER_CONNECTIONS_PER_ORIGIN);
    expect(server.inFlight).toBe(BROWSER_CONNECTIONS_PER_ORIGIN);
    release();
    const [a, b] = await runs;
    expect(a.rowsWritten + b.rowsWritten).toBe(40);
    expect(server.peakInFlight).toBe(BROWSER_CONNECTIONS_PER_ORIGIN);
  });

  it('without a connection policy (Node) the same run reaches both models’ limits', async () => {
    server = await gatedServer(32);
    expect((await runAgainst(config(server.url, 40))).rowsWritten).toBe(40);
    expect(server.peakInFlight).toBe(32);
  });

  it('a connection freed goes to the request that waited longest; a cancelled wait leaves the queue', async () => {
    const budget = new ConnectionBudget(1);
    expect(budget.tryAcquire()).toBe(true);
    const order: string[] = [];
    const ctrl = new AbortController();
    const first = budget.acquire().then(() => order.push('first'));
    const cancelled = budget.acquire(ctrl.signal).catch((e: { code: string }) => e.code);
    const third = budget.acquire().then(() => order.push('third'));
    expect(budget.waiting).toBe(3);
    ctrl.abort();
    expect(await cancelled).toBe('RUN_CANCELLED');
    budget.release();
    await first;
    budget.release();
    await third;
    expect(order).toEqual(['first', 'third']);
    expect(budget.inUse).toBe(1);
  });
});
