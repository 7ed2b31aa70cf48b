// Histogram reweighting checked against independent truth: i.i.d. samples drawn
// exactly from the Boltzmann distribution of the 4×4 torus (joint density of
// states from enumeration, inverse-CDF sampling with a test-local PRNG), and
// exact ln Z, e, c, U₄, χ from enumeration / Kaufman.
import { describe, expect, it } from 'vitest';
import {
  binderCrossing,
  binderCrossingWithErrors,
  jackknifeFromReplicas,
  multipleHistogram,
  reweightSeries,
  singleHistogram,
  specificHeatPeak,
  specificHeatPeakWithErrors,
  type Estimate,
  type HistogramRun,
} from '../src/analysis/index.ts';
import { densityOfStates, enumerateTorus, kaufman } from '../src/physics/index.ts';
import { mulberry32 } from './helpers/prng.ts';

// ---- test-local randomness and exact sampler ----

const L = 4;
const N = L * L;
const DOS = densityOfStates(L, L);

/** n i.i.d. exact Boltzmann samples (E = −bonds, m = M/N) of the 4×4 torus at T (J = 1, h = 0). */
function exactSamples(T: number, n: number, seed: number): { E: Float64Array; m: Float64Array } {
  const logW = DOS.map((d) => d.bonds / T + Math.log(d.count));
  const max = Math.max(...logW);
  const cdf = new Float64Array(DOS.length);
  let acc = 0;
  for (let i = 0; i < DOS.length; i++) {
    acc += Math.exp(logW[i] - max);
    cdf[i] = acc;
  }
  for (let i = 0; i < cdf.length; i++) cdf[i] /= acc;
  const rand = mulberry32(seed);
  const E = new Float64Array(n);
  const m = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    const u = rand();
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    E[s] = -DOS[lo].bonds;
    m[s] = DOS[lo].magnetization / N;
  }
  return { E, m };
}

const exact = (T: number) => enumerateTorus(L, L, T);
const exactLnZDiff = (T: number, T0: number): number => kaufman(L, L, T).lnZ - kaufman(L, L, T0).lnZ;

/** |est − truth| ≤ k·err, with a readable failure message. */
function expectWithin(est: Estimate, truth: number, k: number, what: string): void {
  const dev = Math.abs(est.mean - truth);
  if (!(dev <= k * est.err)) {
    throw new Error(`${what}: ${est.mean} ± ${est.err} vs exact ${truth} (${(dev / est.err).toFixed(2)}σ > ${k}σ)`);
  }
}

const LADDER = [1.8, 2.1, 2.4, 2.7, 3.0, 3.5];
const BETWEEN = [1.95, 2.25, 2.55, 2.85, 3.25];

function ladderRuns(n: number, seed: number, withM = true): HistogramRun[] {
  return LADDER.map((T, k) => {
    const s = exactSamples(T, n, seed * 7919 + k);
    return withM ? { beta: 1 / T, energy: s.E, magnetization: s.m } : { beta: 1 / T, energy: s.E };
  });
}

// ---------------------------------------------------------------------------

