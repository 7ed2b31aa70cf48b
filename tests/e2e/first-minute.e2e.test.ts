/**
 * The first minute on every page (issue 15), at 1280×800 and on a 390×844 phone: a lead that says
 * what you see and what to try, a legend and a line on what the numbers mean, no reference to
 * files outside the app or to code names, no horizontal scroll, no overlapping charts, at 1280×800
 * the first chart within the first screen or half a screen below it, labelled
 * canvases, and zero serious or critical violations from axe-core run in the same headless
 * Chromium. Screenshots of each page at both sizes go to test-artifacts/first-minute-*.png.
 */

import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { axeViolations, pageSuite, ROOT, withPage } from './browser.ts';

const ARTIFACTS = path.join(ROOT, 'test-artifacts');
fs.mkdirSync(ARTIFACTS, { recursive: true });

const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const;

/** A page, the query it opens with (small sizes: SwiftShader is slow), and when it is running. */
interface PageCase {
  name: string;
  query: string;
  ready: (page: Page) => Promise<unknown>;
  /** Whether the page draws spins (and so needs a legend of their colours). */
  spins: boolean;
}

const moved = (id: string) => (page: Page) =>
  page.waitForFunction((i) => Number(document.getElementById(i)?.textContent) > 0, id, { timeout: 60_000 });

const PAGES: readonly PageCase[] = [
  { name: 'lattice', query: 'index.html#L=64&T=2.3', ready: moved('sweeps'), spins: true },
  { name: 'tempering', query: 'tempering.html?L=16&K=8', ready: moved('sweeps'), spins: true },
  // N = 15: the exact panels and the self-averaging histogram are drawn, side by side at 1280 px.
  { name: 'learning', query: 'learning.html?N=15&K=4', ready: moved('sweeps'), spins: true },
  {
    name: 'eight-spins',
    query: 'eight-spins.html',
    ready: (p) => p.waitForSelector('body[data-state=ready]', { timeout: 30_000 }),
    spins: true,
  },
  { name: 'spin-glass', query: 'spin-glass.html?L=16', ready: moved('sweeps'), spins: true },
  {
    name: 'bench',
    query: 'bench.html',
    ready: (p) => p.waitForFunction(() => !/^idle$/.test(document.getElementById('status')?.textContent ?? '')),
    spins: false,
  },
];

/** Pairs of chart boxes (uPlot charts, chart canvases) that overlap by more than a pixel. */
async function overlappingCharts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const boxes = [...document.querySelectorAll<HTMLElement>('.uplot, canvas[id$="-hist"]')]
      .filter((el) => el.offsetParent !== null)
      .map((el) => ({ id: el.id || el.parentElement?.id || el.className, r: el.getBoundingClientRect() }));
    const out: string[] = [];
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i].r;
        const b = boxes[j].r;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 1 && h > 1) out.push(`${boxes[i].id} × ${boxes[j].id}`);
      }
    return out;
  });
}

/** What a first-time reader sees: the lead, legend and numbers line, labels, overflow. */
async function orientation(page: Page) {
  return page.evaluate(() => {
    const text = (sel: string): string =>
      document.querySelector<HTMLElement>(sel)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
    const visible = (el: Element): boolean => (el as HTMLElement).offsetParent !== null;
    return {
      lead: text('#lead'),
      legend: text('.legend'),
      numbers: text('.numbers'),
      body: document.body.textContent ?? '',
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      /** Where the first chart starts, in page px (null: the page has none). */
      firstChartTop: Math.min(
        ...[...document.querySelectorAll<HTMLElement>('.uplot, canvas[id$="-hist"]')]
          .filter(visible)
          .map((el) => el.getBoundingClientRect().top + window.scrollY),
      ),
      unlabelledCanvases: [...document.querySelectorAll('canvas')]
        .filter((c) => visible(c) && !c.closest('.uplot') && !(c.getAttribute('aria-label') ?? '').trim())
        .map((c) => c.id || c.className),
    };
  });
}

