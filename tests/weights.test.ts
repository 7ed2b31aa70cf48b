/**
 * Weight replicas (Boltzmann sampling of learning machines), CPU side: datasets, the binary
 * perceptron with incremental fields, its Metropolis sampler against exact enumeration, enumeration
 * against brute force, and the linear model against numerical integration. Monte Carlo checks are
 * within 4σ of the estimate's own (binning) error bars at fixed seeds.
 */
import { describe, expect, it } from 'vitest';
import { binningAnalysis, chiSquareGoodnessOfFit } from '../src/analysis/index.ts';
import { averageIndependent } from '../src/studies/learning/estimates.ts';
import { STREAMS, randomWords, seedKey } from '../src/rng/streams.ts';
import { probabilityThreshold } from '../src/params/thresholds.ts';
import {
  boxMuller,
  generateDataset,
  generateTestSet,
  teacherStudent,
  type Dataset,
  type DatasetSpec,
} from '../src/models/weights/datasets.ts';
import { PerceptronState, generalisationError, testError, trainingErrors } from '../src/models/weights/perceptron.ts';
import { CpuPerceptronSampler, perceptronThresholds } from '../src/models/weights/cpu-perceptron-sampler.ts';
import {
  enumeratePerceptron,
  logZ,
  freeEnergy,
  meanEnergy,
  meanGeneralisationError,
  meanTrainingError,
} from '../src/models/weights/enumeration.ts';
import { CpuLinearSampler, linearEnergy, linearExact, linearProblem } from '../src/models/weights/linear.ts';
import { expectWithin } from './helpers/stats.ts';

/** Small deterministic generator for the tests' own choices (not the project's RNG). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The series of the replicas r ≡ k (mod K) (the replicas of slot k when slots go round-robin). */
function slotSeries(
  a: ArrayLike<number>,
  samples: number,
  R: number,
  k: number,
  K: number,
  f?: (v: number) => number,
): Float64Array[] {
  const out: Float64Array[] = [];
  for (let r = k; r < R; r += K) out.push(seriesOf(a, samples, R, r, f));
  return out;
}

/** A CPU perceptron run of `sweeps` measured sweeps after `thermalise` unmeasured ones. */
function thermalisedRun(
  d: Dataset,
  temperatures: number[],
  replicas: number,
  seed: number,
  thermalise: number,
  sweeps: number,
) {
  const sampler = new CpuPerceptronSampler({ datasets: [d], temperatures, replicas, seed });
  sampler.runSync({ sweeps: thermalise, measureEvery: 0 });
  return sampler.runSync({ sweeps, measureEvery: 1 });
}

/** Mean over replicas of per-replica binning estimates (independent chains). */
function combine(series: Float64Array[]): { mean: number; err: number } {
  return averageIndependent(series.map((x) => binningAnalysis(x)));
}

/** Series of replica r from a sample-major array. */
function seriesOf(
  a: ArrayLike<number>,
  samples: number,
  R: number,
  r: number,
  f: (v: number) => number = (v) => v,
): Float64Array {
  const out = new Float64Array(samples);
  for (let k = 0; k < samples; k++) out[k] = f(a[k * R + r]);
  return out;
}

