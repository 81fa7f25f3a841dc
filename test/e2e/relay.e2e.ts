/**
 * SPEC 3.5 and 5 end to end on the built site in Chromium, against the loopback
 * OpenAI-compatible server with and without CORS headers: the tab direct shows the
 * browser's six-connection limit as `6 / 16` with its reason, and the server sees
 * six; the tab served by `npx tabsynth serve` reaches sixteen through the relay,
 * on a server without CORS; "Test connection" names each cause; a page served
 * over plain http from a non-loopback address (not a secure context) generates.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelayServer, type RelayServer } from '../../src/node/relay-server.ts';
import {
  defaultReply,
  startOpenAIServer,
  type OpenAIServer,
  type RecordedRequest,
  type Reply,
} from '../support/openai-server.ts';
import { launchChromium } from './app-browser.ts';
import { serveStatic, type StaticSite } from './app-server.ts';

const DIST = resolve(import.meta.dirname, '../../dist');
const SHOTS = resolve(import.meta.dirname, '../../test-results');

/** A model server whose answers wait until `open()` (or until `gate` requests are in flight). */
interface HeldServer extends OpenAIServer {
  open(): void;
}

async function heldServer(options: { cors: boolean; gate?: number }): Promise<HeldServer> {
  const held: (() => void)[] = [];
  let opened = false;
  const ref: { server?: OpenAIServer } = {};
  const open = () => {
    opened = true;
    for (const release of held.splice(0)) release();
  };
  const handler = async (req: RecordedRequest): Promise<Reply> => {
    if (!opened && req.path.endsWith('/chat/completions')) {
      await new Promise<void>((release) => {
        held.push(release);
        if (options.gate !== undefined && (ref.server?.inFlight ?? 0) >= options.gate) open();
      });
    }
    return defaultReply(req);
  };
  ref.server = await startOpenAIServer({ cors: options.cors, models: ['m1'], handler });
  return Object.assign(ref.server, { open });
}

function configFile(endpoint: string, model = 'm1', rows = 48, bufferSize = rows): string {
  const dir = mkdtempSync(join(tmpdir(), 'tabsynth-relay-e2e-'));
  const file = join(dir, 'local-model.yaml');
  writeFileSync(
    file,
    `model_providers:
  - { name: local, endpoint: "${endpoint}" }
model_configs:
  - alias: writer
    model: ${model}
    provider: local
    inference_parameters: { max_parallel_requests: 16 }
columns:
  - { name: topic, column_type: sampler, sampler_type: category, params: { values: [a, b, c] } }
  - { name: text, column_type: llm-text, model_alias: writer, prompt: "Write about {{ topic }}" }
run: { num_records: ${rows}, buffer_size: ${bufferSize} }
`,
  );
  return file;
}

/** A non-loopback IPv4 address of this machine: a page from it is not a secure context. */
function outsideAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
}

let context: BrowserContext;
let site: StaticSite;
let relay: RelayServer;
const servers: OpenAIServer[] = [];

async function importConfig(page: Page, url: string, file: string): Promise<void> {
  await page.goto(url);
  await expect.poll(() => page.getByRole('tab', { name: 'Design' }).isVisible()).toBe(true);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import config', exact: true }).click();
  await (await chooser).setFiles(file);
  await expect
    .poll(() => page.getByRole('status').filter({ hasText: 'Config valid' }).count())
    .toBe(1);
}

async function generateReal(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Run', exact: true }).click();
  await page.getByLabel('Simulate all models (offline)').uncheck();
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
}

const limitCell = (page: Page) => page.locator('table.models tbody tr td.limit').first();
const phase = (page: Page) => page.locator('.phase').textContent();

/** The findings "Test connection" shows for the config's provider. */
async function testConnection(page: Page): Promise<string> {
  await page.getByRole('tab', { name: 'Design' }).click();
  await page.getByRole('button', { name: 'Models', exact: true }).click();
  await page.getByRole('button', { name: 'Test connection' }).first().click();
  const list = page.getByRole('status', { name: 'Connection test' });
  await expect.poll(() => list.count(), { timeout: 30_000 }).toBe(1);
  return (await list.textContent()) ?? '';
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  site = await serveStatic(DIST, '/');
  relay = await startRelayServer({ root: DIST, port: 0 });
  context = await launchChromium();
});

afterAll(async () => {
  await context?.close();
  await site?.close();
  await relay?.close();
  await Promise.all(servers.map((s) => s.close()));
});

