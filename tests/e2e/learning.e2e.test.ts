/**
 * learning.html in headless Chromium with WebGPU on SwiftShader, small and fast (N = 15, α = 1.5,
 * K = 4, replica exchange on by default): no console error; the teacher and K replica spin images
 * are drawn (not blank); the live loss/ε curves and the exact panel are drawn; min H shown equals
 * the ground-state energy that the test enumerates itself from the same dataset (same seed); after
 * a few seconds the coldest temperature's running training loss is below the hottest one's; the
 * swap acceptance per pair is shown; the self-averaging histogram over datasets is drawn with its
 * mean and std; moving the β slider moves the marker on the exact panel and changes the values
 * shown; a bad parameter gives a one-line error naming it. Saves test-artifacts/learning.png.
 */

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { generateDataset, teacherStudent } from '../../src/models/weights/datasets.ts';
import { enumeratePerceptron } from '../../src/models/weights/enumeration.ts';
import {
  ROOT,
  decodePng,
  downloadedText,
  pauseThenStep,
  expectCleanStart,
  expectParamError,
  pageSuite,
  spinShot,
  sweepsStarted,
  type Pixels,
} from './browser.ts';

const N = 15;
const ALPHA = 1.5;
const K = 4;
/** The page's default seed (src/app/pages/learning/params.ts). */
const SEED = 1;
const QUERY = `learning.html?N=${N}&alpha=${ALPHA}&K=${K}`;
/** Border width of a spin image in CSS pixels (learning.html), cropped off before looking at it. */
const BORDER = 3;

/** Pixels that are neither near-grey nor near-black: drawn curve colours. */
function colouredPixels(img: Pixels): number {
  let n = 0;
  for (let i = 0; i < img.width * img.height; i++) {
    const [r, g, b] = img.data.subarray(4 * i, 4 * i + 3);
    if (Math.max(r, g, b) - Math.min(r, g, b) > 60) n++;
  }
  return n;
}

