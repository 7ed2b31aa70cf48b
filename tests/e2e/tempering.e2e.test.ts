/**
 * tempering.html in headless Chromium with WebGPU on SwiftShader: one ladder of K replicas runs
 * with replica exchange; the page shows K labelled lattice canvases drawn from the GPU, a swap
 * acceptance profile and round trips that grow, live curves with Monte Carlo points, and no
 * console error; a bad URL parameter gives a one-line error that names it.
 */

import { describe, expect, test } from 'vitest';
import {
  decodePng,
  downloadedText,
  pauseThenStep,
  expectCleanStart,
  expectParamError,
  fractionNear,
  lumaStats,
  pageSuite,
  pixelDiff,
  spinShot,
  sweepsStarted,
  type Pixels,
  withPage,
} from './browser.ts';

const K = 6;
const QUERY = `tempering.html?L=16&K=${K}&sweepsPerFrame=4`;
/** Monte Carlo points (MC_COLOR in src/app/pages/tempering/chart-specs.ts) and the Kaufman curves. */
const MC = [0xff, 0xb0, 0x20];
const KAUFMAN = [0x4f, 0xc3, 0xf7];
/** Canvas border width in CSS pixels (tempering.html), cropped off before looking at the lattice. */
const BORDER = 3;

/** Count of pixels within `tol` of `color`. */
const countNear = (img: Pixels, color: number[], tol: number): number =>
  Math.round(fractionNear(img, [color], tol) * img.width * img.height);

