// Statistical-analysis tests against independent truth: synthetic data from a
// seeded PRNG with exactly known means, variances and autocorrelation times.
import { describe, expect, it } from 'vitest';
import {
  analyzeIsing,
  autocorrelationFunction,
  binningAnalysis,
  blockMeans,
  chiSquareGoodnessOfFit,
  integratedAutocorrelationTime,
  jackknife,
  pooledIntegratedAutocorrelationTimes,
} from '../src/analysis/index.ts';
import type { Estimate, IsingObservables } from '../src/analysis/index.ts';
import { chiSquareSurvival, fft, logGamma, regularizedGammaP, regularizedGammaQ } from '../src/math/index.ts';
import { mulberry32 } from './helpers/prng.ts';

// ---- test-local randomness (independent of the project's RNG code) ----

/** Standard normal sampler (Box–Muller, both outputs used). */
function normalSampler(seed: number): () => number {
  const u = mulberry32(seed);
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(1 - u())); // 1 − u ∈ (0, 1]
    const phi = 2 * Math.PI * u();
    spare = r * Math.sin(phi);
    return r * Math.cos(phi);
  };
}

/** Stationary AR(1) with unit variance: x_t = ρ x_{t−1} + √(1−ρ²) ξ_t. τ_int = ½(1+ρ)/(1−ρ). */
function ar1(n: number, rho: number, seed: number): Float64Array {
  const g = normalSampler(seed);
  const s = Math.sqrt(1 - rho * rho);
  const x = new Float64Array(n);
  let v = g(); // start in the stationary distribution: no burn-in bias
  for (let i = 0; i < n; i++) {
    v = rho * v + s * g();
    x[i] = v;
  }
  return x;
}

function iidNormal(n: number, seed: number, mu = 0, sigma = 1): Float64Array {
  const g = normalSampler(seed);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = mu + sigma * g();
  return x;
}

/** Draw n samples from a discrete distribution (inverse CDF). */
function discrete(values: number[], probs: number[], n: number, u: () => number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let r = u();
    let k = 0;
    while (k < probs.length - 1 && r >= probs[k]) r -= probs[k++];
    out[i] = values[k];
  }
  return out;
}

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

function sd(x: ArrayLike<number>): number {
  const m = mean(x);
  let v = 0;
  for (let i = 0; i < x.length; i++) v += (x[i] - m) ** 2;
  return Math.sqrt(v / (x.length - 1));
}

const tauAR1 = (rho: number) => (0.5 * (1 + rho)) / (1 - rho);

// ---- FFT and ACF against naive sums ----

describe('fft / autocorrelationFunction', () => {
  it('matches a naive DFT and round-trips', () => {
    const u = mulberry32(7);
    const n = 16;
    const re = Float64Array.from({ length: n }, () => u() - 0.5);
    const im = Float64Array.from({ length: n }, () => u() - 0.5);
    const [r0, i0] = [re.slice(), im.slice()];
    fft(re, im);
    for (let k = 0; k < n; k++) {
      let sr = 0;
      let si = 0;
      for (let j = 0; j < n; j++) {
        const a = (-2 * Math.PI * j * k) / n;
        sr += r0[j] * Math.cos(a) - i0[j] * Math.sin(a);
        si += r0[j] * Math.sin(a) + i0[j] * Math.cos(a);
      }
      expect(re[k]).toBeCloseTo(sr, 12);
      expect(im[k]).toBeCloseTo(si, 12);
    }
    fft(re, im, true);
    for (let j = 0; j < n; j++) {
      expect(re[j]).toBeCloseTo(r0[j], 12);
      expect(im[j]).toBeCloseTo(i0[j], 12);
    }
  });

  it('ACF equals the direct sum (FFT and direct paths)', () => {
    for (const [n, maxLag] of [
      [100, 10],
      [5000, 300],
    ]) {
      const x = ar1(n, 0.7, 11 + n);
      const rho = autocorrelationFunction(x, maxLag);
      const m = mean(x);
      let g0 = 0;
      for (let i = 0; i < n; i++) g0 += (x[i] - m) ** 2;
      g0 /= n;
      for (let t = 0; t <= maxLag; t++) {
        let s = 0;
        for (let i = 0; i + t < n; i++) s += (x[i] - m) * (x[i + t] - m);
        expect(rho[t]).toBeCloseTo(s / (n - t) / g0, 10);
      }
    }
  });

  it('pairs of series packed in one FFT give the same τ as one at a time', () => {
    const a = ar1(3000, 0.8, 1);
    const b = ar1(3000, 0.5, 2);
    const c = ar1(3000, 0.2, 3);
    const pooled = pooledIntegratedAutocorrelationTimes([[a], [b], [c]]);
    expect(pooled[0].tau).toBeCloseTo(integratedAutocorrelationTime(a).tau, 10);
    expect(pooled[1].tau).toBeCloseTo(integratedAutocorrelationTime(b).tau, 10);
    expect(pooled[2].tau).toBeCloseTo(integratedAutocorrelationTime(c).tau, 10);
  });
});