describe('weights: datasets', () => {
  const spec: DatasetSpec = {
    N: 9,
    P: 40,
    inputs: 'binary',
    teacher: 'binary',
    labels: 'teacher',
    seed: 12345,
    index: 3,
  };

  it('is deterministic in (seed, index) and follows the documented Philox mapping', () => {
    const a = generateDataset(spec);
    const b = generateDataset(spec);
    expect(a.X).toEqual(b.X);
    expect(a.y).toEqual(b.y);
    expect(a.teacher).toEqual(b.teacher);
    const c = generateDataset({ ...spec, index: 4 });
    expect(c.X).not.toEqual(a.X);
    const key = seedKey(spec.seed);
    // x_{μ=7, j=5}: phase 1, sweep 7, group 1, word 1, top bit.
    expect(a.X[7 * 9 + 5]).toBe(randomWords(key, 3, 7, 1, 1, STREAMS.WEIGHTS_DATA)[1] >>> 31 ? 1 : -1);
    // teacher component 8: phase 0, sweep 0, group 2, word 0.
    expect(a.teacher[8]).toBe(randomWords(key, 3, 0, 0, 2, STREAMS.WEIGHTS_DATA)[0] >>> 31 ? 1 : -1);
    for (const v of a.X) expect(Math.abs(v)).toBe(1);
    for (const v of a.teacher) expect(Math.abs(v)).toBe(1);
    // Gaussian component j = 3 of example 2: group 1, words 2 and 3.
    const g = generateDataset({ ...spec, inputs: 'gaussian', teacher: 'gaussian' });
    const w = randomWords(key, 3, 2, 1, 1, STREAMS.WEIGHTS_DATA);
    const u1 = (w[2] + 1) / 2 ** 32;
    const u2 = w[3] / 2 ** 32;
    expect(g.X[2 * 9 + 3]).toBe(Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
  });

  it('labels agree with the teacher (no ties at odd N), random labels are ±1 and balanced', () => {
    for (const inputs of ['binary', 'gaussian'] as const) {
      for (const teacher of ['binary', 'gaussian'] as const) {
        const d = generateDataset({ ...spec, inputs, teacher });
        expect(trainingErrors(d.teacher, d.X, d.y, d.N)).toBe(0);
        for (let m = 0; m < d.P; m++) {
          let h = 0;
          for (let j = 0; j < d.N; j++) h += d.teacher[j] * d.X[m * d.N + j];
          expect(h).not.toBe(0);
          expect(d.y[m]).toBe(Math.sign(h));
        }
        const test = generateTestSet({ ...spec, inputs, teacher }, 200, 1000);
        expect(testError(d.teacher, test, d.N)).toBe(0);
        expect(test.X.subarray(0, d.N)).not.toEqual(d.X.subarray(0, d.N));
        expect(generateTestSet({ ...spec, inputs, teacher }, 5, 1003).X).toEqual(test.X.subarray(3 * d.N, 8 * d.N));
      }
    }
    const r = generateDataset({ ...spec, P: 4000, labels: 'random' });
    let s = 0;
    for (const v of r.y) {
      expect(Math.abs(v)).toBe(1);
      s += v;
    }
    expect(Math.abs(s)).toBeLessThan(4 * Math.sqrt(4000));
    // Box–Muller normals: mean 0, variance 1 (4σ).
    const gx = generateDataset({ ...spec, N: 10, P: 2000, inputs: 'gaussian' }).X;
    let m1 = 0;
    let m2 = 0;
    for (const v of gx) {
      m1 += v;
      m2 += v * v;
    }
    const n = gx.length;
    expect(Math.abs(m1 / n)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(m2 / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    expect(Math.abs(boxMuller(0xffffffff, 0))).toBe(0); // u1 = 1 → z = 0, never ln 0
  });
});

describe('weights: binary perceptron', () => {
  it('keeps local fields and ΔE equal to recomputation after many random flips', () => {
    for (const inputs of ['binary', 'gaussian'] as const) {
      const d = generateDataset({ N: 15, P: 31, inputs, teacher: 'binary', labels: 'teacher', seed: 7, index: 0 });
      const rnd = lcg(99);
      const w0 = Array.from({ length: 15 }, () => (rnd() < 0.5 ? -1 : 1));
      const st = new PerceptronState(d, w0);
      for (let t = 0; t < 3000; t++) {
        const i = Math.floor(rnd() * 15);
        const dE = st.deltaE(i);
        const before = trainingErrors(st.w, d.X, d.y, 15);
        const flipped = Int8Array.from(st.w);
        flipped[i] = -flipped[i];
        expect(dE).toBe(trainingErrors(flipped, d.X, d.y, 15) - before);
        expect(Math.abs(dE)).toBeLessThanOrEqual(d.P);
        st.flip(i, dE);
      }
      const fresh = new PerceptronState(d, st.w);
      expect(st.errors).toBe(fresh.errors);
      expect(st.errors).toBe(trainingErrors(st.w, d.X, d.y, 15));
      for (let m = 0; m < d.P; m++) {
        if (inputs === 'binary') expect(st.fields[m]).toBe(fresh.fields[m]);
        else expect(Math.abs(st.fields[m] - fresh.fields[m])).toBeLessThan(1e-9);
      }
    }
  });

  it('sampler follows the documented RNG contract (independent re-implementation)', () => {
    const datasets = [0, 1].map((index) =>
      generateDataset({ N: 11, P: 13, inputs: 'binary', teacher: 'binary', labels: 'random', seed: 5, index }),
    );
    const temps = [0.7, 1.5];
    const sampler = new CpuPerceptronSampler({ datasets, temperatures: temps, replicas: 4, seed: 31 });
    const key = seedKey(31);
    // Reference: initial weights from WEIGHTS_INIT, then per-sweep words from WEIGHTS_UPDATE.
    const W = Array.from({ length: 4 }, (_, r) =>
      Int8Array.from({ length: 11 }, (_, i) =>
        randomWords(key, r, 0, 0, i >> 2, STREAMS.WEIGHTS_INIT)[i & 3] >>> 31 ? 1 : -1,
      ),
    );
    expect(sampler.weights()).toEqual(Int8Array.from(W.flatMap((w) => [...w])));
    const run = sampler.runSync({ sweeps: 30, measureEvery: 1 });
    const slots = [0, 0, 1, 1]; // floor(r / D) mod K with D = 2
    for (let s = 0; s < 30; s++) {
      for (let r = 0; r < 4; r++) {
        const d = datasets[r % 2];
        for (let i = 0; i < 11; i++) {
          const E0 = trainingErrors(W[r], d.X, d.y, 11);
          W[r][i] = -W[r][i];
          const dE = trainingErrors(W[r], d.X, d.y, 11) - E0;
          const p = dE <= 0 ? 1 : Math.exp(-dE / temps[slots[r]]);
          const u = randomWords(key, r, s, 0, i >> 2, STREAMS.WEIGHTS_UPDATE)[i & 3];
          if (!(u < probabilityThreshold(p))) W[r][i] = -W[r][i];
        }
        expect(run.energy[s * 4 + r]).toBe(trainingErrors(W[r], d.X, d.y, 11));
        let m = 0;
        for (let i = 0; i < 11; i++) m += W[r][i] * d.teacher[i];
        expect(run.teacherDot[s * 4 + r]).toBe(m);
      }
    }
    expect(run.weights).toEqual(Int8Array.from(W.flatMap((w) => [...w])));
    // Splitting a run changes nothing (the words depend on the absolute sweep number only), and
    // setSlots only changes which table a replica reads.
    const a = new CpuPerceptronSampler({ datasets, temperatures: temps, replicas: 4, seed: 31 });
    const b = new CpuPerceptronSampler({ datasets, temperatures: temps, replicas: 4, seed: 31 });
    a.runSync({ sweeps: 10 });
    a.runSync({ sweeps: 20 });
    b.runSync({ sweeps: 30, measureEvery: 0 });
    expect(a.weights()).toEqual(b.weights());
    a.setSlots([1, 1, 0, 0]);
    b.setTemperatures([temps[1], temps[0]]);
    a.runSync({ sweeps: 15 });
    b.runSync({ sweeps: 15 });
    expect(a.weights()).toEqual(b.weights());
    expect(a.energies()).toEqual(b.energies());
    const table = perceptronThresholds([2], 3);
    expect(Array.from(table)).toEqual(
      [-3, -2, -1, 0, 1, 2, 3].map((dE) => probabilityThreshold(Math.min(1, Math.exp(-dE / 2)))),
    );
    expect(table[3]).toBe(2 ** 32 - 1);
  });

  it('enumeration equals brute force for N = 7', () => {
    const N = 7;
    for (const inputs of ['binary', 'gaussian'] as const) {
      const d = generateDataset({ N, P: 10, inputs, teacher: 'binary', labels: 'random', seed: 3, index: 1 });
      const en = enumeratePerceptron(d);
      const dos = new Float64Array(d.P + 1);
      const joint = new Float64Array((d.P + 1) * (N + 1));
      const states: { E: number; m: number }[] = [];
      for (let bits = 0; bits < 2 ** N; bits++) {
        const w = Array.from({ length: N }, (_, i) => ((bits >> i) & 1 ? 1 : -1));
        let E = 0;
        for (let mu = 0; mu < d.P; mu++) {
          let h = 0;
          for (let i = 0; i < N; i++) h += w[i] * d.X[mu * N + i];
          if (Math.sign(h) !== d.y[mu]) E++;
        }
        let m = 0;
        for (let i = 0; i < N; i++) m += w[i] * d.teacher[i];
        dos[E]++;
        joint[E * (N + 1) + (m + N) / 2]++;
        states.push({ E, m });
      }
      expect(en.dos).toEqual(dos);
      expect(en.joint).toEqual(joint);
      const Emin = Math.min(...states.map((s) => s.E));
      expect(en.groundEnergy).toBe(Emin);
      expect(en.groundDegeneracy).toBe(states.filter((s) => s.E === Emin).length);
      for (const beta of [0.3, 1, 4]) {
        let Z = 0;
        let sE = 0;
        let sEps = 0;
        for (const { E, m } of states) {
          const b = Math.exp(-beta * E);
          Z += b;
          sE += b * E;
          sEps += (b * Math.acos(m / N)) / Math.PI;
        }
        expect(logZ(en, beta)).toBeCloseTo(Math.log(Z), 12);
        expect(freeEnergy(en, beta)).toBeCloseTo(-Math.log(Z) / beta, 12);
        expect(meanEnergy(en, beta)).toBeCloseTo(sE / Z, 12);
        expect(meanTrainingError(en, beta)).toBeCloseTo(sE / Z / d.P, 12);
        expect(meanGeneralisationError(en, beta)).toBeCloseTo(sEps / Z, 12);
      }
    }
  });

  it('sampled ⟨E⟩/P at three temperatures agrees with enumeration (N = 11)', () => {
    const d = generateDataset(teacherStudent(11, 16 / 11, 2024, 0));
    const en = enumeratePerceptron(d);
    const temps = [0.5, 1, 2];
    const R = 12;
    const run = thermalisedRun(d, temps, R, 77, 1000, 64000);
    temps.forEach((T, k) => {
      const series = slotSeries(run.energy, run.samples, R, k, temps.length, (E) => E / d.P);
      expectWithin(`perceptron N=11 P=16 ⟨E⟩/P at T=${T}`, combine(series), meanTrainingError(en, 1 / T));
    });
  });

  it('sampled ⟨ε_gen⟩ = ⟨arccos(w·w*/N)/π⟩ agrees with enumeration (Gaussian inputs, N = 13)', () => {
    const d = generateDataset(teacherStudent(13, 1, 4242, 0, 'gaussian', 'binary'));
    const en = enumeratePerceptron(d);
    const temps = [0.4, 1];
    const R = 16;
    const run = thermalisedRun(d, temps, R, 8, 2000, 30000);
    temps.forEach((T, k) => {
      const series = slotSeries(run.teacherDot, run.samples, R, k, temps.length, (m) => generalisationError(m / 13));
      expectWithin(`perceptron N=13 ⟨ε_gen⟩ at T=${T}`, combine(series), meanGeneralisationError(en, 1 / T));
      const eSeries = slotSeries(run.energy, run.samples, R, k, temps.length);
      expectWithin(`perceptron N=13 ⟨E⟩ at T=${T}`, combine(eSeries), meanEnergy(en, 1 / T));
    });
  });

  it('visits all 2^5 weight vectors with Boltzmann frequencies (N = 5, χ²)', () => {
    const N = 5;
    const d = generateDataset({ N, P: 9, inputs: 'binary', teacher: 'binary', labels: 'random', seed: 11, index: 0 });
    const beta = 0.8;
    const R = 32;
    const sampler = new CpuPerceptronSampler({ datasets: [d], temperatures: [1 / beta], replicas: R, seed: 5 });
    sampler.runSync({ sweeps: 200, measureEvery: 0 });
    const thin = 8;
    const run = sampler.runSync({ sweeps: 1000 * thin, measureEvery: thin, recordWeights: true });
    const counts = new Array<number>(2 ** N).fill(0);
    const sw = run.sampledWeights!;
    for (let s = 0; s < run.samples * R; s++) {
      let idx = 0;
      for (let i = 0; i < N; i++) if (sw[s * N + i] > 0) idx |= 1 << i;
      counts[idx]++;
    }
    const expected = counts.map((_, idx) => {
      const w = Array.from({ length: N }, (_, i) => ((idx >> i) & 1 ? 1 : -1));
      return Math.exp(-beta * trainingErrors(w, d.X, d.y, N));
    });
    const chi = chiSquareGoodnessOfFit(counts, expected);
    console.log(`N=5 Boltzmann χ² = ${chi.chi2.toFixed(1)} / ${chi.dof} dof, p = ${chi.pValue.toFixed(3)}`);
    expect(chi.dof).toBe(31);
    expect(chi.pValue).toBeGreaterThan(1e-3);
  });
});

/** ln of ∫ e^{−β(H − Href)} by Simpson on a grid, in 1 or 2 dimensions. */
function simpsonWeights(n: number): Float64Array {
  return Float64Array.from({ length: n + 1 }, (_, i) => (i === 0 || i === n ? 1 : i % 2 ? 4 : 2));
}

/** Determinant by Gaussian elimination with partial pivoting (independent of the Cholesky code). */
function logDetGauss(A: Float64Array, n: number): number {
  const M = Float64Array.from(A);
  let ld = 0;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r * n + c]) > Math.abs(M[p * n + c])) p = r;
    if (p !== c) for (let k = 0; k < n; k++) [M[c * n + k], M[p * n + k]] = [M[p * n + k], M[c * n + k]];
    ld += Math.log(Math.abs(M[c * n + c]));
    for (let r = c + 1; r < n; r++) {
      const f = M[r * n + c] / M[c * n + c];
      for (let k = c; k < n; k++) M[r * n + k] -= f * M[c * n + k];
    }
  }
  return ld;
}