describe('single histogram', () => {
  it('is the plain average at beta = beta0 and handles huge energies without overflow', () => {
    const { E, m } = exactSamples(2.5, 1000, 1);
    const r = singleHistogram(E, 0.4, 0.4, m);
    let sE = 0;
    let sM = 0;
    for (let i = 0; i < E.length; i++) {
      sE += E[i];
      sM += m[i];
    }
    expect(r.E).toBeCloseTo(sE / E.length, 12);
    expect(r.O).toBeCloseTo(sM / E.length, 12);
    expect(r.lnZ).toBe(0);
    expect(r.nEff).toBeCloseTo(E.length, 8);
    // Shifting all energies by a constant shifts ln Z exactly and nothing else.
    const shift = 1e5;
    const Es = E.map((x) => x + shift);
    const a = singleHistogram(E, 0.4, 0.43);
    const b = singleHistogram(Es, 0.4, 0.43);
    expect(Number.isFinite(b.lnZ)).toBe(true);
    expect(b.E - shift).toBeCloseTo(a.E, 8);
    expect(b.varE).toBeCloseTo(a.varE, 8);
    expect(b.lnZ + 0.03 * shift).toBeCloseTo(a.lnZ, 8);
  });

  it('reweights T0 = 2.5 to T = 2.3 and 2.7 within 4σ of enumeration', () => {
    const T0 = 2.5;
    const { E, m } = exactSamples(T0, 40000, 12345);
    const targets = [2.3, 2.7];
    const res = reweightSeries({ energy: E, observables: { m }, beta0: 1 / T0, betas: targets.map((T) => 1 / T), N });
    res.forEach((r, i) => {
      const T = targets[i];
      const ex = exact(T);
      expectWithin(r.e, ex.e, 4, `e(T=${T})`);
      expectWithin(r.c, ex.c, 4, `c(T=${T})`);
      expectWithin(r.lnZ, exactLnZDiff(T, T0), 4, `lnZ(T=${T})`);
      expectWithin(r.m2 as Estimate, ex.m2, 4, `m2(T=${T})`);
      expectWithin(r.binder as Estimate, ex.binder, 4, `U4(T=${T})`);
      expectWithin(r.chi as Estimate, ex.chi, 4, `chi(T=${T})`);
      expect(r.e.err).toBeGreaterThan(0);
      expect(r.e.err).toBeLessThan(0.02);
      expect(r.c.err).toBeLessThan(0.05);
      // Point values agree with the plain single-histogram formula.
      const p = singleHistogram(E, 1 / T0, 1 / T, m);
      expect(r.e.mean).toBeCloseTo(p.E / N, 10);
      expect(r.c.mean).toBeCloseTo(p.varE / (T * T * N), 10);
      expect(r.lnZ.mean).toBeCloseTo(p.lnZ, 10);
      expect(r.observables.m.mean).toBeCloseTo(p.O, 10);
      expect(r.nEff).toBeCloseTo(p.nEff, 6);
      expect(r.nEff).toBeLessThan(40000);
      expect(r.nEff).toBeGreaterThan(10000);
    });
  });
});

