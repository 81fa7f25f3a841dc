/** Chromium for the app's end-to-end tests: the flags ARCHITECTURE.md gives for this machine. */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium.ts';
import { serveStatic, type StaticSite } from './app-server.ts';

/** A fresh persistent context (its own profile dir, so IndexedDB survives reloads). */
export function launchChromium(opts: { offline?: boolean } = {}): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'tabsynth-e2e-')), {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
    offline: opts.offline ?? false,
  });
}

/** The built site served from a sub-path, with a fresh Chromium on it that reaches nothing else. */
export interface OpenApp {
  site: StaticSite;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Serves dist/ under `subPath` and opens a fresh, offline-but-for-the-site Chromium page. */
export async function openApp(dist: string, subPath: string): Promise<OpenApp> {
  if (!existsSync(resolve(dist, 'index.html')))
    throw new Error('dist/ is missing: run `npm run build` first');
  const site = await serveStatic(dist, subPath);
  const context = await launchChromium();
  await context.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => route.abort());
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    site,
    context,
    page,
    close: async () => {
      await context.close();
      await site.close();
    },
  };
}