describe('learning.html in headless Chromium (WebGPU on SwiftShader)', () => {
  const { app, browser, url } = pageSuite(QUERY, {
    ready: sweepsStarted,
    label: 'build + serve + launch + first sweeps',
    timeout: 120_000,
  });

  test('starts without console errors, warnings or page errors', async () => {
    await expectCleanStart(app(), /adapter.*N = 15.*P = 23|adapter.*N = 15/);
  });

  test(`the teacher and ${K} replica spin images are drawn`, async () => {
    const { page } = app();
    expect(await page.locator('.spin-card[data-role="teacher"]').count()).toBe(1);
    const cards = page.locator('.spin-card[data-role="replica"]');
    expect(await cards.count()).toBe(K);
    const labels = await cards.locator('.spin-label').allTextContents();
    expect(labels.every((l) => /^T = \d+\.\d{3}/.test(l))).toBe(true);
    const images = page.locator('.spin-image');
    expect(await images.count()).toBe(K + 1);
    for (let i = 0; i <= K; i++) {
      const { img, spins, dark, light } = await spinShot(images.nth(i), BORDER);
      console.log(
        `image ${i} (${i === 0 ? 'teacher' : labels[i - 1]}): ${img.width}x${img.height}, ${(100 * spins).toFixed(1)} % spin colours, dark ${dark.toFixed(2)} light ${light.toFixed(2)}`,
      );
      expect(spins, `image ${i} is not drawn`).toBeGreaterThan(0.9);
      if (i === 0) expect(Math.min(dark, light), 'the teacher has both signs').toBeGreaterThan(0.05);
    }
  });

  test('the exact panel shows min H equal to the enumerated ground-state energy', async () => {
    const { page } = app();
    const data = generateDataset(teacherStudent(N, ALPHA, SEED));
    const ground = enumeratePerceptron(data).groundEnergy;
    const shown = await page.locator('#min-h').getAttribute('data-value');
    console.log(`min H shown ${shown}, enumerated ${ground} (P = ${data.P})`);
    expect(Number(shown)).toBe(ground);
    expect(await page.locator('#exact').getAttribute('data-state')).toBe('exact');
    const img = decodePng(await page.locator('#plot-exact canvas').first().screenshot({ timeout: 20_000 }));
    expect(colouredPixels(img), 'exact curves drawn').toBeGreaterThan(100);
  });

  test('curves are drawn, and the coldest replicas learn: lower loss than the hottest', async () => {
    const { page } = app();
    await expect
      .poll(async () => Number(await page.locator('#plots').getAttribute('data-points')), {
        timeout: 30_000,
        interval: 300,
      })
      .toBeGreaterThan(5);
    await page.waitForTimeout(3_000);
    for (const id of ['plot-loss', 'plot-eps']) {
      const img = decodePng(await page.locator(`#${id} canvas`).first().screenshot({ timeout: 20_000 }));
      const n = colouredPixels(img);
      console.log(`#${id}: ${img.width}x${img.height}, ${n} coloured pixels`);
      expect(n, `#${id} shows no curves`).toBeGreaterThan(100);
    }
    const read = async (): Promise<{ T: number; loss: number; eps: number }[]> =>
      page.locator('.spin-card[data-role="replica"]').evaluateAll((els) =>
        els.map((el) => {
          const d = (el as HTMLElement).dataset;
          return { T: Number(d.temperature), loss: Number(d.loss), eps: Number(d.eps) };
        }),
      );
    await expect
      .poll(
        async () => {
          const r = await read();
          return r[0].loss < r[K - 1].loss;
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(true);
    const r = await read();
    console.log(
      `running means: ${r.map((x) => `T=${x.T}: E/P ${x.loss.toFixed(3)}, ε ${x.eps.toFixed(3)}`).join('; ')}; sweeps ${await page.locator('#sweeps').textContent()}`,
    );
    expect(r[0].T).toBeLessThan(r[K - 1].T);
    expect(r[0].loss).toBeLessThan(r[K - 1].loss);
    expect(await page.locator('body').innerText()).not.toMatch(/NaN|Infinity/);
    const out = path.join(ROOT, 'test-artifacts', 'learning.png');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    await page.screenshot({ path: out, fullPage: true });
    const { errors, warnings, pageErrors } = app();
    expect([...errors, ...warnings, ...pageErrors], 'errors while running').toEqual([]);
  });

  test('with replica exchange, the swap acceptance per pair is shown', async () => {
    const { page } = app();
    const row = page.locator('#swaps-row');
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 20_000, interval: 300 }).toBe('measured');
    const acc = await page
      .locator('#swaps .swap-pair')
      .evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.acceptance ?? ''));
    const text = (await page.locator('#swaps').textContent()) ?? '';
    console.log(`swap acceptance: ${acc.join(' ')} (${text})`);
    expect(acc).toHaveLength(K - 1);
    expect(acc.some((a) => a !== '')).toBe(true);
    for (const a of acc.filter((x) => x !== '')) {
      expect(Number(a)).toBeGreaterThanOrEqual(0);
      expect(Number(a)).toBeLessThanOrEqual(1);
    }
    expect(text).toMatch(/\d+%/);
  });

  test('the self-averaging histogram over datasets is drawn, with its mean and std', async () => {
    const { page } = app();
    await expect
      .poll(() => page.locator('#selfavg').getAttribute('data-state'), { timeout: 20_000, interval: 200 })
      .toBe('done');
    const text = page.locator('#selfavg-text');
    const shown = (await text.textContent()) ?? '';
    const d = await text.evaluate((el) => ({ ...(el as HTMLElement).dataset }));
    console.log(
      `#selfavg-text: ${shown} (${await page.locator('#selfavg-hist').getAttribute('data-ms')} ms to enumerate)`,
    );
    expect(shown).toMatch(/mean f = -?\d+\.\d+/);
    expect(shown).toMatch(/std = \d+\.\d+/);
    expect(Number(d.count)).toBe(32);
    expect(Number(d.std)).toBeGreaterThan(0);
    expect(Number.isFinite(Number(d.mean))).toBe(true);
    const img = decodePng(await page.locator('#selfavg-hist').screenshot({ timeout: 20_000 }));
    expect(colouredPixels(img), 'histogram bars drawn').toBeGreaterThan(200);
  });

  test('the β slider moves the marker on the exact panel and the values shown', async () => {
    const { page } = app();
    const readout = page.locator('#beta-readout');
    const state = async () => ({
      data: await readout.evaluate((el) => ({ ...(el as HTMLElement).dataset })),
      text: (await readout.textContent()) ?? '',
      selfavg: await page.locator('#selfavg-text').getAttribute('data-mean'),
      plot: await page.locator('#plot-exact canvas').first().screenshot({ timeout: 20_000 }),
    });
    const before = await state();
    await page.locator('#beta').fill('250');
    await expect
      .poll(async () => (await readout.getAttribute('data-beta')) !== before.data.beta, { timeout: 5_000 })
      .toBe(true);
    const after = await state();
    console.log(`β slider: ${before.text}  →  ${after.text}`);
    expect(Number(after.data.beta)).toBeLessThan(Number(before.data.beta));
    expect(after.data.f).not.toBe(before.data.f);
    expect(after.data.h).not.toBe(before.data.h);
    expect(Number(after.data.h)).toBeGreaterThan(Number(before.data.h)); // hotter: more errors on average
    expect(after.text).toMatch(/exact F = -?\d+\.\d+, <H> = \d+\.\d+/);
    expect(after.text).toMatch(/nearest ladder T = \d+\.\d+: live E\/P = \d+\.\d+/);
    expect(after.selfavg, 'the self-averaging histogram follows β').not.toBe(before.selfavg);
    expect(Buffer.compare(after.plot, before.plot), 'the marker moved').not.toBe(0);
    // Measurements are attributed to the slot their replica held (slotsAt): at the hottest
    // temperature the live loss is that temperature's, not a mix over the ladder (≈ 0.2).
    const live = Number(after.data.live);
    const exactThere = Number(after.data.exactThere);
    console.log(`hottest slot: live E/P ${live}, exact <H>/P ${exactThere}`);
    expect(Number(after.data.slot)).toBe(K - 1);
    expect(Math.abs(live - exactThere)).toBeLessThan(0.06);
  });

  test('a bad parameter (?N=16) shows a one-line error naming N', async () => {
    app();
    await expectParamError(browser(), url('learning.html?N=16'), /bad parameter N/, '.spin-card');
  });
});