// ---- (a), (b), (c): τ_int and binning ----

describe('integrated autocorrelation time and binning', () => {
  it('(a) iid Gaussians: τ ≈ 0.5, binning error ≈ σ/√n', () => {
    const n = 1 << 16;
    const x = iidNormal(n, 12345, 3, 2);
    const t = integratedAutocorrelationTime(x);
    expect(t.converged).toBe(true);
    expect(Math.abs(t.tau - 0.5)).toBeLessThan(0.05);
    const b = binningAnalysis(x);
    expect(b.converged).toBe(true);
    expect(Math.abs(b.err / (2 / Math.sqrt(n)) - 1)).toBeLessThan(0.1);
    expect(Math.abs(b.tauInt - 0.5)).toBeLessThan(0.1);
    expect(Math.abs(b.mean - 3)).toBeLessThan(4 * b.err);
  });

  it('(b) AR(1) ρ = 0.9: τ within 15 % of 9.5, error within 15 % of √(2τ var/n)', () => {
    const n = 1 << 18;
    const rho = 0.9;
    const x = ar1(n, rho, 2024);
    const exactTau = tauAR1(rho);
    const t = integratedAutocorrelationTime(x);
    expect(t.converged).toBe(true);
    expect(Math.abs(t.tau / exactTau - 1)).toBeLessThan(0.15);
    // The quoted error on τ is honest: the truth is within 3 of them.
    expect(Math.abs(t.tau - exactTau)).toBeLessThan(3 * t.err);

    const exactErr = Math.sqrt((2 * exactTau) / n);
    const b = binningAnalysis(x);
    expect(b.converged).toBe(true);
    expect(Math.abs(b.err / exactErr - 1)).toBeLessThan(0.15);
    expect(Math.abs(b.tauInt / exactTau - 1)).toBeLessThan(0.3);
    // The test can fail: the naive (level-0) error is ~√19 too small.
    expect(b.levels[0].err / exactErr).toBeLessThan(0.3);
  });

  it('pooled τ over replicas agrees with the exact value', () => {
    const reps = [0, 1, 2, 3].map((s) => ar1(1 << 15, 0.8, 500 + s));
    const [t] = pooledIntegratedAutocorrelationTimes([reps]);
    expect(Math.abs(t.tau / tauAR1(0.8) - 1)).toBeLessThan(0.1);
  });

  it('(c) coverage: |mean| < 2·err in 90–99 % of 200 short AR(1) runs', () => {
    const reps = 200;
    let hits = 0;
    for (let r = 0; r < reps; r++) {
      const x = ar1(1 << 14, 0.9, 10_000 + r);
      const b = binningAnalysis(x);
      if (Math.abs(b.mean) < 2 * b.err) hits++;
    }
    const frac = hits / reps;
    expect(frac).toBeGreaterThanOrEqual(0.9);
    expect(frac).toBeLessThanOrEqual(0.99);
  });

  it('short and degenerate series', () => {
    expect(() => binningAnalysis([1])).toThrow(RangeError);
    expect(() => integratedAutocorrelationTime([1])).toThrow(RangeError);
    const short = binningAnalysis(iidNormal(50, 3));
    expect(short.converged).toBe(false);
    expect(short.level).toBe(0);
    expect(short.err).toBeGreaterThan(0);
    const flat = binningAnalysis(new Float64Array(100).fill(2));
    expect(flat.err).toBe(0);
    expect(flat.mean).toBe(2);
    const tf = integratedAutocorrelationTime(new Float64Array(100).fill(2));
    expect(tf.tau).toBe(0.5);
  });

  it('handles 10^6 samples quickly', () => {
    const x = ar1(1_000_000, 0.9, 99);
    integratedAutocorrelationTime(x.subarray(0, 1 << 14)); // warm up the JIT
    const t0 = performance.now();
    const t = integratedAutocorrelationTime(x);
    const b = binningAnalysis(x);
    const ms = performance.now() - t0;
    expect(Math.abs(t.tau / 9.5 - 1)).toBeLessThan(0.1);
    expect(Math.abs(b.tauInt / 9.5 - 1)).toBeLessThan(0.2);
    expect(ms).toBeLessThan(1000);
  });
});