describe('the first minute on every page, at 1280×800 and 390×844', () => {
  const { browser, url } = pageSuite(undefined, { launchLabel: 'build + serve + launch' });

  for (const p of PAGES)
    test(`${p.name}: lead, legend, numbers; no overflow, no overlap, labelled canvases, no serious axe violation`, async () => {
      for (const viewport of VIEWPORTS) {
        await withPage(
          browser(),
          url(p.query),
          async (o) => {
            const { page } = o;
            await p.ready(page);
            const seen = await orientation(page);
            const where = `${p.name} at ${viewport.width}×${viewport.height}`;
            await page.screenshot({
              path: path.join(ARTIFACTS, `first-minute-${p.name}-${viewport.width}.png`),
              fullPage: true,
            });
            expect.soft(seen.lead, `${where}: #lead`).toMatch(/\w{3,}.*\.\s.*\w{3,}/s); // two sentences at least
            if (p.spins) expect.soft(seen.legend, `${where}: legend`).toMatch(/up|\+1/);
            expect.soft(seen.numbers.length, `${where}: what the numbers mean`).toBeGreaterThan(80);
            expect.soft(seen.overflow, `${where}: horizontal overflow in px`).toBeLessThanOrEqual(0);
            console.log(
              `${where}: first chart at ${Number.isFinite(seen.firstChartTop) ? `${seen.firstChartTop.toFixed(0)} px` : 'none (no chart)'}`,
            );
            // At 1280×800 a chart starts within the first screen or one short scroll (half a screen).
            if (viewport.width === 1280 && Number.isFinite(seen.firstChartTop))
              expect
                .soft(seen.firstChartTop, `${where}: top of the first chart`)
                .toBeLessThanOrEqual(1.5 * viewport.height);
            expect.soft(seen.unlabelledCanvases, `${where}: canvases without aria-label`).toEqual([]);
            expect
              .soft(seen.body, `${where}: a file or code name in the page text`)
              .not.toMatch(/\.md\b|\.ts\b|chainExact|\bNode\b|`/);
            expect.soft(await overlappingCharts(page), `${where}: overlapping charts`).toEqual([]);
            const axe = await axeViolations(page);
            if (axe.length) console.log(`${where}: axe\n  ${axe.join('\n  ')}`);
            expect.soft(axe, `${where}: axe`).toEqual([]);
            expect.soft([...o.errors, ...o.pageErrors], `${where}: console`).toEqual([]);
          },
          { viewport },
        );
      }
    });
});

/** Text of an element, '' when missing. */
const textOf = async (page: Page, sel: string): Promise<string> => (await page.locator(sel).textContent()) ?? '';
const sweeps = async (page: Page): Promise<number> => Number(await textOf(page, '#sweeps'));

describe('tempering at K = 32 on a phone: every card label fits', () => {
  const { browser, url } = pageSuite();

  test('no label is cut', async () => {
    await withPage(
      browser(),
      url('tempering.html?L=8&K=32'),
      async (o) => {
        await moved('sweeps')(o.page);
        const cut = await o.page
          .locator('.replica-label')
          .evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent));
        expect(await o.page.locator('.replica-label').count()).toBe(32);
        expect(cut).toEqual([]);
        await o.page.screenshot({ path: path.join(ARTIFACTS, 'first-minute-tempering-K32-390.png') });
      },
      { viewport: VIEWPORTS[1] },
    );
  });
});

describe('reduced motion: the live pages start paused', () => {
  const { browser, url } = pageSuite();

  test('tempering, learning and the spin glass wait for a press of run', async () => {
    for (const query of ['tempering.html?L=8&K=4', 'learning.html?N=25&K=2', 'spin-glass.html?L=16&K=2']) {
      await withPage(
        browser(),
        url(query),
        async (o) => {
          await o.page.waitForSelector('body[data-running]', { timeout: 60_000 });
          await o.page.waitForTimeout(800);
          expect(await o.page.locator('body').getAttribute('data-running'), query).toBe('false');
          expect(await textOf(o.page, '#sweeps'), query).toBe('0');
          expect(await textOf(o.page, '#pane'), query).toMatch(/reduced motion/);
          await o.page.locator('button', { hasText: 'run (space)' }).click();
          await expect.poll(() => sweeps(o.page), { timeout: 30_000 }).toBeGreaterThan(0);
        },
        { reducedMotion: true },
      );
    }
  });
});

describe('every page without WebGPU (navigator.gpu removed) runs something real', () => {
  const { browser, url } = pageSuite(undefined, { launchLabel: 'build + serve + launch' });

  /** Opens the page without navigator.gpu, runs `check`, saves a screenshot, expects no page error. */
  const withoutGpu = (name: string, query: string, check: (page: Page) => Promise<void>) =>
    withPage(
      browser(),
      url(query),
      async (o) => {
        await check(o.page);
        await o.page.screenshot({ path: path.join(ARTIFACTS, `first-minute-${name}-no-webgpu.png`), fullPage: true });
        expect(await o.page.locator('body').textContent()).not.toMatch(/\bNode\b/);
        expect(o.pageErrors).toEqual([]);
      },
      { viewport: VIEWPORTS[0], withoutGpu: true },
    );

  /** The sweep counter moves on (the CPU sampler runs). */
  const runs = async (page: Page): Promise<void> => {
    await expect.poll(() => sweeps(page), { timeout: 60_000 }).toBeGreaterThan(0);
    const s0 = await sweeps(page);
    await expect.poll(() => sweeps(page), { timeout: 30_000 }).toBeGreaterThan(s0);
  };

  test('lattice: the CPU reference in a worker; says what runs instead', async () => {
    await withoutGpu('lattice', 'index.html#L=1024&T=2.3', async (page) => {
      await expect.poll(() => page.locator('body').getAttribute('data-backend'), { timeout: 30_000 }).toBe('cpu');
      await runs(page);
      expect(await textOf(page, '#fallback')).toMatch(/navigator\.gpu is missing.*Running instead: .*CPU/);
      expect(page.url()).toMatch(/L=256&/); // the size that runs, in the controls and the address bar
      expect(await page.locator('.gpu-only').isVisible()).toBe(false); // no zoom or pan offered
    });
  });

  test('tempering: the CPU ladder in a worker, cards drawn, estimates', async () => {
    await withoutGpu('tempering', 'tempering.html?L=64&K=6', async (page) => {
      await expect.poll(() => page.locator('body').getAttribute('data-backend'), { timeout: 30_000 }).toBe('cpu');
      await runs(page);
      expect(await textOf(page, '#status')).toMatch(
        /Running instead: .*CPU.*6 replicas of 32x32.*L = 32 instead of 64/,
      );
      expect(await page.locator('.replica-lattice').count()).toBe(6);
      await expect.poll(() => page.locator('#plots').getAttribute('data-points'), { timeout: 60_000 }).not.toBe('0');
    });
  });

  test('learning: the CPU sampler in a worker at a smaller N, students drawn', async () => {
    await withoutGpu('learning', 'learning.html?N=625', async (page) => {
      await expect.poll(() => page.locator('body').getAttribute('data-backend'), { timeout: 30_000 }).toBe('cpu');
      await runs(page);
      expect(await textOf(page, '#status')).toMatch(/Running instead: .*CPU.*N = 225,.*N = 225 instead of 625/);
      expect(await page.locator('.spin-image').count()).toBe(1 + 8); // the teacher and one student per temperature
      expect(await page.locator('#exact-note a[href="?N=15"]').count()).toBe(1); // a link, not a URL to type
      await expect.poll(() => page.locator('#plots').getAttribute('data-points'), { timeout: 30_000 }).not.toBe('0');
      expect(await page.locator('#error').isVisible()).toBe(false);
    });
  });

  test("learning's default N: the coldest student freezes into the teacher (R = 1) well within a minute", async () => {
    // On the CPU worker (no reduction at the default N); the GPU sampler draws the same numbers, slower here.
    await withoutGpu('learning-default', 'learning.html', async (page) => {
      await runs(page);
      expect(await page.locator('#lead a[href="?N=225"]').count()).toBe(1); // a larger N one click away
      const coldest = page.locator('.spin-label', { hasText: 'T = 0.100' });
      await expect.poll(() => coldest.textContent(), { timeout: 55_000 }).toMatch(/R = 1\.00/); // 560 sweeps: ~23 s here
    });
  });

  test('eight spins: exact, needs no GPU', async () => {
    await withoutGpu('eight-spins', 'eight-spins.html', async (page) => {
      await page.waitForSelector('body[data-state=ready]', { timeout: 30_000 });
      expect(Number(await page.locator('#Z').getAttribute('data-value'))).toBeCloseTo((2 * Math.cosh(1)) ** 8, 6);
    });
  });

  test('bench: explains why nothing can be timed and links to the pages that run', async () => {
    await withoutGpu('bench', 'bench.html', async (page) => {
      await expect.poll(() => page.locator('#no-gpu').isVisible(), { timeout: 30_000 }).toBe(true);
      expect(await textOf(page, '#status')).toMatch(/WebGPU is not available/);
      expect(await page.locator('#run').isDisabled()).toBe(true);
      const links = await page.locator('#no-gpu a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      expect(links).toEqual([
        './index.html',
        './tempering.html',
        './learning.html',
        './eight-spins.html',
        './spin-glass.html',
      ]);
    });
  });
});