describe('learning.html controls (issue 15): pause, one step, exports', () => {
  const { app } = pageSuite('learning.html?N=49&K=3&sweepsPerFrame=2', { ready: sweepsStarted, timeout: 120_000 });

  test('pause stops the sweeps, one step advances one frame; curves CSV and state JSON', async () => {
    const { page, errors, pageErrors } = app();
    const s0 = await pauseThenStep(page, 2); // one frame: sweepsPerFrame sweeps
    await page.getByText('export', { exact: true }).click();
    const grab = (title: string): Promise<string> => downloadedText(page, title);
    const csv = (await grab('curves CSV')).trim().split('\n');
    expect(csv[0]).toBe('sweeps,loss_T0.1000,loss_T0.5477,loss_T3.0000,eps_T0.1000,eps_T0.5477,eps_T3.0000');
    expect(Number(csv[csv.length - 1].split(',')[0])).toBe(s0 + 2); // the last point is the step's
    const state = JSON.parse(await grab('state JSON'));
    expect(state.format).toBe('ising-webgpu-learning/1');
    expect(state.sweepsDone).toBe(s0 + 2);
    expect(atob(state.weights).length).toBe(2 * 3 * 49); // two chains of K replicas, N weights each
    expect([...errors, ...pageErrors]).toEqual([]);
  });
});