// ---- (d) jackknife ----

describe('jackknife', () => {
  const u = mulberry32(31);
  const g = normalSampler(32);
  const B = 4000;
  const xs = Array.from({ length: B }, () => 2 + g());
  const ys = Array.from({ length: B }, (_, i) => 5 + 0.5 * xs[i] + g() * 0.7 + 0.1 * u());
  const blocks = xs.map((x, i) => [x, ys[i]]);

  it('linear f reproduces the standard error exactly', () => {
    const j = jackknife(blocks, (m) => m[0]);
    expect(j.mean).toBeCloseTo(mean(xs), 12);
    expect(j.err).toBeCloseTo(sd(xs) / Math.sqrt(B), 12);
  });

  it('f = mean²: error matches the delta method, bias correction is x̄² − s²/n', () => {
    const j = jackknife(blocks, (m) => m[0] * m[0]);
    const xbar = mean(xs);
    const delta = (2 * Math.abs(xbar) * sd(xs)) / Math.sqrt(B);
    expect(Math.abs(j.err / delta - 1)).toBeLessThan(0.02);
    expect(j.biasCorrected).toBeCloseTo(xbar * xbar - sd(xs) ** 2 / B, 10);
  });

  it('ratio x̄/ȳ: error matches the delta method', () => {
    const j = jackknife(blocks, (m) => m[0] / m[1]);
    const xb = mean(xs);
    const yb = mean(ys);
    const r = xb / yb;
    let vxx = 0;
    let vyy = 0;
    let vxy = 0;
    for (let i = 0; i < B; i++) {
      vxx += (xs[i] - xb) ** 2;
      vyy += (ys[i] - yb) ** 2;
      vxy += (xs[i] - xb) * (ys[i] - yb);
    }
    const norm = (B - 1) * B;
    const delta = Math.sqrt((vxx / norm - 2 * r * (vxy / norm) + r * r * (vyy / norm)) / (yb * yb));
    expect(j.mean).toBeCloseTo(r, 12);
    expect(Math.abs(j.err / delta - 1)).toBeLessThan(0.02);
  });

  it('blockMeans and weights pool exactly; too few blocks throws', () => {
    const x = iidNormal(1003, 5);
    const bm = blockMeans([x], 10);
    expect(bm).toHaveLength(10);
    const lens = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(
      (b) => Math.floor(((b + 1) * 1003) / 10) - Math.floor((b * 1003) / 10),
    );
    expect(jackknife(bm, (m) => m[0], lens).mean).toBeCloseTo(mean(x), 12);
    expect(() => jackknife([[1]], (m) => m[0])).toThrow(RangeError);
  });
});

// ---- (e) Ising observables ----

/** The observables with a Binder cumulant (these tests' series all see m ≠ 0). */
function defined(o: IsingObservables): IsingObservables & { binder: Estimate } {
  const { binder } = o;
  if (binder === null) throw new Error('analyzeIsing gave no Binder cumulant');
  return { ...o, binder };
}

