/**
 * endpoint-browser: 200 model requests, 200 ms per answer, max_parallel_requests 16,
 * against the loopback OpenAI-compatible server (HTTP/1.1, CORS on), three ways
 * side by side: the tab calling it directly (the browser's six connections per
 * origin), the tab served by `npx tabsynth serve` (through its relay), and the
 * headless command (`tabsynth generate`, in this process). Each with the server's
 * peak in-flight count. Target: the relay within 1.15x of the headless command.
 *
 * `npm run bench -- endpoint-browser [REQUESTS] [LATENCY_MS]`
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { generateCommand } from '../src/cli/generate.ts';
import { startRelayServer } from '../src/node/relay-server.ts';
import { startOpenAIServer } from '../test/support/openai-server.ts';
import {
  HARNESS_PATH,
  ROOT,
  buildSite,
  openSite,
  waitForOutcome,
} from '../test/e2e/support/browser.ts';
import type { Harness } from '../test/e2e/support/runtime-harness.ts';
import { printFigures, printTable, round } from './support/report.ts';

type Win = { harness: Harness };

const requests = Number(process.argv[2] ?? 200);
const latencyMs = Number(process.argv[3] ?? 200);
const PARALLEL = 16;

const config = (endpoint: string) => `
model_providers:
  - { name: local, endpoint: "${endpoint}" }
model_configs:
  - alias: writer
    model: bench-model
    provider: local
    inference_parameters: { max_parallel_requests: ${PARALLEL} }
columns:
  - { name: topic, column_type: sampler, sampler_type: uuid, params: {} }
  - { name: text, column_type: llm-text, model_alias: writer, prompt: "Write about {{ topic }}" }
run: { num_records: ${requests}, buffer_size: ${requests} }
`;

interface Measured {
  seconds: number;
  peak: number;
}

/** One run of the config against a fresh server; `run` returns its own wall time in ms. */
async function measure(run: (endpoint: string) => Promise<number>): Promise<Measured> {
  const server = await startOpenAIServer({ cors: true, latencyMs });
  try {
    const ms = await run(server.url);
    if (server.requests.length < requests) {
      throw new Error(`expected ${requests} requests at the server, got ${server.requests.length}`);
    }
    return { seconds: ms / 1000, peak: server.peakInFlight };
  } finally {
    await server.close();
  }
}

/** Runs the config in a harness page (no cache: every row is a request) and returns its run time. */
async function inTab(page: Page, endpoint: string, runId: string): Promise<number> {
  await page.evaluate(
    ([c, id]) => (window as unknown as Win).harness.start(c, id, { seed: 1 }, false),
    [config(endpoint), runId] as const,
  );
  await waitForOutcome(page, 600_000);
  return page.evaluate(() => {
    const h = (window as unknown as Win).harness;
    return h.endedAt - h.startedAt;
  });
}

async function openHarness(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('state')?.textContent === 'ready');
}

buildSite({ always: true });
const site = await openSite();
const relay = await startRelayServer({ root: join(ROOT, 'dist'), port: 0 });
const work = mkdtempSync(join(tmpdir(), 'tabsynth-endpoint-bench-'));
try {
  const direct = await measure(async (endpoint) => {
    const page = await site.openHarness();
    return inTab(page, endpoint, 'direct');
  });
  const relayed = await measure(async (endpoint) => {
    const page = await site.context.newPage();
    await openHarness(page, new URL(HARNESS_PATH.slice(1), relay.url).href);
    return inTab(page, endpoint, 'relay');
  });
  const headless = await measure(async (endpoint) => {
    const file = join(work, 'config.yaml');
    writeFileSync(file, config(endpoint));
    const quiet = { out: () => undefined, err: () => undefined };
    const t0 = performance.now();
    const code = await generateCommand(
      file,
      {
        rows: undefined,
        out: join(work, 'out'),
        seed: 1,
        bufferSize: undefined,
        trace: undefined,
        simulate: false,
        resume: 'never',
      },
      quiet,
    );
    if (code !== 0) throw new Error(`tabsynth generate exited ${code}`);
    return performance.now() - t0;
  });

  printTable(
    `endpoint-browser: ${requests} requests, ${latencyMs} ms each, max_parallel_requests ${PARALLEL}, loopback HTTP/1.1`,
    [
      {
        way: 'tab, direct (browser fetch)',
        s: round(direct.seconds, 2),
        peak_in_flight: direct.peak,
      },
      { way: 'tab, through the relay', s: round(relayed.seconds, 2), peak_in_flight: relayed.peak },
      { way: 'headless command', s: round(headless.seconds, 2), peak_in_flight: headless.peak },
    ],
  );
  if (direct.peak <= 6) {
    console.log(
      `the tab direct had at most ${direct.peak} requests in flight: the browser opens 6 connections per http:// origin`,
    );
  }
  printFigures({
    requests,
    latency_ms: latencyMs,
    direct_s: round(direct.seconds, 3),
    relay_s: round(relayed.seconds, 3),
    headless_s: round(headless.seconds, 3),
    relay_vs_headless: round(relayed.seconds / headless.seconds, 3),
    direct_peak_in_flight: direct.peak,
    relay_peak_in_flight: relayed.peak,
    headless_peak_in_flight: headless.peak,
  });
} finally {
  await relay.close();
  await site.close();
  rmSync(work, { recursive: true, force: true });
}
