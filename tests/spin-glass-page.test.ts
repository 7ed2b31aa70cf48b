/**
 * The spin-glass page's pure parts (src/app/pages/spin-glass/): URL parameters and the size the CPU
 * fallback runs, the overlap image's colours and agreement count, the frustrated plaquettes (an
 * odd number of antiferromagnetic bonds around them, invariant under a gauge flip), the P(q)
 * histogram's bins and density, the per-size statistics of the exact f histograms, the ladder
 * under the hood, and the pair shown: the replicas at the coldest slot of the two tempering chains,
 * whose measured overlap equals Σ s^a s^b of their spins on the CPU reference.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_GLASS_PARAMS,
  PageParamError,
  glassCpuParams,
  glassLadder,
  glassQuery,
  parseGlassParams,
} from '../src/app/pages/spin-glass/params.ts';
import {
  AGREE_RGB,
  DISAGREE_RGB,
  frustratedPlaquettes,
  OverlapHistogram,
  paintOverlap,
} from '../src/app/pages/spin-glass/pictures.ts';
import { FreeEnergySamples } from '../src/app/pages/spin-glass/selfavg.ts';
import { ChainSweeper, coldOverlaps, coldPair } from '../src/app/pages/spin-glass/chains.ts';
import { glassConfig } from '../src/app/pages/spin-glass/runner.ts';
import { CpuIsingSampler } from '../src/models/ising/cpu-sampler.ts';
import { seededCouplings, type Couplings } from '../src/models/ising/couplings.ts';

/** The error a bad query throws, as [parameter, message]. */
function failure(query: string): [string, string] {
  try {
    parseGlassParams(query);
  } catch (e) {
    if (e instanceof PageParamError) return [e.parameter, e.message];
    throw e;
  }
  throw new Error(`${query} was accepted`);
}

describe('spin-glass page parameters', () => {
  it('defaults, a round trip through the query, and the CPU fallback size', () => {
    expect(parseGlassParams('')).toEqual(DEFAULT_GLASS_PARAMS);
    const p = parseGlassParams('?L=16&T=0.5&K=4&seed=7&sample=3&sweepsPerFrame=2&frustration=0');
    expect(p).toEqual({ L: 16, T: 0.5, K: 4, seed: 7, sample: 3, sweepsPerFrame: 2, frustration: false });
    expect(parseGlassParams(glassQuery(p))).toEqual(p);
    expect(glassCpuParams(parseGlassParams('?L=64'))).toEqual({
      params: { ...DEFAULT_GLASS_PARAMS, L: 32 },
      reduced: ['L = 32 instead of 64'],
    });
    expect(glassCpuParams(p).reduced).toEqual([]);
    expect(glassCpuParams(parseGlassParams('?K=12&L=16')).reduced).toEqual(['K = 8 instead of 12']);
  });

  it('the ladder: K temperatures from T, geometric, to max(2, 1.5 T); [T] alone when K = 1', () => {
    const ladder = glassLadder(0.5, 5);
    expect(ladder[0]).toBe(0.5);
    expect(ladder[4]).toBe(2);
    for (let k = 1; k < 5; k++) expect(ladder[k] / ladder[k - 1]).toBeCloseTo(4 ** 0.25, 12);
    expect(glassLadder(3, 2)).toEqual([3, 4.5]);
    expect(glassLadder(0.7, 1)).toEqual([0.7]);
  });

  it('a bad value names its parameter and the allowed range', () => {
    expect(failure('?T=9')).toEqual(['T', 'T must be in [0.3, 4], got 9']);
    expect(failure('?T=abc')).toEqual(['T', "T must be a number, got 'abc'"]);
    expect(failure('?L=15')).toEqual(['L', 'L must be even (checkerboard updates), got 15']);
    expect(failure('?L=1024')[0]).toBe('L');
    expect(failure('?sample=-1')).toEqual(['sample', 'sample must be an integer in [0, 4294967295], got -1']);
    expect(failure('?frustration=yes')[0]).toBe('frustration');
    expect(failure('?sweepsPerFrame=0')[0]).toBe('sweepsPerFrame');
    expect(failure('?K=0')).toEqual(['K', 'K must be an integer in [1, 32], got 0']);
  });
});

