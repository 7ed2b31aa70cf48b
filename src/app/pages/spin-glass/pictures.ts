/**
 * What the spin-glass page draws, as pure functions (no DOM): the overlap image s^a·s^b of two
 * replicas (agreement / disagreement colours), the frustrated plaquettes of a sample (where the
 * dots go), and the P(q) histogram accumulated from the measured overlaps.
 */

import { plaquetteSigns } from '../../../physics/glass-series.ts';
import type { Couplings } from '../../../models/ising/couplings.ts';

/** RGB where the two replicas agree (s^a s^b = +1) and where they disagree (−1). */
export const AGREE_RGB = [64, 150, 255] as const;
export const DISAGREE_RGB = [255, 140, 20] as const;
/** Colour of a frustrated plaquette's dot. */
export const FRUSTRATED_CSS = '#ff3df0';

/**
 * Paints the overlap of replicas a and b (N spins each, at `a` and `b` in `spins`) into RGBA
 * pixels, one per site; returns the number of sites where they agree.
 */
export function paintOverlap(
  pixels: Uint8ClampedArray,
  spins: ArrayLike<number>,
  a: number,
  b: number,
  N: number,
): number {
  let agree = 0;
  for (let i = 0; i < N; i++) {
    const same = spins[a + i] === spins[b + i];
    if (same) agree++;
    const c = same ? AGREE_RGB : DISAGREE_RGB;
    pixels[4 * i] = c[0];
    pixels[4 * i + 1] = c[1];
    pixels[4 * i + 2] = c[2];
    pixels[4 * i + 3] = 255;
  }
  return agree;
}

/** Sites (y·Lx + x) of the frustrated plaquettes (x, y)–(x+1, y+1): an odd number of J = −1 around them. */
export function frustratedPlaquettes(c: Couplings): number[] {
  const out: number[] = [];
  plaquetteSigns(c).forEach((e, i) => {
    if (e < 0) out.push(i);
  });
  return out;
}

/**
 * P(q) of the pair since the last change: counts of q = qN/N over `bins` equal bins of [−1, 1]
 * (q = 1 falls in the last bin). `density` gives each bin's probability per unit q.
 */
export class OverlapHistogram {
  readonly counts: Float64Array;
  total = 0;

  constructor(
    readonly N: number,
    readonly bins = 41,
  ) {
    this.counts = new Float64Array(bins);
  }

  /** Bin of q = qN / N. */
  bin(qN: number): number {
    return Math.min(this.bins - 1, Math.floor(((qN / this.N + 1) / 2) * this.bins));
  }

  add(qN: number): void {
    this.counts[this.bin(qN)]++;
    this.total++;
  }

  clear(): void {
    this.counts.fill(0);
    this.total = 0;
  }

  /** Probability density per bin (integrates to 1 over [−1, 1]); zeros before the first sample. */
  density(): Float64Array {
    const width = 2 / this.bins;
    return this.counts.map((c) => (this.total ? c / (this.total * width) : 0));
  }
}
