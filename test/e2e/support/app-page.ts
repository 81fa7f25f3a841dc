/**
 * The app's end-to-end setting: the built site served from a sub-path, a fresh
 * Chromium allowed only loopback addresses, and the loopback OpenAI-compatible
 * server behind an answer gate, with the product-reviews example pointed at it.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startOpenAIServer, type OpenAIServer } from '../../support/openai-server.ts';
import { launchChromium } from '../app-browser.ts';
import { serveStatic, type StaticSite } from '../app-server.ts';
import { answerGate, type AnswerGate } from './answer-gate.ts';
import { localExample } from './local-example.ts';

const DIST = resolve(import.meta.dirname, '../../../dist');

export interface AppPage {
  page: Page;
  /** The site's URL. */
  url: string;
  /** The model server's answers. */
  gate: AnswerGate;
  /** The example to import, its models on the model server. */
  exampleFile: string;
  /** Its rows per row group. */
  bufferSize: number;
  close(): Promise<void>;
}

export async function openApp(subPath: string): Promise<AppPage> {
  if (!existsSync(resolve(DIST, 'index.html')))
    throw new Error('dist/ is missing: run `npm run build` first');
  const gate = answerGate();
  const models: OpenAIServer = await startOpenAIServer({ cors: true, handler: gate.handler });
  const { file, bufferSize } = localExample(models.url);
  const site: StaticSite = await serveStatic(DIST, subPath);
  // Offline but for loopback: the site and the model server.
  const context: BrowserContext = await launchChromium();
  await context.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => route.abort());
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    page,
    url: site.url,
    gate,
    exampleFile: file,
    bufferSize,
    async close() {
      await context.close();
      await site.close();
      gate.open();
      await models.close();
    },
  };
}

/** The run panel's "340 / 1,000 rows" as [committed, requested], or null ("No run yet"). */
export async function headerRows(page: Page): Promise<[number, number] | null> {
  const text = (await page.locator('.status .rows').textContent()) ?? '';
  const m = /^([\d,]+) \/ ([\d,]+) rows$/.exec(text.trim());
  return m ? [Number(m[1]!.replace(/,/g, '')), Number(m[2]!.replace(/,/g, ''))] : null;
}
