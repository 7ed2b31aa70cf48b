/**
 * The built site (dist/) in headless Chromium with WebGPU on SwiftShader: the page starts without
 * errors, really gets a WebGPU adapter, names it, and draws a lattice that changes over time.
 * Never skipped: when Chromium or WebGPU is missing, this fails and says what is missing.
 */

import { describe, expect, test } from 'vitest';
import { decodePng, lumaStats, pageSuite, pixelDiff, type Pixels } from './browser.ts';

const STARTUP_MS = 3_000; // "the first seconds" in which no error may appear

describe('index.html in headless Chromium (WebGPU on SwiftShader)', () => {
  // Small lattice: SwiftShader is slow.
  const { app } = pageSuite('index.html#L=128', {
    ready: (page) => page.waitForTimeout(STARTUP_MS),
    launchLabel: 'build + serve + launch',
  });

  async function lattice(): Promise<Pixels> {
    return decodePng(await app().page.locator('#lattice').screenshot({ timeout: 30_000 }));
  }

  test('no console error and no page error in the first seconds', () => {
    const { errors, pageErrors, warnings } = app();
    const report = [...errors, ...pageErrors].join('\n');
    expect(pageErrors, `page errors:\n${report}`).toEqual([]);
    expect(errors, `console errors:\n${report}`).toEqual([]);
    if (warnings.length) console.log(`console warnings:\n  ${warnings.join('\n  ')}`);
  });

  test('WebGPU is really there: navigator.gpu gives an adapter', async () => {
    const info = await app().page.evaluate(async () => {
      if (!('gpu' in navigator)) return { error: `navigator.gpu is missing (secure context: ${isSecureContext})` };
      const adapter = await navigator.gpu.requestAdapter();
      if (!adapter) return { error: 'navigator.gpu.requestAdapter() returned null' };
      const { vendor, architecture, device, description } = adapter.info;
      return { vendor, architecture, device, description, fallback: adapter.info.isFallbackAdapter ?? null };
    });
    expect(info, 'error' in info ? info.error : '').not.toHaveProperty('error');
    console.log(`WebGPU adapter in Chromium: ${JSON.stringify(info)}`);
    if (!('error' in info)) expect(`${info.vendor}${info.architecture}${info.description}`).not.toBe('');
  });

  test('#status names the adapter and reports no error', async () => {
    const { page } = app();
    const status = page.locator('#status');
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).not.toMatch(/^\s*starting/);
    const text = (await status.textContent()) ?? '';
    const { vendor, architecture } = await page.evaluate(async () => {
      const a = await navigator.gpu.requestAdapter();
      return { vendor: a?.info.vendor ?? '', architecture: a?.info.architecture ?? '' };
    });
    console.log(`#status: ${text}`);
    expect(text).not.toMatch(/error|fail|lost|unavailable|not supported|no webgpu|exception/i);
    expect(text).toMatch(/adapter/i);
    for (const word of [vendor, architecture].filter(Boolean)) expect(text).toContain(word);
  });

  test('the lattice canvas is drawn: dark and light pixels', async () => {
    app(); // fail at once when setup failed
    let stats = { dark: 0, light: 0 };
    await expect
      .poll(
        async () => {
          stats = lumaStats(await lattice());
          return Math.min(stats.dark, stats.light);
        },
        { timeout: 60_000, interval: 500 },
      )
      .toBeGreaterThan(0.05);
    console.log(`#lattice: ${(100 * stats.dark).toFixed(1)} % dark, ${(100 * stats.light).toFixed(1)} % light pixels`);
  });

  test('the simulation runs: two screenshots 1 s apart differ', async () => {
    const { page, errors, pageErrors } = app();
    const readout = page.locator('#readout');
    const before = await lattice();
    const readoutBefore = await readout.textContent();
    await page.waitForTimeout(1_000);
    const after = await lattice();
    const changed = pixelDiff(before, after);
    console.log(
      `#lattice: ${(100 * changed).toFixed(2)} % of pixels changed in ~1 s; readout ${readoutBefore} -> ${await readout.textContent()}`,
    );
    expect(changed, 'no pixel of #lattice changed in ~1 s').toBeGreaterThan(0);
    expect([...errors, ...pageErrors], 'errors while running').toEqual([]);
  });
});
