/**
 * Issue 14, everywhere: every screen at 1400 px and 390 px wide, light and dark.
 * Writes a screenshot of each to test-output/screenshots/ and checks what a user
 * would notice: no screen scrolls the page sideways at 390 px (tables scroll in
 * their own box), the DAG's nodes and edges lie inside its picture and no edge
 * runs under a node it does not join, the timeline's lane names are shown whole,
 * the gallery's cards are not cut, and dark mode really changes the colours.
 *
 * The run is the "Product reviews" example (opened from the gallery) on the
 * simulated model, 100 rows with the task timeline recorded.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type OpenApp } from './app-browser.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SHOTS = resolve(ROOT, 'test-output/screenshots');

const SCHEMES = ['light', 'dark'] as const;
const SIZES = [
  { name: '1400', width: 1400, height: 900 },
  { name: '390', width: 390, height: 844 },
] as const;
type Scheme = (typeof SCHEMES)[number];
type Size = (typeof SIZES)[number];

let app: OpenApp;
let page: Page;

/** A screenshot: the whole page, or (a dialog, which sits in the window) the window. */
async function shot(name: string, scheme: Scheme, size: Size, fullPage = true): Promise<void> {
  await page.screenshot({ path: resolve(SHOTS, `${name}-${size.name}-${scheme}.png`), fullPage });
}

/** How far the page reaches beyond the window sideways (0: it does not scroll sideways). */
const sidewaysOverflow = () =>
  page.evaluate(() => {
    const el = document.scrollingElement ?? document.documentElement;
    return el.scrollWidth - window.innerWidth;
  });