describe('tempering.html in headless Chromium (WebGPU on SwiftShader)', () => {
  const { app, browser, url } = pageSuite(QUERY, {
    ready: sweepsStarted, // running: sweeps advance
    label: 'build + serve + launch + first sweeps',
    timeout: 120_000,
  });

  const latticeShot = (i: number) => spinShot(app().page.locator('.replica-lattice').nth(i), BORDER);

  test('starts without console errors, warnings or page errors', async () => {
    await expectCleanStart(app(), /adapter.*6 replicas of 16x16/);
  });

  test(`${K} labelled lattice canvases, one per temperature slot, drawn from the GPU`, async () => {
    const { page } = app();
    const cards = page.locator('.replica');
    expect(await cards.count()).toBe(K);
    expect(await page.locator('.replica-lattice').count()).toBe(K);
    const info = await cards.evaluateAll((els) =>
      els.map((el) => ({
        slot: Number((el as HTMLElement).dataset.slot),
        T: Number((el as HTMLElement).dataset.temperature),
        label: el.querySelector('.replica-label')?.textContent ?? '',
        border: getComputedStyle(el.querySelector('canvas')!).borderTopColor,
      })),
    );
    console.log(`cards: ${info.map((c) => `[${c.label} slot ${c.slot} ${c.border}]`).join(' ')}`);
    // A permutation of the slots; each label names its slot's temperature; K distinct border colours.
    expect(info.map((c) => c.slot).sort()).toEqual(Array.from({ length: K }, (_, k) => k));
    for (const c of info) expect(c.label).toContain(`T = ${c.T.toFixed(3)}`);
    expect(new Set(info.map((c) => c.border)).size).toBe(K);

    // Every canvas shows lattice colours (the clear colour alone would not pass), and each shows
    // dark and light spins in some screenshot (cold replicas are mostly ordered: a few looks).
    const seen = Array.from({ length: K }, () => ({ dark: false, light: false, lattice: 0 }));
    await expect
      .poll(
        async () => {
          for (let i = 0; i < K; i++) {
            const { spins, dark, light } = await latticeShot(i);
            seen[i].dark ||= dark > 0;
            seen[i].light ||= light > 0;
            seen[i].lattice = Math.max(seen[i].lattice, spins);
          }
          return seen.filter((s) => s.dark && s.light && s.lattice > 0.9).length;
        },
        { timeout: 30_000, interval: 300 },
      )
      .toBe(K);
    // Across the ladder both phases show up: plenty of dark and of light pixels in all.
    const all = await Promise.all(Array.from({ length: K }, async (_, i) => (await latticeShot(i)).img));
    const mean = all
      .map(lumaStats)
      .reduce((a, s) => ({ dark: a.dark + s.dark / K, light: a.light + s.light / K }), { dark: 0, light: 0 });
    console.log(
      `lattices: ${seen.map((s) => s.lattice.toFixed(3)).join(', ')} lattice-coloured; all: ${(100 * mean.dark).toFixed(1)} % dark, ${(100 * mean.light).toFixed(1)} % light`,
    );
    expect(Math.min(mean.dark, mean.light)).toBeGreaterThan(0.05);
  });

  test('swaps are accepted, round trips counted, and the curves are drawn with Monte Carlo points', async () => {
    const { page } = app();
    const shown = async (): Promise<{
      trips: number;
      acceptance: number[];
      points: number;
      sweeps: number;
      rate: number;
    }> =>
      page.evaluate(() => ({
        trips: Number(document.getElementById('trips')!.dataset.value),
        acceptance: [...document.querySelectorAll<HTMLElement>('#acceptance .pair')].map((p) =>
          Number(p.dataset.acceptance || 0),
        ),
        points: Number(document.getElementById('plots')!.dataset.points),
        sweeps: Number(document.getElementById('sweeps')!.textContent),
        rate: Number(document.getElementById('rate')!.textContent),
      }));
    await expect
      .poll(
        async () => {
          const s = await shown();
          return s.points === K && (s.trips > 0 || Math.max(...s.acceptance) > 0);
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(true);
    const s = await shown();
    console.log(
      `round trips ${s.trips}, acceptance ${s.acceptance.map((a) => a.toFixed(2)).join(' ')}, sweeps ${s.sweeps}, ${s.rate} sweeps/s`,
    );
    expect(s.acceptance).toHaveLength(K - 1);
    expect(s.sweeps).toBeGreaterThan(0);
    expect(s.rate).toBeGreaterThan(0);
    expect(await page.locator('#acceptance .pair-value').first().textContent()).toMatch(/^\d+%$/);
    // Each chart's canvas holds Monte Carlo points (its colour) and, for e and c, Kaufman's curve.
    for (const id of ['plot-e', 'plot-c', 'plot-m', 'plot-u4']) {
      const img = decodePng(await page.locator(`#${id} canvas`).first().screenshot({ timeout: 20_000 }));
      const mc = countNear(img, MC, 24);
      const exact = countNear(img, KAUFMAN, 24);
      console.log(`#${id}: ${img.width}x${img.height}, ${mc} MC-point pixels, ${exact} Kaufman-curve pixels`);
      expect(mc, `#${id} shows no Monte Carlo points`).toBeGreaterThan(K * 8);
      if (id === 'plot-e' || id === 'plot-c') expect(exact, `#${id} shows no Kaufman curve`).toBeGreaterThan(100);
    }
  });

  test('the page runs: two screenshots of the ladder 1 s apart differ', async () => {
    const { page, errors, warnings, pageErrors } = app();
    const ladder = page.locator('#ladder');
    const before = decodePng(await ladder.screenshot({ timeout: 20_000, animations: 'allow' }));
    await page.waitForTimeout(1_000);
    const after = decodePng(await ladder.screenshot({ timeout: 20_000, animations: 'allow' }));
    const changed = pixelDiff(before, after);
    console.log(`#ladder: ${(100 * changed).toFixed(2)} % of pixels changed in ~1 s`);
    expect(changed).toBeGreaterThan(0);
    expect([...errors, ...warnings, ...pageErrors], 'errors while running').toEqual([]);
  });

  test('at L = 1024 the starting lattices are drawn before the first sweeps are done (issue 15)', async () => {
    app(); // fail at once when setup failed
    await withPage(browser(), url('tempering.html?L=1024&K=2&sweepsPerFrame=1'), async ({ page }) => {
      await expect.poll(() => page.locator('body').getAttribute('data-state'), { timeout: 60_000 }).toBe('running');
      const { img, dark } = await spinShot(page.locator('.replica-lattice').nth(0), BORDER);
      const sweeps = await page.locator('#sweeps').textContent();
      let luma = 0;
      for (let i = 0; i < img.data.length; i += 4)
        luma += (0.299 * img.data[i] + 0.587 * img.data[i + 1] + 0.114 * img.data[i + 2]) / (img.data.length / 4);
      console.log(`L = 1024, at ${sweeps} sweeps: mean luma ${luma.toFixed(0)}, ${(100 * dark).toFixed(0)} % dark`);
      // A hot start averaged over pixel blocks is mid-grey; a card not yet drawn is the dark background.
      expect(luma).toBeGreaterThan(64);
    });
  });

  test('a bad parameter (?K=1) shows a one-line error naming K', async () => {
    app(); // fail at once when setup failed
    await expectParamError(browser(), url('tempering.html?K=1'), /bad parameter K\b/, '.replica');
  });
});

describe('tempering.html controls (issue 15): pause, one step, exports, parameters on the panel', () => {
  const { app } = pageSuite('tempering.html?L=16&K=4&sweepsPerFrame=2', { ready: sweepsStarted, timeout: 120_000 });

  test('pause stops the sweeps, one step advances one frame, the exports hold the curves and the ladder', async () => {
    const { page, errors, pageErrors } = app();
    const s0 = await pauseThenStep(page, 2); // one frame: sweepsPerFrame sweeps
    const sweeps = async () => Number(await page.locator('#sweeps').textContent());
    // Space on the focused step button presses it (one more step), it does not run the page.
    await page.locator('button', { hasText: 'one step' }).focus();
    await page.keyboard.press('Space');
    await expect.poll(sweeps, { timeout: 10_000 }).toBe(s0 + 4);
    expect(await page.locator('body').getAttribute('data-running')).toBe('false');

    await page.getByText('export', { exact: true }).click();
    const grab = (title: string): Promise<string> => downloadedText(page, title);
    const csv = (await grab('curves CSV')).trim().split('\n');
    expect(csv[0]).toBe('T,e,e_err,c,c_err,m_abs,m_abs_err,binder,binder_err');
    expect(csv.length).toBe(1 + 4);
    expect(Number(csv[1].split(',')[0])).toBeCloseTo(1.8, 12); // the ladder's coldest temperature
    const state = JSON.parse(await grab('state JSON'));
    expect(state.format).toBe('ising-webgpu-tempering/1');
    expect(state.sweepsDone).toBe(s0 + 4);
    expect([...state.slots].sort()).toEqual([0, 1, 2, 3]);
    expect(atob(state.spins).length).toBe(4 * 16 * 16);
    // The URL's parameters are on the panel, labelled.
    await page.getByText('parameters (restart)', { exact: true }).click();
    for (const label of ['size L', 'replicas K', 'T min', 'T max', 'kernel', 'sweeps/frame'])
      expect(await page.locator(`[aria-label="${label}"]`).count(), label).toBeGreaterThan(0);
    expect([...errors, ...pageErrors]).toEqual([]);
  });
});
