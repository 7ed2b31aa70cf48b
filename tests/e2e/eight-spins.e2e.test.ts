/**
 * eight-spins.html ("Boltzmann in 8 spins") in headless Chromium: the numbers on screen against
 * values computed here from their formulas — Z = (2 cosh βB)^8 (8229.04 at β = B = 1), p = e^{−βE}/Z for the two
 * example configurations (7 up 1 down, 4 up 4 down), and the ring's Z by a separate enumeration — to the precision
 * shown; the β slider moves Z; with J ≠ 0 the page's enumeration and transfer-matrix Z agree.
 */

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { ROOT, pageSuite, withPage } from './browser.ts';

/** Text of #id as shown (Unicode minus turned into '-'). */
async function shown(page: Page, id: string): Promise<string> {
  const text = await page.locator(`#${id}`).textContent();
  return (text ?? '').trim().replace(/\u2212/g, '-');
}

/** Half a unit in the last displayed place of `text` ("8229.04" → 0.005, "1.22e-4" → 0.005e-4). */
function halfUlp(text: string): number {
  const m = /^-?\d+(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(text);
  if (!m) throw new Error(`not a plain number: "${text}"`);
  return 0.5 * 10 ** (-(m[1]?.length ?? 0) + Number(m[2] ?? 0));
}

/** Expects the displayed `text` to be `expected` rounded to the displayed precision. */
function expectShown(text: string, expected: number, what: string): void {
  const value = Number(text);
  expect(Number.isFinite(value), `${what}: "${text}" is a number`).toBe(true);
  expect(Math.abs(value - expected), `${what}: shown ${text}, expected ${expected}`).toBeLessThanOrEqual(
    halfUlp(text) * (1 + 1e-9),
  );
}

/** Sets a range input the way a user's drag does: new value, then an 'input' event. */
async function slide(page: Page, id: string, value: number): Promise<void> {
  await page.evaluate(
    ([id, value]) => {
      const input = document.getElementById(id as string) as HTMLInputElement;
      input.value = String(value);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    },
    [id, value] as const,
  );
}

/** Z of the 8-spin ring, E = −J Σ x_i x_{i+1} − B Σ x_i, summed here state by state. */
function ringZ(beta: number, J: number, B: number): number {
  let Z = 0;
  for (let s = 0; s < 256; s++) {
    const x = Array.from({ length: 8 }, (_, i) => ((s >> i) & 1 ? 1 : -1));
    let E = 0;
    for (let i = 0; i < 8; i++) E += -J * x[i] * x[(i + 1) % 8] - B * x[i];
    Z += Math.exp(-beta * E);
  }
  return Z;
}

describe('eight-spins.html in headless Chromium', () => {
  const { browser, url } = pageSuite();

  test('Z, the example probabilities, the β slider and the ring by two methods', async () => {
    await withPage(browser(), url('eight-spins.html'), async (opened) => {
      const { page } = opened;
      await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });

      // Defaults β = B = 1: Z = (2 cosh 1)^8 = 8229.035….
      const Z1 = (2 * Math.cosh(1)) ** 8;
      const zText = await shown(page, 'Z');
      expect(zText).toBe(Z1.toFixed(2));
      expectShown(zText, Z1, 'Z at β = B = 1');
      expectShown(await shown(page, 'F'), -Math.log(Z1), 'F at β = B = 1');

      // The two highlighted configurations: 7 up 1 down (E = −6) and 4 up 4 down (E = 0), p = e^{−βE}/Z.
      expect(await shown(page, 'exampleA-E')).toBe('-6');
      expect(await shown(page, 'exampleB-E')).toBe('0');
      const pA = await shown(page, 'exampleA-p');
      const pB = await shown(page, 'exampleB-p');
      expect(pA).toBe('0.0490');
      expect(pB).toBe('1.22e-4');
      expectShown(pA, Math.exp(6) / Z1, 'p(E = −6)');
      expectShown(pB, 1 / Z1, 'p(E = 0)');
      expect(await page.locator('#grid .glyph').count()).toBe(256);
      expect(await page.locator('#grid .glyph.highlight').count()).toBe(2);
      expect(await page.locator('#grid .level').count()).toBe(9);

      // The ring at the default J = 1: both Z agree with each other and with the sum done here.
      const ringCheck = async (beta: number, J: number, B: number): Promise<void> => {
        const zEnum = await shown(page, 'ring-Z-enum');
        const zTm = await shown(page, 'ring-Z-tm');
        expect(zTm, `ring Z at β=${beta}, J=${J}, B=${B}`).toBe(zEnum);
        expectShown(zEnum, ringZ(beta, J, B), `ring Z (enumeration) at β=${beta}, J=${J}, B=${B}`);
        expectShown(zTm, ringZ(beta, J, B), `ring Z (transfer matrix) at β=${beta}, J=${J}, B=${B}`);
        const lnEnum = Number(await shown(page, 'ring-lnZ-enum'));
        const lnTm = Number(await shown(page, 'ring-lnZ-tm'));
        expect(Math.abs(lnEnum - lnTm)).toBeLessThanOrEqual(1e-11);
        expect(Number(await shown(page, 'ring-diff'))).toBeLessThan(1e-12);
      };
      await ringCheck(1, 1, 1);

      // Moving β updates Z (and everything else).
      await slide(page, 'beta', 0.5);
      const Zhalf = (2 * Math.cosh(0.5)) ** 8;
      await expect.poll(() => shown(page, 'Z')).toBe(Zhalf.toFixed(2));
      expectShown(await shown(page, 'exampleA-p'), Math.exp(3) / Zhalf, 'p(E = −6) at β = 0.5');
      await ringCheck(0.5, 1, 1);

      // Antiferromagnetic coupling and another field.
      await slide(page, 'J', -1.3);
      await slide(page, 'B', 0.4);
      await slide(page, 'beta', 2);
      await expect.poll(() => shown(page, 'J-value')).toBe('-1.30');
      await ringCheck(2, -1.3, 0.4);
      // The sliders are written back to the address bar, so the link reproduces the view (issue 15).
      expect(new URL(page.url()).search).toBe('?beta=2&B=0.4&J=-1.3');
      expectShown(await shown(page, 'Z'), (2 * Math.cosh(0.8)) ** 8, 'Z at β = 2, B = 0.4');

      // β = 0: Z = 256, no NaN or Infinity anywhere, F explained rather than shown as −∞.
      await slide(page, 'beta', 0);
      await expect.poll(() => shown(page, 'Z')).toBe('256.00');
      expect(await shown(page, 'ring-Z-enum')).toBe('256.00');
      expect(await shown(page, 'ring-Z-tm')).toBe('256.00');
      expect(await shown(page, 'F')).toMatch(/undefined at β = 0/);
      const body = (await page.locator('body').innerText()) ?? '';
      expect(body).not.toMatch(/NaN|Infinity/);

      // Back to the defaults for the screenshot.
      await slide(page, 'beta', 1);
      await slide(page, 'B', 1);
      await slide(page, 'J', 1);
      await expect.poll(() => shown(page, 'Z')).toBe(Z1.toFixed(2));
      expect(await page.locator('body').innerText()).not.toMatch(/NaN|Infinity/);
      const out = path.join(ROOT, 'test-artifacts', 'eight-spins.png');
      fs.mkdirSync(path.dirname(out), { recursive: true });
      await page.screenshot({ path: out, fullPage: true });

      expect([...opened.errors, ...opened.warnings, ...opened.pageErrors]).toEqual([]);
    });
  }, 180_000);
});
