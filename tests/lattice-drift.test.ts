/** The lattice page's "equilibrating…" test (src/app/pages/lattice/drift.ts). */
import { describe, expect, it } from 'vitest';
import { DRIFT_WINDOW, drifting } from '../src/app/pages/lattice/drift.ts';

/** A fixed-seed uniform in [−1, 1). */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (2 * s) / 2 ** 32 - 1;
  };
}

describe('drifting', () => {
  const n = 4 * DRIFT_WINDOW;

  it('is true before two windows of samples', () => {
    expect(drifting(new Array(2 * DRIFT_WINDOW - 1).fill(-1.4))).toBe(true);
    expect(drifting(new Array(2 * DRIFT_WINDOW).fill(-1.4))).toBe(false);
  });

  it('is false for a settled series with noise, true while it relaxes', () => {
    const r = noise(7);
    const settled = Array.from({ length: n }, () => -1.35 + 0.02 * r());
    expect(drifting(settled)).toBe(false);
    // Relaxing from e = 0 toward −1.35 with a time constant of 100 samples.
    const relaxing = Array.from({ length: n }, (_, t) => -1.35 * (1 - Math.exp(-t / 100)) + 0.02 * r());
    expect(drifting(relaxing)).toBe(true);
  });
});