async function server(options: { cors: boolean; gate?: number }): Promise<HeldServer> {
  const s = await heldServer(options);
  servers.push(s);
  return s;
}

describe('3.5 and 5: real endpoints from a tab', () => {
  it('direct from a static site: the limit cell reads 6 / 16 with its reason and fix, and the server sees 6', async () => {
    // Answers flow once six are in flight at once; progress comes with each commit.
    const model = await server({ cors: true, gate: 6 });
    const page = await context.newPage();
    await importConfig(page, site.url, configFile(model.url, 'm1', 48, 6));
    await generateReal(page);
    await expect.poll(() => phase(page), { timeout: 120_000 }).toBe('complete');
    const cell = (await limitCell(page).textContent()) ?? '';
    expect(cell).toMatch(/^6 \/ 16/);
    expect(cell).toContain('the browser opens at most 6 connections to http://127.0.0.1:');
    expect(cell).toContain('npx tabsynth serve');
    expect(model.peakInFlight).toBe(6);
    await page.screenshot({ path: resolve(SHOTS, 'relay-limit-cell.png'), fullPage: true });
    await page.close();
  });

  it('through the relay: the tab reaches 16 at once, on a server that sends no CORS headers', async () => {
    const model = await server({ cors: false, gate: 16 });
    const page = await context.newPage();
    await importConfig(page, relay.url, configFile(model.url));
    await generateReal(page);
    await expect.poll(() => phase(page), { timeout: 120_000 }).toBe('complete');
    expect(model.peakInFlight).toBe(16);
    expect(await page.locator('.status .rows').textContent()).toContain('48 / 48 rows');
    expect(await testConnection(page)).toBe(`connected to ${model.url}: 1 models listed`.trim());
    await page.close();
  });

  it('Test connection: connected with the six-connection advice, CORS, unreachable, key refused, model unknown', async () => {
    const page = await context.newPage();
    const withCors = await server({ cors: true });
    await importConfig(page, site.url, configFile(withCors.url));
    const ok = await testConnection(page);
    expect(ok).toContain(`connected to ${withCors.url}: 1 models listed`);
    expect(ok).toContain('at most 6 connections to http://127.0.0.1:');
    expect(ok).toContain('npx tabsynth serve');

    const noCors = await server({ cors: false });
    await importConfig(page, site.url, configFile(noCors.url));
    const refused = await testConnection(page);
    await page.screenshot({ path: resolve(SHOTS, 'relay-diagnosis-cors.png') });
    expect(refused).toContain(
      `${noCors.url} answered, but refused this page's origin (${new URL(site.url).origin}) by CORS`,
    );

    const gone = await startOpenAIServer();
    const goneUrl = gone.url;
    await gone.close();
    await importConfig(page, site.url, configFile(goneUrl));
    expect(await testConnection(page)).toContain(`cannot reach ${goneUrl}: nothing answered`);

    const keyRefused = await startOpenAIServer({
      cors: true,
      script: [{ status: 401, body: { error: { message: 'invalid api key' } } }],
    });
    servers.push(keyRefused);
    await importConfig(page, site.url, configFile(keyRefused.url));
    expect(await testConnection(page)).toContain(
      `${keyRefused.url} refused the API key (HTTP 401)`,
    );

    await importConfig(page, site.url, configFile(withCors.url, 'gpt-unknown'));
    expect(await testConnection(page)).toContain(
      `${withCors.url} does not know "gpt-unknown"; it lists m1`,
    );
    await page.close();
  });

  it('from a non-loopback http address (not a secure context): generating works, and a loopback endpoint is named as blocked by Local Network Access', async () => {
    const address = outsideAddress();
    expect(address, 'this machine needs a non-loopback IPv4 address').toBeDefined();
    const outside = await serveStatic(DIST, '/', address);
    try {
      const model = await server({ cors: true });
      const page = await context.newPage();
      await importConfig(page, outside.url, configFile(model.url, 'm1', 30));
      expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
      await page.getByRole('tab', { name: 'Run', exact: true }).click();
      await page.getByLabel('Simulate all models (offline)').check();
      await page.getByRole('button', { name: 'Generate', exact: true }).click();
      await expect.poll(() => phase(page), { timeout: 120_000 }).toBe('complete');
      const found = await testConnection(page);
      expect(found).toContain(
        `blocked by Local Network Access: this page (${new URL(outside.url).origin}) is not a secure context`,
      );
      expect(found).toContain('npx tabsynth serve');
      await page.close();
    } finally {
      await outside.close();
    }
  });
});
