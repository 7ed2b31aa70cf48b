/**
 * The benchmark view and block-averaged rendering, in headless Chromium with WebGPU on SwiftShader:
 * bench.html runs the same suite as `ising bench` and offers its JSON; a lattice with more sites
 * than the canvas has pixels is drawn as grey block averages computed on the GPU.
 */

import { describe, expect, test } from 'vitest';
import { decodePng, pageSuite, withPage } from './browser.ts';

describe('bench.html and large-lattice rendering in headless Chromium', () => {
  const { browser, url } = pageSuite();

  test('bench.html runs the kernel suite and offers the JSON report', async () => {
    await withPage(
      browser(),
      url('bench.html?L=64&kernels=checkerboard-u32,msc-1bit&repeats=1&minSeconds=0.05&autorun=1'),
      async (opened) => {
        const { page } = opened;
        // The first kernel's row is in the table before the suite ends (issue 15: not only at the end).
        const early = await page.waitForFunction(
          () => {
            const rows = document.querySelectorAll('#results tr').length;
            return rows >= 2 && { rows, report: Boolean((window as unknown as { benchReport?: unknown }).benchReport) };
          },
          null,
          { timeout: 120_000, polling: 'raf' },
        );
        expect(await early.jsonValue()).toEqual({ rows: 2, report: false });
        await page.waitForFunction(() => (window as unknown as { benchReport?: unknown }).benchReport, null, {
          timeout: 120_000,
        });
        expect(await page.locator('#results tr').count()).toBe(3); // the header and both kernels, once each
        // The offered file is the report itself: fetch the download link's blob in the page.
        const fromLink = await page.evaluate(async () => {
          const a = document.getElementById('download') as HTMLAnchorElement;
          return { hidden: a.hidden, name: a.download, json: await (await fetch(a.href)).text() };
        });
        expect(fromLink.hidden).toBe(false);
        expect(fromLink.name).toMatch(/^ising-bench-.*\.json$/);
        const report = JSON.parse(fromLink.json);
        console.log(
          `bench.html on ${report.adapter}: ${report.results.map((r: { kernel: string; flips_per_ns: number }) => `${r.kernel} ${r.flips_per_ns.toPrecision(3)} flips/ns`).join(', ')}`,
        );
        expect(report.adapter).toMatch(/\w/);
        for (const k of ['copy_gbytes_per_s', 'philox_per_ns', 'cpu_reference_flips_per_ns'])
          expect(report[k]).toBeGreaterThan(0);
        expect(report.results.map((r: { kernel: string }) => r.kernel)).toEqual(['checkerboard-u32', 'msc-1bit']);
        for (const r of report.results) {
          expect(r.L).toBe(64);
          expect(r.flips_per_ns).toBeGreaterThan(0);
          expect(r.gbytes_per_s).toBeCloseTo(r.bytes_per_flip * r.flips_per_ns, 12);
        }
        // The table shows one row per result.
        expect(await page.locator('#results tr').count()).toBe(1 + report.results.length);
        expect([...opened.errors, ...opened.pageErrors]).toEqual([]);
      },
    );
  }, 180_000);

  test('a 2048² lattice on a smaller canvas is drawn as grey block averages', async () => {
    // T = 5: nearly independent spins, so 4×4 block averages sit near one half (grey).
    await withPage(browser(), url('index.html?L=2048&T=5&kernel=msc-1bit'), async (opened) => {
      const { page } = opened;
      await expect.poll(() => page.locator('#status').textContent(), { timeout: 60_000 }).toMatch(/2048x2048/);
      let grey = 0;
      await expect
        .poll(
          async () => {
            const img = decodePng(await page.locator('#lattice').screenshot({ timeout: 60_000 }));
            let mid = 0;
            const n = img.width * img.height;
            for (let i = 0; i < n; i++) {
              const y = 0.299 * img.data[4 * i] + 0.587 * img.data[4 * i + 1] + 0.114 * img.data[4 * i + 2];
              if (y >= 64 && y <= 192) mid++;
            }
            grey = mid / n;
            return grey;
          },
          { timeout: 90_000, interval: 1_000 },
        )
        .toBeGreaterThan(0.5);
      console.log(`2048² lattice: ${(100 * grey).toFixed(1)} % of canvas pixels are mid-grey block averages`);
      expect([...opened.errors, ...opened.pageErrors]).toEqual([]);
    });
  }, 180_000);
});