describe('weights: linear model', () => {
  const linSpec = (N: number, P: number, index = 0): DatasetSpec => ({
    N,
    P,
    inputs: 'gaussian',
    teacher: 'gaussian',
    labels: 'linear',
    noise: 0.4,
    seed: 555,
    index,
  });

  it('exact ln Z equals numerical integration for N = 1 and N = 2 (and the posterior moments for N = 2)', () => {
    const lambda = 0.2;
    for (const beta of [0.5, 3]) {
      // N = 1
      {
        const pr = linearProblem(generateDataset(linSpec(1, 5)), lambda);
        const ex = linearExact(pr);
        const sd = Math.sqrt(ex.covariance(beta)[0]);
        const n = 4000;
        const lo = ex.mean[0] - 14 * sd;
        const h = (28 * sd) / n;
        const Href = linearEnergy(pr, [ex.mean[0]]);
        const wts = simpsonWeights(n);
        let I = 0;
        for (let i = 0; i <= n; i++) I += wts[i] * Math.exp(-beta * (linearEnergy(pr, [lo + i * h]) - Href));
        const lnZ = -beta * Href + Math.log((I * h) / 3);
        expect(Math.abs(ex.lnZ(beta) - lnZ)).toBeLessThan(1e-9);
      }
      // N = 2
      {
        const pr = linearProblem(generateDataset(linSpec(2, 6)), lambda);
        const ex = linearExact(pr);
        const C = ex.covariance(beta);
        const sd = [Math.sqrt(C[0]), Math.sqrt(C[3])];
        const n = 600;
        const wts = simpsonWeights(n);
        const lo = [ex.mean[0] - 12 * sd[0], ex.mean[1] - 12 * sd[1]];
        const hh = [(24 * sd[0]) / n, (24 * sd[1]) / n];
        const Href = linearEnergy(pr, ex.mean);
        let I = 0;
        const m1 = [0, 0];
        const m2 = [0, 0, 0];
        for (let i = 0; i <= n; i++) {
          const a = lo[0] + i * hh[0];
          for (let j = 0; j <= n; j++) {
            const b = lo[1] + j * hh[1];
            const f = wts[i] * wts[j] * Math.exp(-beta * (linearEnergy(pr, [a, b]) - Href));
            I += f;
            m1[0] += f * a;
            m1[1] += f * b;
            m2[0] += f * a * a;
            m2[1] += f * a * b;
            m2[2] += f * b * b;
          }
        }
        const lnZ = -beta * Href + Math.log((I * hh[0] * hh[1]) / 9);
        expect(Math.abs(ex.lnZ(beta) - lnZ)).toBeLessThan(1e-8);
        const mean = [m1[0] / I, m1[1] / I];
        expect(mean[0]).toBeCloseTo(ex.mean[0], 8);
        expect(mean[1]).toBeCloseTo(ex.mean[1], 8);
        expect(m2[0] / I - mean[0] ** 2).toBeCloseTo(C[0], 8);
        expect(m2[1] / I - mean[0] * mean[1]).toBeCloseTo(C[1], 8);
        expect(m2[2] / I - mean[1] ** 2).toBeCloseTo(C[3], 8);
      }
    }
  });

  it('H_min, θ₀ and the Laplace form of F: 2β(F − H_min) = N ln(β/π) + ln det A, F → H_min', () => {
    const N = 10;
    const pr = linearProblem(generateDataset(linSpec(N, 20)), 0.1);
    const ex = linearExact(pr);
    // θ₀ minimises H: H(θ₀) = H_min and H(θ₀ + ε e_i) − H_min = ε² A_ii.
    expect(linearEnergy(pr, ex.mean)).toBeCloseTo(ex.Hmin, 10);
    for (let i = 0; i < N; i++) {
      const t = Float64Array.from(ex.mean);
      t[i] += 1e-3;
      expect((linearEnergy(pr, t) - ex.Hmin) / 1e-6).toBeCloseTo(ex.A[i * N + i], 5);
    }
    const logDet = logDetGauss(ex.A, N);
    expect(ex.logDetA).toBeCloseTo(logDet, 10);
    let prev = Infinity;
    for (const beta of [10, 100, 1e3, 1e4, 1e5, 1e6]) {
      const gap = ex.freeEnergy(beta) - ex.Hmin;
      expect(2 * beta * gap - N * Math.log(beta / Math.PI)).toBeCloseTo(logDet, 6);
      expect(Math.abs(gap)).toBeLessThan(prev);
      prev = Math.abs(gap);
    }
    expect(prev).toBeLessThan(1e-4);
  });

  it('sampled ⟨H⟩ = H_min + N/(2β) at two β (N = 10), step tuned to 40–50 % acceptance', () => {
    const N = 10;
    const pr = linearProblem(generateDataset(linSpec(N, 20, 1)), 0.1);
    const ex = linearExact(pr);
    const temps = [1, 0.25];
    const R = 8;
    const sampler = new CpuLinearSampler({ problem: pr, temperatures: temps, replicas: R, seed: 2718, init: 'random' });
    const rates = sampler.tune(25, 20);
    for (const a of rates) {
      expect(a).toBeGreaterThan(0.35);
      expect(a).toBeLessThan(0.55);
    }
    const run = sampler.run({ sweeps: 40000, measureEvery: 1 });
    temps.forEach((T, k) => {
      const series: Float64Array[] = [];
      for (let r = k; r < R; r += temps.length) series.push(seriesOf(run.energy, run.samples, R, r));
      expectWithin(`linear N=10 ⟨H⟩ at β=${1 / T}`, combine(series), ex.meanEnergy(1 / T));
    });
  });
});
