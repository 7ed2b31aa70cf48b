/**
 * The spin-glass page's self-averaging panel: the exact free energy per site f = −T ln Z / N at
 * T = 1 of many ±J samples (p = 0.5) of a few small sizes, enumerated in a worker one sample at a
 * time, round robin over the sizes, so every histogram grows as samples finish. One row per size on
 * a shared f axis: the spread shrinks as N grows (about as N^−1/2).
 */

import { meanStd } from '../../../analysis/sample.ts';

/** The sizes enumerated (N = 9, 16, 20, 24) and the most samples per size. */
export const SELFAVG_SIZES = [
  [3, 3],
  [4, 4],
  [5, 4],
  [6, 4],
] as const;
export const SELFAVG_SAMPLES = 64;
/** Temperature of the exact f. */
export const SELFAVG_T = 1;

const ROW_COLORS = ['#ffb020', '#7ddc6a', '#4fc3f7', '#c792ea'];

/** f of every finished sample, per size (index into SELFAVG_SIZES). */
export class FreeEnergySamples {
  readonly f: number[][] = SELFAVG_SIZES.map(() => []);

  add(size: number, f: number): void {
    this.f[size].push(f);
  }

  /** Per size: N, count, mean and standard deviation over samples (std NaN below 2 samples). */
  stats(): { N: number; n: number; mean: number; std: number }[] {
    return this.f.map((values, k) => {
      const N = SELFAVG_SIZES[k][0] * SELFAVG_SIZES[k][1];
      if (values.length < 2) return { N, n: values.length, mean: values[0] ?? Number.NaN, std: Number.NaN };
      return { N, n: values.length, ...meanStd(values) };
    });
  }
}

/** Draws one histogram row per size on `canvas` (a shared f axis), and the numbers in `text`. */
export function drawSelfAverage(canvas: HTMLCanvasElement, text: HTMLElement, s: FreeEnergySamples): void {
  const g = canvas.getContext('2d');
  if (!g) return;
  const W = canvas.width;
  const H = canvas.height;
  g.fillStyle = '#15151c';
  g.fillRect(0, 0, W, H);
  const all = s.f.flat();
  if (all.length === 0) return;
  const lo = Math.min(...all) - 0.01;
  const hi = Math.max(...all) + 0.01;
  const axis = 18;
  const rowH = (H - axis) / SELFAVG_SIZES.length;
  const bins = 40;
  s.f.forEach((values, k) => {
    const counts = new Array<number>(bins).fill(0);
    for (const v of values) counts[Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins))]++;
    const max = Math.max(1, ...counts);
    const base = (k + 1) * rowH;
    g.fillStyle = ROW_COLORS[k];
    counts.forEach((c, b) => {
      const h = ((rowH - 16) * c) / max;
      if (h > 0) g.fillRect((b * W) / bins + 1, base - h, Math.max(1, W / bins - 2), h);
    });
    const [Lx, Ly] = SELFAVG_SIZES[k];
    g.font = '11px system-ui, sans-serif';
    g.fillText(`N = ${Lx * Ly} (${Lx}×${Ly})`, 4, base - rowH + 12);
  });
  g.fillStyle = '#aaa';
  g.fillText(lo.toFixed(3), 2, H - 4);
  const hiText = hi.toFixed(3);
  g.fillText(hiText, W - g.measureText(hiText).width - 2, H - 4);
  g.fillText('f (exact, T = 1)', W / 2 - 40, H - 4);
  const stats = s.stats();
  const row = (x: (typeof stats)[number]): string =>
    `N = ${x.N}: ${x.n} samples, std ${Number.isFinite(x.std) ? x.std.toFixed(4) : '–'}`;
  text.textContent = stats.map(row).join(' · ');
  text.dataset.std = JSON.stringify(stats.map((x) => (Number.isFinite(x.std) ? x.std : null)));
  canvas.dataset.samples = String(all.length);
  canvas.setAttribute(
    'aria-label',
    `histograms of the exact free energy per site f at T = 1 over ${all.length} disorder samples, one row per size: ${stats.map(row).join('; ')}`,
  );
}
