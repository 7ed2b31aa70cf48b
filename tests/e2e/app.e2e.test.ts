/**
 * The built site (dist/) in headless Chromium with WebGPU on SwiftShader: the page starts without
 * errors, really gets a WebGPU adapter, names it, and draws a lattice that changes over time.
 * Never skipped: when Chromium or WebGPU is missing, this fails and says what is missing.
 */

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  buildSite,
  decodePng,
  launchChromium,
  lumaStats,
  openPage,
  pixelDiff,
  serveDist,
  type OpenedPage,
  type Pixels,
  type StaticServer,
} from './browser.ts';

const STARTUP_MS = 3_000; // "the first seconds" in which no error may appear

let server: StaticServer | undefined;
let browser: Browser | undefined;
let opened: OpenedPage | undefined;
let setupError: unknown;

/** The open page; rethrows a setup failure so that every test fails (none is skipped). */
function app(): OpenedPage {
  if (setupError) throw setupError;
  if (!opened) throw new Error('the page was not opened');
  return opened;
}

async function lattice(): Promise<Pixels> {
  return decodePng(await app().page.locator('#lattice').screenshot({ timeout: 30_000 }));
}

describe('index.html in headless Chromium (WebGPU on SwiftShader)', () => {
  beforeAll(async () => {
    try {
      const t0 = Date.now();
      const [srv, br] = await Promise.allSettled([buildSite().then(() => serveDist()), launchChromium()]);
      if (srv.status === 'fulfilled') server = srv.value;
      if (br.status === 'fulfilled') browser = br.value;
      if (srv.status === 'rejected') throw srv.reason;
      if (br.status === 'rejected') throw br.reason;
      console.log(`build + serve + launch: ${Date.now() - t0} ms`);
      opened = await openPage(browser!, new URL('index.html#L=128', server!.url).href); // small lattice: SwiftShader is slow
      await opened.page.waitForTimeout(STARTUP_MS);
    } catch (e) {
      setupError = e;
    }
  }, 180_000);

  afterAll(async () => {
    await opened?.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

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
    console.log(`#lattice: ${(100 * changed).toFixed(2)} % of pixels changed in ~1 s; readout ${readoutBefore} -> ${await readout.textContent()}`);
    expect(changed, "no pixel of #lattice changed in ~1 s").toBeGreaterThan(0);
    expect([...errors, ...pageErrors], 'errors while running').toEqual([]);
  });
});
