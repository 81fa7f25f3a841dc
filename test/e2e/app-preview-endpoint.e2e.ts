/**
 * Issue 14, a preview against an endpoint that cannot be reached, on the built site:
 * it fails at once with the cause in words (nothing answers at the endpoint; the
 * endpoint refuses this page's origin by CORS; the endpoint asks for a key the
 * provider does not have), shows its retries while a server keeps failing, and
 * Cancel stops it at once, its requests too. Each endpoint is a real loopback
 * server (or a port nothing listens on); the example's models point at it.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIServer, type OpenAIServer, type Reply } from '../support/openai-server.ts';
import { openApp, type AppPage } from './support/app-page.ts';
import { localExample } from './support/local-example.ts';

let app: AppPage;
let page: Page;
/** Answers every request with `reply`, with CORS headers, as a local server would. */
let scripted: OpenAIServer;
let reply: Reply = { status: 503, body: { error: { message: 'the model is loading' } } };
/** Answers, but sends no CORS headers (NVIDIA's hosted API, LM Studio by default). */
let noCors: OpenAIServer;
/** A loopback port nothing listens on. */
let closedEndpoint: string;

beforeAll(async () => {
  app = await openApp('/tabsynth/');
  page = app.page;
  scripted = await startOpenAIServer({ cors: true, handler: () => reply });
  noCors = await startOpenAIServer({ cors: false });
  const gone = await startOpenAIServer();
  closedEndpoint = gone.url;
  await gone.close();
  await page.goto(app.url);
  await page.getByLabel('Simulate models', { exact: true }).uncheck();
});

afterAll(async () => {
  await app?.close();
  await scripted?.close();
  await noCors?.close();
});

const status = () => page.locator('.preview .meta');
const alert = () => page.locator('.preview [role="alert"]');
/** Rows shown as the current preview's (none after a failure). */
const currentRows = () =>
  page.getByRole('region', { name: 'Preview rows', exact: true }).locator('tbody tr').count();

/** Imports the example with its models at `endpoint`; its live preview starts at once. */
async function importAt(endpoint: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import config', exact: true }).click();
  await (await chooser).setFiles(localExample(endpoint).file);
  await expect.poll(() => page.locator('#col-item-6').textContent()).toContain('title');
}

describe('issue 14: a preview against an endpoint that cannot be reached', () => {
  it('an endpoint where nothing listens: it fails at once, saying nothing answers there', async () => {
    await importAt(closedEndpoint);
    await expect.poll(() => alert().textContent(), { timeout: 60_000 }).toContain('stopped');
    const text = (await alert().textContent()) ?? '';
    expect(text).toContain(
      `The preview stopped (provider 'local'): cannot reach ${closedEndpoint}: nothing answered.`,
    );
    expect(text).toContain('Fix: check that the server is running');
    expect(await currentRows()).toBe(0);
    expect(await status().textContent()).not.toMatch(/Generating|rows in/);
  });

  it('an endpoint without CORS headers: it fails at once, naming CORS and the fix', async () => {
    await importAt(noCors.url);
    await expect.poll(() => alert().textContent(), { timeout: 60_000 }).toContain('CORS');
    const text = (await alert().textContent()) ?? '';
    const origin = new URL(app.url).origin;
    expect(text).toContain(
      `The preview stopped (provider 'local'): ${noCors.url} answered, but refused this page's origin (${origin}) by CORS`,
    );
    expect(text).toContain(`Access-Control-Allow-Origin: ${origin}`);
    expect(await currentRows()).toBe(0);
  });

  it('an endpoint that asks for a key the provider does not have: it fails at its first answer', async () => {
    reply = { status: 401, body: { error: { message: 'missing bearer token' } } };
    const before = scripted.requests.length;
    await importAt(scripted.url);
    await expect.poll(() => alert().textContent(), { timeout: 60_000 }).toContain('API key');
    const text = (await alert().textContent()) ?? '';
    expect(text).toContain(
      `provider 'local' has no API key, and its endpoint at ${scripted.url} asks for one (HTTP 401)`,
    );
    expect(text).toContain("Fix: enter the API key of 'local' under Models.");
    // Stopped at the first refusal: no request was tried again.
    const sent = scripted.requests.slice(before).map((r) => JSON.stringify(r.body));
    expect(new Set(sent).size).toBe(sent.length);
  });

  it('a server that keeps answering 503 shows the retries, and Cancel stops the preview', async () => {
    reply = { status: 503, body: { error: { message: 'the model is loading' } } };
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await expect
      .poll(() => status().textContent(), { timeout: 60_000 })
      .toMatch(/Retrying after HTTP 503: attempt [2-9] of 12 failed \(local\/[^)]+\)…/);
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect.poll(() => status().textContent()).toContain('Preview cancelled');
    expect(await alert().count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Cancel', exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Preview', exact: true }).isEnabled()).toBe(true);
  });

  it('Cancel stops requests that are waiting for an answer: the server sees them go', async () => {
    reply = { hang: true };
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await expect.poll(() => scripted.inFlight, { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await status().textContent()).toContain('Generating');
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect.poll(() => status().textContent()).toContain('Preview cancelled');
    await expect.poll(() => scripted.inFlight, { timeout: 30_000 }).toBe(0);
    expect(await alert().count()).toBe(0);
  });
});