describe('spin-glass page pictures', () => {
  it('the overlap image: agree colour where s^a = s^b, disagree colour elsewhere, and the count of agreeing sites', () => {
    const spins = Int8Array.from([9, 1, -1, 1, -1, 1, 1, -1, -1]); // offset 1: a = [1,-1,1,-1], b = [1,1,-1,-1]
    const px = new Uint8ClampedArray(16);
    expect(paintOverlap(px, spins, 1, 5, 4)).toBe(2);
    const colour = (i: number) => Array.from(px.subarray(4 * i, 4 * i + 3));
    expect([0, 1, 2, 3].map(colour)).toEqual([[...AGREE_RGB], [...DISAGREE_RGB], [...DISAGREE_RGB], [...AGREE_RGB]]);
    expect(px[15]).toBe(255);
  });

  it('frustrated plaquettes: an odd number of J = −1 around them, none for the ferromagnet, unchanged by a gauge flip', () => {
    const L = 6;
    const c = seededCouplings(L, L, 0.5, 3, 0);
    const J = (x: number, y: number, d: 'right' | 'down'): number => c[d][((y + L) % L) * L + ((x + L) % L)];
    const brute: number[] = [];
    for (let y = 0; y < L; y++)
      for (let x = 0; x < L; x++)
        if (J(x, y, 'right') * J(x + 1, y, 'down') * J(x, y + 1, 'right') * J(x, y, 'down') < 0) brute.push(y * L + x);
    expect(frustratedPlaquettes(c)).toEqual(brute);
    expect(brute.length % 2).toBe(0); // on a torus every bond borders two plaquettes
    expect(brute.length).toBeGreaterThan(0);
    expect(frustratedPlaquettes(seededCouplings(L, L, 0, 3, 0))).toEqual([]);
    // Flip the four bonds of site (2, 3): every plaquette keeps its sign.
    const g: Couplings = { ...c, right: c.right.slice(), down: c.down.slice() };
    for (const [i, d] of [
      [3 * L + 2, 'right'],
      [3 * L + 1, 'right'],
      [3 * L + 2, 'down'],
      [2 * L + 2, 'down'],
    ] as const)
      g[d][i] = -g[d][i];
    expect(frustratedPlaquettes(g)).toEqual(brute);
  });

  it('P(q): q = −1 in the first bin, +1 in the last, 0 in the middle; the density integrates to 1', () => {
    const h = new OverlapHistogram(16, 5);
    for (const qN of [-16, -16, 0, 16, 5]) h.add(qN);
    expect(Array.from(h.counts)).toEqual([2, 0, 1, 1, 1]);
    expect(h.bin(16)).toBe(4);
    const d = h.density();
    expect(d.reduce((s, p) => s + p * (2 / 5), 0)).toBeCloseTo(1, 14);
    h.clear();
    expect(h.total).toBe(0);
    expect(Array.from(h.density())).toEqual([0, 0, 0, 0, 0]);
  });

  it('the f histograms: per-size mean and sample standard deviation, NaN below two samples', () => {
    const s = new FreeEnergySamples();
    for (const f of [-1.5, -1.3, -1.4]) s.add(1, f);
    s.add(0, -1.2);
    const [small, four] = s.stats();
    expect(small).toMatchObject({ N: 9, n: 1, mean: -1.2 });
    expect(small.std).toBeNaN();
    expect(four.N).toBe(16);
    expect(four.mean).toBeCloseTo(-1.4, 14);
    expect(four.std).toBeCloseTo(0.1, 14); // sample std (n − 1) of −1.5, −1.3, −1.4
  });
});

describe('the pair shown: the coldest slot of each tempering chain', () => {
  it('coldPair finds slot 0 in chain 0 (replicas 0…K−1) and in chain 1 (K…2K−1)', () => {
    expect(coldPair([2, 0, 1, 1, 2, 0])).toEqual([1, 5]);
    expect(coldPair([0, 0])).toEqual([0, 1]);
  });

  it('the overlap the page histograms is Σ s^a s^b of the cold pair, sweep by sweep, with and without exchanges', async () => {
    for (const K of [1, 3]) {
      const { config } = glassConfig(parseGlassParams(`?L=8&T=0.6&K=${K}&seed=5&sample=2`));
      const sampler = new CpuIsingSampler(config);
      const chains = new ChainSweeper(sampler);
      let moved = 0;
      for (let sweep = 0; sweep < 40; sweep++) {
        const before = coldPair(sampler.config.slots);
        const result = await chains.sweep(1);
        const spins = await sampler.spins();
        // The pair measured after this sweep held slot 0 during it (exchanges come after the measurement).
        const [a, b] = before;
        let q = 0;
        for (let i = 0; i < 64; i++) q += spins[a * 64 + i] * spins[b * 64 + i];
        expect(coldOverlaps(result)).toEqual([q]);
        if (coldPair(sampler.config.slots)[0] !== a) moved++;
      }
      if (K === 3) expect(moved).toBeGreaterThan(0); // exchanges did bring other replicas to T
      if (K === 3) chains.setTemperatures(glassLadder(1, 3));
      expect(sampler.config.temperatures[0]).toBe(K === 3 ? 1 : 0.6);
    }
  });
});
