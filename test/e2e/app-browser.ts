/** Chromium for the app's end-to-end tests: the flags ARCHITECTURE.md gives for this machine. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium.ts';

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
