/**
 * Seeded ±J couplings (src/models/ising/couplings.ts): a pure function of (seed, sample, p, Lx, Ly)
 * whose antiferromagnetic fraction is p; the Monte Carlo seed of a disorder shard depends on its
 * first sample, so shards never share random words.
 */
import { describe, expect, it } from 'vitest';
import { antiferroBits, disorderRunSeed, seededCouplings } from '../src/models/ising/couplings.ts';
import { STREAMS, randomWords, seedKey } from '../src/rng/streams.ts';
import { probabilityThreshold } from '../src/params/thresholds.ts';

describe('seeded couplings', () => {
  it('bond b of sample s is antiferromagnetic iff word b & 3 of group b >> 2 is below the threshold of p', () => {
    const c = seededCouplings(6, 4, 0.3, 42, 5);
    const t = probabilityThreshold(0.3);
    for (let b = 0; b < 2 * 24; b++) {
      const w = randomWords(seedKey(42), 5, 0, 0, b >> 2, STREAMS.COUPLINGS)[b & 3];
      expect(((b & 1) === 0 ? c.right : c.down)[b >> 1]).toBe(w < t ? -1 : 1);
    }
    expect(seededCouplings(6, 4, 0.3, 42, 5)).toEqual(c);
    expect(seededCouplings(6, 4, 0.3, 42, 6)).not.toEqual(c);
  });

  it('p = 0 is the ferromagnet, p = 1 all antiferromagnetic, p = 0.5 half of 2·64² bonds within 4 sigma', () => {
    expect(antiferroBits(seededCouplings(8, 8, 0, 1, 0)).every((b) => b === 0)).toBe(true);
    expect(antiferroBits(seededCouplings(8, 8, 1, 1, 0)).every((b) => b === 3)).toBe(true);
    const c = seededCouplings(64, 64, 0.5, 3, 0);
    const afm = [...c.right, ...c.down].filter((J) => J < 0).length;
    const n = 2 * 64 * 64;
    expect(Math.abs(afm - n / 2)).toBeLessThan(4 * Math.sqrt(n / 4));
  });

  it('the run seed of a disorder study depends on the seed and stays below 2^52', () => {
    const seeds = [0, 1, 2, 1000].map((s) => disorderRunSeed(s));
    expect(new Set(seeds).size).toBe(4);
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 52).toBe(true);
  });
});