/** The outermost elements sticking out of the window's right edge (none inside a scrolling box). */
const overflowingElements = () =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
      .filter((el) => {
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement)
          if (getComputedStyle(a).overflowX !== 'visible') return false;
        return true;
      })
      .slice(0, 6)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`)
      .join(' '),
  );

async function expectNoSidewaysScroll(screen: string): Promise<void> {
  const over = await sidewaysOverflow();
  if (over > 0) {
    expect(`${screen}: ${over} px too wide: ${await overflowingElements()}`).toBe(
      `${screen}: fits`,
    );
  }
}

/** A dialog or menu lies within the window's width, and the page does not scroll sideways. */
async function expectInWindow(screen: string, box: Locator, size: Size): Promise<void> {
  await expectNoSidewaysScroll(screen);
  const { x, width } = (await box.boundingBox())!;
  expect(x).toBeGreaterThanOrEqual(0);
  expect(x + width).toBeLessThanOrEqual(size.width);
}

const tab = (name: string) => page.getByRole('tab', { name, exact: true });
const section = (name: string) =>
  page.getByRole('navigation', { name: 'Designer sections' }).getByRole('button', { name });

/**
 * The DAG as drawn: its picture's box, each node's box and each edge's points
 * (sampled along the path) in the page's coordinates.
 */
const dagGeometry = () =>
  page.evaluate(() => {
    const svg = document.querySelector<SVGSVGElement>('svg[aria-label="Column dependency graph"]');
    if (!svg) return null;
    const box = (r: DOMRect) => ({ left: r.left, top: r.top, right: r.right, bottom: r.bottom });
    const nodes = [...svg.querySelectorAll<SVGGElement>('g.node')].map((g) => ({
      name: g.dataset['name'] ?? '',
      box: box(g.querySelector('rect')!.getBoundingClientRect()),
    }));
    const ctm = svg.getScreenCTM()!;
    const edges = [...svg.querySelectorAll<SVGPathElement>('path.edge')].map((p) => {
      const length = p.getTotalLength();
      const points: { x: number; y: number }[] = [];
      for (let k = 0; k <= 40; k++) {
        const pt = p.getPointAtLength((length * k) / 40).matrixTransform(ctm);
        points.push({ x: pt.x, y: pt.y });
      }
      return { from: p.dataset['from'] ?? '', to: p.dataset['to'] ?? '', points };
    });
    // The box the picture shows in (it scrolls when the picture cannot shrink enough).
    const frame = box(svg.parentElement!.getBoundingClientRect());
    return { svg: box(svg.getBoundingClientRect()), frame, nodes, edges };
  });

/** Each timeline lane's label: its full name, the text shown, and whether it is cut. */
const laneLabels = () =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.timeline .lane-name')].map((el) => ({
      title: el.title,
      text: el.textContent,
      cut: el.scrollWidth > el.clientWidth + 0.5 || el.scrollHeight > el.clientHeight + 0.5,
    })),
  );

/** Example gallery cards whose content does not fit their box, or that stick out of the dialog. */
const cutCards = () =>
  page.evaluate(() => {
    const dialog = document.querySelector('dialog[open]')!;
    const d = dialog.getBoundingClientRect();
    return [...dialog.querySelectorAll<HTMLElement>('.card')]
      .filter((c) => {
        const r = c.getBoundingClientRect();
        return (
          c.scrollWidth > c.clientWidth + 0.5 ||
          c.scrollHeight > c.clientHeight + 0.5 ||
          r.left < d.left - 0.5 ||
          r.right > d.right + 0.5
        );
      })
      .map((c) => c.getAttribute('aria-label'));
  });

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  app = await openApp(resolve(ROOT, 'dist'), '/tabsynth/');
  page = app.page;
  page.setDefaultTimeout(15_000);
  await page.setViewportSize({ width: 1400, height: 900 });
});

afterAll(() => app?.close());

it('runs a small example on the simulated model, its timeline recorded', async () => {
  await page.goto(app.site.url);
  await page.getByRole('button', { name: 'Examples', exact: true }).click();
  await page.getByRole('button', { name: 'Open example Product reviews' }).click();
  await expect.poll(() => page.locator('#col-item-6').textContent()).toContain('title');
  await tab('Run').click();
  await page.getByLabel('Rows', { exact: true }).fill('100');
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await expect
    .poll(() => page.locator('.outcome').textContent(), { timeout: 120_000 })
    .toMatch(/Generated 100 of 100 rows/);
  await tab('Design').click();
});

describe.each(SCHEMES)('every screen, %s', (scheme) => {
  describe.each(SIZES)('at $width px', (size) => {
    beforeAll(async () => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width: size.width, height: size.height });
    });

    it('the designer: each section fits the width; the DAG lies inside its picture', async () => {
      await tab('Design').click();
      for (const name of ['Models', 'Seed data', 'Processors & settings', 'Columns']) {
        await section(name).click();
        await expect.poll(() => section(name).getAttribute('aria-current')).toBe('page');
        await expectNoSidewaysScroll(`design ${name}`);
        await shot(`design-${name.split(' ')[0]!.toLowerCase()}`, scheme, size);
      }
      await page.locator('#col-item-6').click();
      await expect
        .poll(() => page.getByRole('region', { name: 'Preview rows', exact: true }).count())
        .toBe(1);

      const dag = await dagGeometry();
      expect(dag?.nodes.length).toBe(7);
      const { svg, frame, nodes, edges } = dag!;
      const rightMost = nodes.reduce((a, b) => (b.box.right > a.box.right ? b : a));
      expect(rightMost.box.right).toBeLessThanOrEqual(svg.right);
      expect(rightMost.box.right).toBeLessThanOrEqual(frame.right);
      for (const n of nodes) {
        expect(n.box.left, n.name).toBeGreaterThanOrEqual(svg.left);
        expect(n.box.bottom, n.name).toBeLessThanOrEqual(svg.bottom);
      }
      // An edge touches only the two nodes it joins.
      const crossings = edges.flatMap((e) =>
        nodes
          .filter((n) => n.name !== e.from && n.name !== e.to)
          .filter((n) =>
            e.points.some(
              (p) =>
                p.x > n.box.left + 1 &&
                p.x < n.box.right - 1 &&
                p.y > n.box.top + 1 &&
                p.y < n.box.bottom - 1,
            ),
          )
          .map((n) => `${e.from} -> ${e.to} crosses ${n.name}`),
      );
      expect(crossings).toEqual([]);
      expect(edges.length).toBeGreaterThan(0);
      await shot('design-columns-dag', scheme, size);
    });

    it('the row detail dialog fits the width', async () => {
      await page.getByRole('button', { name: 'Open row 1', exact: true }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Row 1' });
      try {
        await expect.poll(() => dialog.isVisible()).toBe(true);
        await shot('row-detail', scheme, size, false);
        await expectInWindow('row detail', dialog, size);
      } finally {
        await page.keyboard.press('Escape');
      }
      await expect.poll(() => dialog.count()).toBe(0);
    });

    it('the gallery: its cards show whole and fit the width', async () => {
      await page.getByRole('button', { name: 'Examples', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Example pipelines' });
      try {
        await expect.poll(() => dialog.isVisible()).toBe(true);
        await shot('gallery', scheme, size, false);
        await expectNoSidewaysScroll('gallery');
        expect(await cutCards()).toEqual([]);
      } finally {
        await page.keyboard.press('Escape');
      }
      await expect.poll(() => dialog.isVisible()).toBe(false);
    });

    it('the design menu fits the width', async () => {
      const toggle = page.getByRole('button', { name: /^Design\b/ });
      await toggle.click();
      const menu = page.getByRole('region', { name: 'Saved designs' });
      try {
        await expect.poll(() => menu.isVisible()).toBe(true);
        await shot('design-menu', scheme, size, false);
        await expectInWindow('design menu', menu, size);
      } finally {
        await toggle.click();
      }
      await expect.poll(() => menu.count()).toBe(0);
    });

    it('the run: fits the width; every timeline lane shows its whole name', async () => {
      await tab('Run').click();
      await expect.poll(() => page.locator('.outcome').textContent()).toMatch(/Generated 100/);
      await shot('run', scheme, size);
      await page
        .locator('.timeline')
        .screenshot({ path: resolve(SHOTS, `run-timeline-${size.name}-${scheme}.png`) });
      await expectNoSidewaysScroll('run');
      const labels = await laneLabels();
      // The name the issue found cut to "model simulated/demo-…".
      expect(labels.map((l) => l.title)).toContainEqual(
        expect.stringMatching(/^model simulated\/demo-writer\b/),
      );
      for (const l of labels) {
        expect(l.text).toBe(l.title);
        expect(l.cut, l.title).toBe(false);
      }
    });

    it('the stored runs fit the width', async () => {
      await tab('Stored runs').click();
      await expect.poll(() => page.locator('#panel-history tbody tr').count()).toBeGreaterThan(0);
      await shot('stored-runs', scheme, size);
      await expectNoSidewaysScroll('stored runs');
    });
  });
});

describe.each([1024, 768, 600])('at %i px, between the two', (width) => {
  it('no screen scrolls the page sideways', async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width, height: 800 });
    await tab('Design').click();
    for (const name of ['Models', 'Seed data', 'Processors & settings', 'Columns']) {
      await section(name).click();
      await expect.poll(() => section(name).getAttribute('aria-current')).toBe('page');
      await expectNoSidewaysScroll(`design ${name}`);
    }
    await tab('Run').click();
    await expect.poll(() => page.locator('.outcome').textContent()).toMatch(/Generated 100/);
    await expectNoSidewaysScroll('run');
    await tab('Stored runs').click();
    await expect.poll(() => page.locator('#panel-history tbody tr').count()).toBeGreaterThan(0);
    await expectNoSidewaysScroll('stored runs');
  });
});

describe('the system setting and the tab', () => {
  it('dark mode follows the system: background, text and form controls change', async () => {
    await page.setViewportSize({ width: 1400, height: 900 });
    await tab('Design').click();
    const look = () =>
      page.evaluate(() => {
        const body = getComputedStyle(document.body);
        const input = document.querySelector('[aria-label="Editor"] input:not([type="checkbox"])');
        return {
          background: body.backgroundColor,
          text: body.color,
          input: input ? getComputedStyle(input).backgroundColor : null,
          scheme: getComputedStyle(document.documentElement).colorScheme,
        };
      });
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await look();
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await look();
    expect(light.scheme).toBe('light dark');
    expect(dark.background).not.toBe(light.background);
    expect(dark.text).not.toBe(light.text);
    expect(dark.input).not.toBe(light.input);
    // Dark means dark: the background's brightness is low, the text's high.
    const brightness = (rgb: string) => {
      const [r = 0, g = 0, b = 0] = (rgb.match(/\d+/g) ?? []).map(Number);
      return (r * 299 + g * 587 + b * 114) / 1000;
    };
    expect(brightness(dark.background)).toBeLessThan(60);
    expect(brightness(dark.text)).toBeGreaterThan(200);
    expect(brightness(light.background)).toBeGreaterThan(200);
  });

  it('the tab shows a favicon, served by the built site', async () => {
    const href = await page.evaluate(
      () => document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.href ?? null,
    );
    expect(href).toMatch(/\/tabsynth\/favicon\.svg$/);
    const res = await page.request.get(href!);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('image/svg+xml');
    expect(await res.text()).toContain('<svg');
  });
});
