/**
 * The built site in the system Chromium (playwright-core, no browser download):
 * builds dist/ when it lacks the harness page (or TABSYNTH_E2E_BUILD=1), serves it, and opens a
 * persistent context in a fresh profile so IndexedDB outlives a closed page.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import type { Harness } from './runtime-harness.ts';
import { serveStatic } from '../app-server.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../support/chromium.ts';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const HARNESS_PATH = '/test/e2e/support/runtime-harness.html';

export interface Site {
  url: string;
  context: BrowserContext;
  /** A new page on the runtime harness, ready. */
  openHarness(): Promise<Page>;
  close(): Promise<void>;
}

/**
 * `npx vite build` into dist/ when dist/ has no harness page yet, or always when
 * `always` (benchmarks: a stale dist/ would measure old code) or TABSYNTH_E2E_BUILD=1.
 */
export function buildSite(options: { always?: boolean } = {}): void {
  const built = existsSync(join(ROOT, 'dist', HARNESS_PATH));
  if (built && !options.always && process.env['TABSYNTH_E2E_BUILD'] !== '1') return;
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`vite build failed with status ${r.status}`);
}

export async function openSite(extraArgs: string[] = []): Promise<Site> {
  const server = await serveStatic(join(ROOT, 'dist'), '/');
  const origin = new URL(server.url).origin;
  const profile = mkdtempSync(join(tmpdir(), 'tabsynth-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
  return {
    url: origin,
    context,
    async openHarness() {
      const page = await context.newPage();
      await page.goto(`${origin}${HARNESS_PATH}`);
      await page.waitForFunction(() => document.getElementById('state')?.textContent === 'ready');
      return page;
    },
    async close() {
      await context.close();
      await server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Waits until the page's run has ended; returns its outcome, or throws its error. */
export async function waitForOutcome(page: Page, timeoutMs = 300_000) {
  await page.waitForFunction(
    () => {
      const h = (window as unknown as { harness: Harness }).harness;
      return h.outcome !== null || h.error !== null;
    },
    undefined,
    { timeout: timeoutMs, polling: 100 },
  );
  const { outcome, error } = await page.evaluate(() => {
    const h = (window as unknown as { harness: Harness }).harness;
    return { outcome: h.outcome, error: h.error };
  });
  if (error) throw new Error(`run failed: [${error.code}] ${error.message}`);
  return outcome!;
}