describe('analyzeIsing', () => {
  // A known discrete joint law (e and m independent) with exact moments.
  const eVals = [-2, -1.5, -1, -0.5];
  const eProbs = [0.4, 0.3, 0.2, 0.1];
  const mVals = [-1, -0.6, -0.2, 0.2, 0.6, 1];
  const mProbs = [0.25, 0.1, 0.15, 0.15, 0.1, 0.25];
  const beta = 0.44;
  const N = 64;
  const E = (vals: number[], p: number[], f: (v: number) => number) => vals.reduce((s, v, i) => s + p[i] * f(v), 0);
  const e1 = E(eVals, eProbs, (v) => v);
  const e2 = E(eVals, eProbs, (v) => v * v);
  const ma = E(mVals, mProbs, Math.abs);
  const mm2 = E(mVals, mProbs, (v) => v * v);
  const mm4 = E(mVals, mProbs, (v) => v ** 4);
  const exact = {
    e: e1,
    m_abs: ma,
    m2: mm2,
    m4: mm4,
    c: beta * beta * N * (e2 - e1 * e1),
    chi: beta * N * (mm2 - ma * ma),
    binder: 1 - mm4 / (3 * mm2 * mm2),
  };
  type Key = keyof typeof exact;
  const keys = Object.keys(exact) as Key[];

  const sample = (R: number, L: number, seed: number) => {
    const u = mulberry32(seed);
    return {
      energy: Array.from({ length: R }, () => discrete(eVals, eProbs, L, u)),
      magnetization: Array.from({ length: R }, () => discrete(mVals, mProbs, L, u)),
    };
  };

  it('iid data: all estimates within 4 error bars of the exact values', () => {
    const res = defined(analyzeIsing(sample(8, 1 << 15, 77), { beta, N }));
    expect(res.samples).toBe(8 << 15);
    expect(res.blocksIndependent).toBe(true);
    expect(res.blocks).toBeGreaterThanOrEqual(20);
    expect(Math.abs(res.tau_int_e - 0.5)).toBeLessThan(0.05);
    expect(Math.abs(res.tau_int_m_abs - 0.5)).toBeLessThan(0.05);
    for (const k of keys) {
      expect(res[k].err).toBeGreaterThan(0);
      expect(Math.abs(res[k].mean - exact[k])).toBeLessThan(4 * res[k].err);
    }
  });

  it('iid data: error bars have the right size and coverage over 100 repetitions', () => {
    const reps = 100;
    const est: Record<Key, number[]> = Object.fromEntries(keys.map((k) => [k, []])) as never;
    const errs: Record<Key, number[]> = Object.fromEntries(keys.map((k) => [k, []])) as never;
    const hits: Record<Key, number> = Object.fromEntries(keys.map((k) => [k, 0])) as never;
    for (let r = 0; r < reps; r++) {
      const res = defined(analyzeIsing(sample(4, 2048, 1000 + r), { beta, N }));
      for (const k of keys) {
        est[k].push(res[k].mean);
        errs[k].push(res[k].err);
        if (Math.abs(res[k].mean - exact[k]) < 2 * res[k].err) hits[k]++;
      }
    }
    for (const k of keys) {
      // Reported error vs the actual scatter of the estimates (±~7 % noise with 100 reps).
      const ratio = mean(errs[k]) / sd(est[k]);
      expect(ratio, k).toBeGreaterThan(0.8);
      expect(ratio, k).toBeLessThan(1.25);
      expect(hits[k] / reps, k).toBeGreaterThanOrEqual(0.88);
      expect(hits[k] / reps, k).toBeLessThanOrEqual(1);
    }
  });

  it('correlated (AR(1)) data: exact c, χ, U₄ recovered with honest errors', () => {
    // e = −1.2 + AR(1)(ρ=0.9), m = AR(1)(ρ=0.8), both unit-variance Gaussian:
    // c = β²N, χ = βN(1 − 2/π), U₄ = 0 (Gaussian ⟨m⁴⟩ = 3⟨m²⟩²).
    const ex = { c: beta * beta * N, chi: beta * N * (1 - 2 / Math.PI), binder: 0, e: -1.2, m2: 1 };
    const reps = 60;
    const R = 4;
    const L = 1 << 14;
    const hits: Record<string, number> = { c: 0, chi: 0, binder: 0, e: 0, m2: 0 };
    const estC: number[] = [];
    const errC: number[] = [];
    let tauE = 0;
    let indep = 0;
    for (let r = 0; r < reps; r++) {
      const energy = Array.from({ length: R }, (_, i) => ar1(L, 0.9, 50_000 + 10 * r + i).map((v) => v - 1.2));
      const magnetization = Array.from({ length: R }, (_, i) => ar1(L, 0.8, 90_000 + 10 * r + i));
      const res = defined(analyzeIsing({ energy, magnetization }, { beta, N }));
      tauE += res.tau_int_e / reps;
      if (res.blocksIndependent) indep++;
      estC.push(res.c.mean);
      errC.push(res.c.err);
      for (const k of Object.keys(ex) as (keyof typeof ex)[]) {
        if (Math.abs(res[k].mean - ex[k]) < 2 * res[k].err) hits[k]++;
      }
    }
    expect(Math.abs(tauE / tauAR1(0.9) - 1)).toBeLessThan(0.05);
    expect(indep).toBe(reps);
    const ratio = mean(errC) / sd(estC);
    expect(ratio).toBeGreaterThan(0.75);
    expect(ratio).toBeLessThan(1.3);
    for (const k of Object.keys(hits)) {
      expect(hits[k] / reps, k).toBeGreaterThanOrEqual(0.85);
    }
  });

  it('short series still give estimates (degraded block rule)', () => {
    const energy = [ar1(100, 0.95, 1)];
    const magnetization = [ar1(100, 0.95, 2)];
    const res = analyzeIsing({ energy, magnetization }, { beta: 1, N: 16 });
    expect(res.blocks).toBe(20);
    expect(res.blocksIndependent).toBe(false);
    expect(Number.isFinite(res.c.mean) && Number.isFinite(res.c.err)).toBe(true);
    expect(() => analyzeIsing({ energy: [[1, 2]], magnetization: [[1]] }, { beta: 1, N: 1 })).toThrow(RangeError);
  });

  it('10^6 samples in well under the time budget', () => {
    const energy = [ar1(1_000_000, 0.9, 5)];
    const magnetization = [ar1(1_000_000, 0.8, 6)];
    const t0 = performance.now();
    const res = analyzeIsing({ energy, magnetization }, { beta, N });
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(2000);
    expect(Math.abs(res.c.mean - beta * beta * N)).toBeLessThan(4 * res.c.err);
  });
});

