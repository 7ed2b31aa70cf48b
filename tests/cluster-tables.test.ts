/** The host thresholds of the cluster updates against values worked out by hand. */
import { describe, expect, it } from 'vitest';
import {
  bondSatisfied,
  bondThresholds,
  clusterSpinIndex,
  clusterSpinTables,
} from '../src/models/ising/cluster/tables.ts';

describe('cluster thresholds', () => {
  it('bond activation at Tc is 2 − √2 (e^{−2K_c} = √2 − 1), for J and −J alike', () => {
    const Tc = 2 / Math.log(1 + Math.SQRT2);
    const t = Math.floor(2 ** 32 * (2 - Math.SQRT2));
    expect(Array.from(bondThresholds([Tc, Tc], 1))).toEqual([t, t]);
    expect(Array.from(bondThresholds([2 * Tc], -2))).toEqual([t]);
    expect(Array.from(bondThresholds([1], 0))).toEqual([0]);
  });

  it('a bond is satisfied when J s_i s_j > 0', () => {
    expect([bondSatisfied(1, 1, 1), bondSatisfied(1, 0, 1), bondSatisfied(-1, 0, 1), bondSatisfied(-1, 1, 1)]).toEqual([
      true,
      false,
      true,
      false,
    ]);
    expect(bondSatisfied(0, 1, 1)).toBe(false);
  });

  it('at h = 0 every cluster goes up with probability 1/2 (Q = 0)', () => {
    expect(clusterSpinTables([1, 2, 3], 0, 1024)).toEqual({ Q: 0, table: Uint32Array.of(2 ** 31, 2 ** 31, 2 ** 31) });
  });

  it('in a field the table covers the charges up to saturation, and larger ones clamp to its ends', () => {
    // T = 1, h = 0.5: p(q) = 1/(1 + e^{−q}); it reaches 2^32 − 1 once e^{−q} < 2^−32, i.e. q ≥ 23 (22.18…).
    const { Q, table } = clusterSpinTables([1], 0.5, 1000);
    expect(Q).toBe(23);
    expect(table[clusterSpinIndex(0, 0, Q)]).toBe(2 ** 31);
    expect(table[clusterSpinIndex(0, 1, Q)]).toBe(Math.floor(2 ** 32 / (1 + Math.exp(-1))));
    expect(table[clusterSpinIndex(0, 1000, Q)]).toBe(2 ** 32 - 1);
    expect(table[clusterSpinIndex(0, -1000, Q)]).toBe(0);
    expect(table[clusterSpinIndex(0, 22, Q)]).toBeLessThan(2 ** 32 - 1);
    // A lattice too small to saturate keeps every charge it can have.
    expect(clusterSpinTables([1, 2], 0.5, 16).Q).toBe(16);
  });
});