describe('multiple histogram (Ferrenberg–Swendsen)', () => {
  const n = 20000;
  const runs = ladderRuns(n, 42);
  const mh = multipleHistogram(runs, { N });
  const T0 = LADDER[0];

  it('converges, histograms the integer energies, and fixes ln Z relative to the first run', () => {
    expect(mh.residual).toBeLessThan(1e-10);
    expect(mh.histogrammed).toBe(true);
    expect(mh.energyStep).toBe(4);
    expect(mh.blocks).toBe(16);
    expect(mh.jackknifeCurves).toHaveLength(16);
    expect(mh.runLnZ[0]).toEqual({ mean: 0, err: 0 });
    expect(Math.abs(mh.lnZ(1 / T0))).toBeLessThan(1e-9);
    // The solution satisfies the self-consistency: lnZ(β_k) reproduces the run free energies.
    LADDER.forEach((T, k) => {
      expect(mh.lnZ(1 / T)).toBeCloseTo(mh.runLnZ[k].mean, 9);
    });
  });

  it('ln Z(β) − ln Z(β_0) agrees with Kaufman at and between the ladder points', () => {
    LADDER.forEach((T, k) => {
      if (k > 0) expectWithin(mh.runLnZ[k], exactLnZDiff(T, T0), 4, `runLnZ(T=${T})`);
    });
    for (const T of [...LADDER.slice(1), ...BETWEEN]) {
      const r = mh.estimate(1 / T);
      expectWithin(r.lnZ, exactLnZDiff(T, T0), 4, `lnZ(T=${T})`);
      expect(r.lnZ.err).toBeLessThan(0.05);
    }
  });

  it('e, c, U₄, χ between the ladder temperatures agree with enumeration', () => {
    for (const T of BETWEEN) {
      const r = mh.estimate(1 / T);
      const ex = exact(T);
      expectWithin(r.e, ex.e, 4, `e(T=${T})`);
      expectWithin(r.c, ex.c, 4, `c(T=${T})`);
      expectWithin(r.binder as Estimate, ex.binder, 4, `U4(T=${T})`);
      expectWithin(r.chi as Estimate, ex.chi, 4, `chi(T=${T})`);
      expectWithin(r.m_abs as Estimate, ex.m_abs, 4, `|m|(T=${T})`);
      expect(r.e.err).toBeGreaterThan(0);
      expect(r.e.err).toBeLessThan(0.05);
      expect(r.c.err).toBeLessThan(0.05);
      const p = mh.at(1 / T);
      expect(p.e).toBe(r.e.mean);
      expect(p.E2).toBeCloseTo(p.varE + p.E * p.E, 8);
    }
  });

  it('per-sample sums give the same answer as the histogram; grids with non-integer steps are found', () => {
    const small = ladderRuns(2000, 7, false);
    const hist = multipleHistogram(small, { N, blocks: 8 });
    const perSample = multipleHistogram(small, { N, blocks: 8, histogram: 'never' });
    expect(hist.histogrammed).toBe(true);
    expect(perSample.histogrammed).toBe(false);
    for (const T of [1.9, 2.6, 3.3]) {
      const a = hist.estimate(1 / T);
      const b = perSample.estimate(1 / T);
      expect(b.lnZ.mean).toBeCloseTo(a.lnZ.mean, 8);
      expect(b.e.mean).toBeCloseTo(a.e.mean, 9);
      expect(b.c.mean).toBeCloseTo(a.c.mean, 8);
      expect(b.e.err).toBeCloseTo(a.e.err, 8);
    }
    // J = 0.7: E = −0.7·bonds, grid step 2.8; physics at β·J identical.
    const J = 0.7;
    const scaled = small.map((r) => ({
      beta: r.beta / J,
      energy: Float64Array.from(r.energy as Float64Array, (x) => J * x),
    }));
    const hs = multipleHistogram(scaled, { N, blocks: 8 });
    expect(hs.histogrammed).toBe(true);
    expect(hs.energyStep).toBeCloseTo(4 * J, 9);
    const a = hist.at(1 / 2.6);
    const b = hs.at(1 / (2.6 * J));
    expect(b.e / J).toBeCloseTo(a.e, 9);
    expect(b.lnZ).toBeCloseTo(a.lnZ, 8);
    expect(b.c).toBeCloseTo(a.c, 8);
    // Real-valued energies off any grid: per-sample sums, still correct.
    const rand = mulberry32(99);
    const noisy = small.map((r) => ({
      beta: r.beta,
      energy: Float64Array.from(r.energy as Float64Array, (x) => x + 1e-3 * (rand() - 0.5)),
    }));
    const hn = multipleHistogram(noisy, { N, blocks: 8 });
    expect(hn.histogrammed).toBe(false);
    expect(hn.at(1 / 2.6).e).toBeCloseTo(a.e, 3);
    expect(() => multipleHistogram(noisy, { N, blocks: 8, histogram: 'always' })).toThrow(/not on a common grid/);
    // An explicit step must fit the energies; a finer common step is fine.
    expect(() => multipleHistogram(small, { N, blocks: 8, energyStep: 3 })).toThrow(/not on a common grid/);
    const fine = multipleHistogram(small, { N, blocks: 8, energyStep: 2 });
    expect(fine.energyStep).toBe(2);
    expect(fine.at(1 / 2.6).lnZ).toBeCloseTo(a.lnZ, 10);
  });

  it('replicas, tauInt weights, observables, and the single-run limit are consistent', () => {
    const small = ladderRuns(4000, 11);
    const base = multipleHistogram(small, { N, blocks: 8 });
    // The same samples split into 4 replicas: identical point estimates.
    const split = small.map((r) => {
      const E = r.energy as Float64Array;
      const m = r.magnetization as Float64Array;
      const q = E.length / 4;
      return {
        beta: r.beta,
        energy: [0, 1, 2, 3].map((i) => E.subarray(i * q, (i + 1) * q)),
        observables: { m: [0, 1, 2, 3].map((i) => m.subarray(i * q, (i + 1) * q)) },
      };
    });
    const rep = multipleHistogram(split, { N, blocks: 8 });
    const equalTau = multipleHistogram(
      small.map((r) => ({ ...r, tauInt: 3.7 })),
      { N, blocks: 8 },
    );
    for (const T of [2.0, 2.9]) {
      const a = base.at(1 / T);
      for (const other of [rep.at(1 / T), equalTau.at(1 / T)]) {
        expect(other.lnZ).toBeCloseTo(a.lnZ, 9);
        expect(other.e).toBeCloseTo(a.e, 10);
        expect(other.binder as number).toBeCloseTo(a.binder as number, 10);
      }
      // observables.m doubles as the magnetisation; its signed mean is ≈ 0 at h = 0.
      expect(Math.abs(rep.at(1 / T).observables.m)).toBeLessThan(0.1);
      expect(rep.at(1 / T).m_abs).toBeCloseTo(a.m_abs as number, 10);
    }
    // Unequal statistical inefficiencies reweight the runs but stay unbiased.
    const taus = [0.5, 2, 5, 1, 0.7, 3];
    const weighted = multipleHistogram(
      small.map((r, k) => ({ ...r, tauInt: taus[k] })),
      { N, blocks: 8 },
    );
    expect(weighted.statisticalInefficiency).toEqual(taus.map((t) => 2 * t));
    const r = weighted.estimate(1 / 2.55);
    expectWithin(r.e, exact(2.55).e, 4, 'weighted e');
    expectWithin(r.lnZ, exactLnZDiff(2.55, LADDER[0]), 4, 'weighted lnZ');
    // One run: multiple histogram = single histogram.
    const one = multipleHistogram([small[2]], { N, blocks: 8 });
    const sh = singleHistogram(small[2].energy as Float64Array, small[2].beta, 1 / 2.5);
    expect(one.at(1 / 2.5).lnZ).toBeCloseTo(sh.lnZ, 10);
    expect(one.at(1 / 2.5).E).toBeCloseTo(sh.E, 10);
    expect(one.iterations).toBe(0);
  });

  it('reports non-convergence and bad input clearly', () => {
    const small = ladderRuns(500, 3, false);
    expect(() => multipleHistogram(small, { N, blocks: 0, maxIterations: 0 })).toThrow(/did not converge/);
    expect(() => multipleHistogram(small, { N, blocks: 1000 })).toThrow(/need at least 1000/);
    expect(() => multipleHistogram([small[0], { ...small[1], observables: { x: small[1].energy } }], { N })).toThrow(
      /same observables/,
    );
    const noErr = multipleHistogram(small, { N, blocks: 0 });
    expect(Number.isNaN(noErr.estimate(0.4).e.err)).toBe(true);
  });

  it('jackknife error bars have the right size: 2σ coverage over 50 independent data sets', () => {
    const checks = [
      { T: 2.25, get: (r: ReturnType<typeof mh.estimate>) => r.lnZ, truth: exactLnZDiff(2.25, T0) },
      { T: 2.85, get: (r: ReturnType<typeof mh.estimate>) => r.lnZ, truth: exactLnZDiff(2.85, T0) },
      ...[1.95, 2.55, 3.25].flatMap((T) => [
        { T, get: (r: ReturnType<typeof mh.estimate>) => r.e, truth: exact(T).e },
        { T, get: (r: ReturnType<typeof mh.estimate>) => r.c, truth: exact(T).c },
      ]),
    ];
    let inside = 0;
    let total = 0;
    let maxPull = 0;
    for (let rep = 0; rep < 50; rep++) {
      const res = multipleHistogram(ladderRuns(3000, 1000 + rep, false), { N });
      for (const ch of checks) {
        const est = ch.get(res.estimate(1 / ch.T));
        const pull = Math.abs(est.mean - ch.truth) / est.err;
        maxPull = Math.max(maxPull, pull);
        if (pull <= 2) inside++;
        total++;
      }
    }
    const coverage = inside / total;
    expect(coverage).toBeGreaterThanOrEqual(0.85);
    expect(coverage).toBeLessThanOrEqual(1.0);
    expect(maxPull).toBeLessThan(6);
  });
});

