/**
 * The tempering page's pure parts (src/app/pages/tempering/): URL parameters, the per-slot accumulation
 * through the permutation series, and the round-trip count that survives compaction of the
 * permutation series; and the sizes the tempering and learning pages run on the CPU without WebGPU.
 */
import { describe, expect, it } from 'vitest';
import { TemperingAccumulator } from '../src/app/pages/tempering/accumulator.ts';
import { PermutationSeries, compactForTrips } from '../src/app/pages/tempering/permutation-series.ts';
import {
  CPU_LIMITS,
  cpuParams,
  DEFAULT_PARAMS,
  PageParamError,
  parseTemperingParams,
} from '../src/app/pages/tempering/params.ts';
import { cpuLearningParams, parseLearningParams } from '../src/app/pages/learning/params.ts';
import type { RunResult } from '../src/models/ising/sampler.ts';
import { roundTrips } from '../src/tempering/round-trips.ts';

/** A random walk of a ladder's permutation: adjacent swaps with probability p per pair. */
function randomPermutations(K: number, samples: number, p: number, seed: number): Uint32Array {
  let s = seed >>> 0;
  const rand = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const slotReplica = Array.from({ length: K }, (_, k) => k);
  const out = new Uint32Array(samples * K);
  for (let t = 0; t < samples; t++) {
    for (let k = t % 2; k + 1 < K; k += 2) {
      if (rand() < p) [slotReplica[k], slotReplica[k + 1]] = [slotReplica[k + 1], slotReplica[k]];
    }
    out.set(slotReplica, t * K);
  }
  return out;
}

const total = (a: number[]): number => a.reduce((x, y) => x + y, 0);

describe('tempering page parameters', () => {
  it('has the documented defaults', () => {
    expect(parseTemperingParams('')).toEqual(DEFAULT_PARAMS);
    expect(parseTemperingParams('?L=16&K=6&sweepsPerFrame=4')).toMatchObject({ L: 16, K: 6, sweepsPerFrame: 4 });
  });

  it.each([
    ['?K=1', 'K'],
    ['?K=2.5', 'K'],
    ['?L=15', 'L'],
    ['?L=abc', 'L'],
    ['?Tmin=-1', 'Tmin'],
    ['?Tmin=3&Tmax=2', 'Tmax'],
    ['?kernel=nope', 'kernel'],
    ['?kernel=msc-1bit&L=48', 'L'],
    ['?sweepsPerFrame=0', 'sweepsPerFrame'],
  ])('%s is rejected, naming %s', (query, name) => {
    let error: unknown;
    try {
      parseTemperingParams(query);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PageParamError);
    expect((error as PageParamError).parameter).toBe(name);
    expect((error as Error).message).toContain(name);
  });
});

describe('round trips over a compacted permutation series', () => {
  it('compaction keeps the replicas state: trips of (compacted + rest) = trips of (whole) − trips of (head) + trips of (compacted)', () => {
    for (const [K, p, seed] of [
      [4, 0.5, 1],
      [6, 0.3, 2],
      [8, 0.7, 3],
      [2, 0.4, 4],
    ] as const) {
      const perms = randomPermutations(K, 3000, p, seed);
      for (const cut of [1, 17, 1000, 2999]) {
        const head = perms.subarray(0, cut * K);
        const rest = perms.subarray(cut * K);
        const compact = compactForTrips(head, K, K);
        expect(compact.length).toBeLessThanOrEqual(2 * K * K);
        const joined = new Uint32Array(compact.length + rest.length);
        joined.set(compact);
        joined.set(rest, compact.length);
        const expected = total(roundTrips(perms, K, K)) - total(roundTrips(head, K, K));
        expect(total(roundTrips(joined, K, K)) - total(roundTrips(compact, K, K)), `K=${K} cut=${cut}`).toBe(expected);
      }
    }
  });

  it('PermutationSeries counts the same trips as roundTrips on the whole series, in bounded memory', () => {
    const K = 6;
    const perms = randomPermutations(K, 20_000, 0.5, 7);
    const series = new PermutationSeries(K, K, 300);
    for (let t = 0; t < 20_000; t += 37) series.append(perms.subarray(t * K, Math.min(20_000, t + 37) * K));
    expect(series.roundTrips()).toBe(total(roundTrips(perms, K, K)));
    expect(series.roundTrips()).toBeGreaterThan(10);
    expect(series.heldSamples).toBeLessThan(300 + 2 * K + 37);
  });
});

