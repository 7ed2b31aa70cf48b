/** The lattice page's chart ranges (src/app/pages/lattice/charts.ts). */
import { describe, expect, it } from 'vitest';
import { atLeastSpan, MIN_Y_SPAN } from '../src/app/pages/lattice/charts.ts';

describe('atLeastSpan', () => {
  it('widens a flat or nearly flat range around its middle, leaves wide ones alone', () => {
    const [lo, hi] = atLeastSpan(-2, -1.999999999);
    expect(hi - lo).toBeCloseTo(MIN_Y_SPAN, 12);
    expect((lo + hi) / 2).toBeCloseTo(-1.9999999995, 12);
    expect(atLeastSpan(1, 1)).toEqual([1 - MIN_Y_SPAN / 2, 1 + MIN_Y_SPAN / 2]);
    expect(atLeastSpan(-1.5, -1.2)).toEqual([-1.5, -1.2]);
  });
});