describe('specific-heat peak', () => {
  it('finds the maximum of the exact 16×16 curve (brute-force scan agrees)', () => {
    const curve = (beta: number) => kaufman(16, 16, 1 / beta);
    const peak = specificHeatPeak(curve, 1.8, 3.2);
    // Brute force: fine scans, independent of the golden-section search.
    let bestT = 0;
    let bestC = -Infinity;
    for (let T = 2.0; T <= 2.6; T += 1e-4) {
      const c = kaufman(16, 16, T).c;
      if (c > bestC) [bestT, bestC] = [T, c];
    }
    const lo = bestT - 2e-4;
    for (let i = 0; i <= 4000; i++) {
      const T = lo + i * 1e-7;
      const c = kaufman(16, 16, T).c;
      if (c > bestC) [bestT, bestC] = [T, c];
    }
    expect(peak.atBoundary).toBe(false);
    expect(Math.abs(peak.T - bestT)).toBeLessThan(2e-6);
    expect(peak.c).toBeGreaterThanOrEqual(bestC - 1e-12);
    expect(peak.c - bestC).toBeLessThan(1e-10);
    expect(peak.beta).toBeCloseTo(1 / peak.T, 14);
    // 16×16 torus: the peak sits above T_c = 2.269 and its height is ≈ 1.5 (grows like ln L).
    expect(peak.T).toBeGreaterThan(2.269);
    expect(peak.T).toBeLessThan(2.4);
    // Monotonic curve: the maximum is at the boundary.
    expect(specificHeatPeak(curve, 2.8, 3.5).atBoundary).toBe(true);
  });

  it('locates the 4×4 peak from the multiple histogram within its jackknife error', () => {
    const mh = multipleHistogram(ladderRuns(20000, 5, false), { N });
    const truth = specificHeatPeak((b) => kaufman(L, L, 1 / b), 1.8, 3.5);
    const est = specificHeatPeakWithErrors(mh.at, mh.jackknifeCurves, 1.8, 3.5);
    expect(est.atBoundary).toBe(false);
    expectWithin(est.T, truth.T, 4, 'peak T');
    expectWithin(est.c, truth.c, 4, 'peak c');
    expect(est.T.err).toBeGreaterThan(0);
    expect(est.T.err).toBeLessThan(0.1);
  });
});