describe('TemperingAccumulator', () => {
  it('sorts each sample by temperature slot through the permutation', () => {
    const K = 3;
    const N = 16;
    // Replica r has bonds 10·(r+1) and magnetisation r+1 at every sample; the permutation moves them.
    const perms = Uint32Array.of(0, 1, 2, 2, 0, 1);
    const run: RunResult = {
      sweeps: 2,
      samples: 2,
      replicas: K,
      bonds: Int32Array.of(10, 20, 30, 10, 20, 30),
      magnetization: Int32Array.of(1, 2, 3, 1, 2, 3),
      flips: new Float64Array(K),
      permutations: perms,
      swapAccepted: Float64Array.of(1, 0),
      swapAttempted: Float64Array.of(1, 1),
    };
    const acc = new TemperingAccumulator(K, N, { burnInFraction: 0 });
    acc.add(run);
    expect(Array.from(acc.energy[0].view())).toEqual([-10 / N, -30 / N]);
    expect(Array.from(acc.magnetization[1].view())).toEqual([2 / N, 1 / N]);
    expect(Array.from(acc.magnetization[2].view())).toEqual([3 / N, 2 / N]);
    expect(acc.acceptance()).toEqual([1, 0]);
    expect(acc.usedSamples).toBe(2);
  });

  it('drops burn-in and caps the samples it holds', () => {
    const K = 2;
    const acc = new TemperingAccumulator(K, 4, { maxSamplesPerSlot: 100, burnInFraction: 0.25 });
    for (let i = 0; i < 30; i++) {
      const samples = 10;
      acc.add({
        sweeps: samples,
        samples,
        replicas: K,
        bonds: new Int32Array(samples * K).fill(i),
        magnetization: new Int32Array(samples * K),
        flips: new Float64Array(K),
        permutations: Uint32Array.from({ length: samples * K }, (_, j) => j % K),
        swapAccepted: new Float64Array(K - 1),
        swapAttempted: new Float64Array(K - 1).fill(samples / 2),
      });
    }
    expect(acc.taken).toBe(300);
    expect(acc.energy[0].length).toBeLessThanOrEqual(100);
    // 25 % of 300 taken = 75 discarded, all of which were dropped already.
    expect(acc.firstUsed).toBe(0);
    expect(acc.slotSeries(0).energy[0].at(-1)).toBe(-29 / 4);
    expect(acc.acceptance()).toEqual([0]);
  });
});

describe('the CPU fallback of the tempering and learning pages', () => {
  it('caps L and K and names each cut', () => {
    const asked = parseTemperingParams('?L=64&K=16&Tmin=2');
    const { params, reduced } = cpuParams(asked);
    expect(params).toEqual({ ...asked, L: CPU_LIMITS.L, K: CPU_LIMITS.K });
    expect(reduced).toEqual([`L = ${CPU_LIMITS.L} instead of 64`, `K = ${CPU_LIMITS.K} instead of 16`]);
  });

  it('keeps what fits untouched', () => {
    expect(cpuParams(DEFAULT_PARAMS)).toEqual({ params: DEFAULT_PARAMS, reduced: [] });
    const small = parseLearningParams('?N=49&K=4');
    expect(cpuLearningParams(small)).toEqual({ params: small, reduced: [] });
  });

  it("caps the learning page's N", () => {
    expect(cpuLearningParams(parseLearningParams('')).reduced).toEqual([]); // the default N runs as asked
    const { params, reduced } = cpuLearningParams(parseLearningParams('?N=625'));
    expect(params.N).toBe(225);
    expect(params.N % 2).toBe(1); // the sampler needs an odd N
    expect(reduced).toEqual(['N = 225 instead of 625']);
  });
});
