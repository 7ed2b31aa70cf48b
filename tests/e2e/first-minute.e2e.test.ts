/**
 * The first minute on every page (issue 15), at 1280×800 and on a 390×844 phone: a lead that says
 * what you see and what to try, a legend and a line on what the numbers mean, no reference to
 * files outside the app or to code names, no horizontal scroll, no overlapping charts, labelled
 * canvases, and zero serious or critical violations from axe-core run in the same headless
 * Chromium. Screenshots of each page at both sizes go to test-artifacts/first-minute-*.png.
 */

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { pageSuite, ROOT, withPage } from './browser.ts';

const ARTIFACTS = path.join(ROOT, 'test-artifacts');
fs.mkdirSync(ARTIFACTS, { recursive: true });
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

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
  {
    name: 'bench',
    query: 'bench.html',
    ready: (p) => p.waitForFunction(() => !/^idle$/.test(document.getElementById('status')?.textContent ?? '')),
    spins: false,
  },
];

/** axe-core's serious and critical violations on the page, one line each. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<AxeResults> } }).axe;
    interface AxeResults {
      violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
    }
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 4).map((n) => n.target.join(' ')),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.targets.join(', ')})`);
}

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