describe('Binder crossing', () => {
  // Finite-size scaling form U_L(T) = f((T − Tc)·L^{1/ν}) with f decreasing: all sizes cross at Tc.
  const Tc = 2.269185314213022;
  const f = (x: number) => 2 / 3 / (1 + Math.exp(x)) + 0.05 * Math.exp(-x * x);
  const U = (Ls: number) => (T: number) => f((T - Tc) * Ls);

  it('finds the known crossing of two scaling curves', () => {
    const T = binderCrossing(U(8), U(16), 1.5, 3.5);
    expect(T).not.toBeNull();
    expect(Math.abs((T as number) - Tc)).toBeLessThan(1e-10);
    // Exact zero on a scan point is returned as is.
    expect(
      binderCrossing(
        (T) => T - 2,
        () => 0,
        1,
        3,
        { scanPoints: 3 },
      ),
    ).toBe(2);
  });

  it('returns null without a sign change', () => {
    expect(binderCrossing(U(8), (T) => U(8)(T) + 0.1, 1.5, 3.5)).toBeNull();
  });

  it('propagates jackknife replicas of both curves', () => {
    const shifted = (d: number) => (T: number) => U(8)(T - d);
    const a = { full: U(8), replicas: [shifted(0.01), shifted(-0.01), shifted(0.01), shifted(-0.01)] };
    const b = { full: U(16), replicas: [U(16), U(16), U(16), U(16)] };
    const est = binderCrossingWithErrors(a, b, 1.5, 3.5);
    expect(est).not.toBeNull();
    expect((est as Estimate).mean).toBeCloseTo(Tc, 9);
    // Replica crossings move by ~ 0.01·8/(16 − 8) = 0.01 with alternating sign: jackknife err = √(3/4·4·δ²) = √3·δ.
    const ofA = a.replicas.map((r) => binderCrossing(r, b.full, 1.5, 3.5) as number);
    expect((est as Estimate).err).toBeCloseTo(jackknifeFromReplicas(Tc, ofA).err, 9);
    expect((est as Estimate).err).toBeGreaterThan(0.01);
    expect((est as Estimate).err).toBeLessThan(0.03);
  });
});