// ---- (f) χ² goodness of fit ----

describe('chi-square', () => {
  it('special functions', () => {
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(logGamma(0.1)).toBeCloseTo(2.252712651734206, 12);
    for (const x of [0.1, 1, 3, 10, 40]) {
      expect(regularizedGammaQ(1, x)).toBeCloseTo(Math.exp(-x), 14); // Q(1, x) = e^{-x}
      expect(regularizedGammaP(3, x) + regularizedGammaQ(3, x)).toBeCloseTo(1, 14);
    }
    // Q(2, x) = (1 + x) e^{-x}; deep tail keeps relative accuracy.
    expect(regularizedGammaQ(2, 50) / (51 * Math.exp(-50))).toBeCloseTo(1, 12);
  });

  it('p-values match χ² tables', () => {
    const table: [number, number, number][] = [
      [3.841, 1, 0.05],
      [6.635, 1, 0.01],
      [5.991, 2, 0.05],
      [18.307, 10, 0.05],
      [23.209, 10, 0.01],
      [43.773, 30, 0.05],
      [124.342, 100, 0.05],
    ];
    for (const [x, k, p] of table) expect(Math.abs(chiSquareSurvival(x, k) / p - 1)).toBeLessThan(2e-3);
    expect(chiSquareSurvival(0, 5)).toBe(1);
    expect(chiSquareSurvival(10, 2)).toBeCloseTo(Math.exp(-5), 14);
  });

  it('pools bins with small expected counts', () => {
    // n = 100: expected 50, 45, 3, 2 → the last two (E < 5) pool into one bin of E = 5.
    const r = chiSquareGoodnessOfFit([48, 44, 5, 3], [0.5, 0.45, 0.03, 0.02]);
    expect(r.pooledBins).toBe(2);
    expect(r.bins).toBe(3);
    expect(r.dof).toBe(2);
    expect(r.chi2).toBeCloseTo(4 / 50 + 1 / 45 + 9 / 5, 12);
    expect(r.pValue).toBeCloseTo(Math.exp(-r.chi2 / 2), 12);
    // Pooled bin still too small → merged into the smallest remaining bin.
    // n = 100: expected 60, 38, 2 → the pooled bin (E = 2) joins the E = 38 bin.
    const s = chiSquareGoodnessOfFit([61, 36, 3], [0.6, 0.38, 0.02]);
    expect(s.pooledBins).toBe(2);
    expect(s.bins).toBe(2);
    expect(s.dof).toBe(1);
    expect(s.chi2).toBeCloseTo(1 / 60 + 1 / 40, 12);
  });

  it('multinomial samples: right law not rejected, wrong law rejected', () => {
    const p = [0.3, 0.2, 0.15, 0.12, 0.1, 0.08, 0.04, 0.006, 0.003, 0.001];
    const idx = p.map((_, i) => i);
    const counts = (probs: number[], n: number, u: () => number) => {
      const c = new Array<number>(probs.length).fill(0);
      for (const v of discrete(idx, probs, n, u)) c[v]++;
      return c;
    };
    const u = mulberry32(4242);
    const reps = 200;
    let small = 0;
    let minP = 1;
    for (let r = 0; r < reps; r++) {
      const res = chiSquareGoodnessOfFit(counts(p, 2000, u), p);
      if (res.pValue < 0.05) small++;
      minP = Math.min(minP, res.pValue);
    }
    // Under H0 p-values are ~uniform: ~5 % below 0.05, none absurdly small.
    expect(small / reps).toBeGreaterThan(0.01);
    expect(small / reps).toBeLessThan(0.1);
    expect(minP).toBeGreaterThan(1e-4);

    const wrong = p.map((v, i) => (i === 0 ? v - 0.03 : i === 1 ? v + 0.03 : v));
    const res = chiSquareGoodnessOfFit(counts(p, 20000, u), wrong);
    expect(res.pValue).toBeLessThan(1e-6);
  });
});
