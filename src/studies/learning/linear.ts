/**
 * Boltzmann sampling of the linear model (continuous weights, squared loss + ridge λ), the estimators
 * of `ising learn --model linear`, and the exact Gaussian results beside them.
 *
 * One sampler per dataset (CpuLinearSampler, or its f32 GPU twin with backend 'gpu'; Philox seed seed + d), K·perT replicas each (replica r in slot r mod K); no replica
 * exchange (the Gibbs measure is a single Gaussian, single-coordinate Metropolis mixes at every T).
 * Step scales are tuned per slot during the first part of the thermalisation, never while measuring.
 *
 * ln Z: d ln Z/dβ = −⟨H⟩ integrated (corrected trapezoid in ln β, see integrateLnZLogBeta) from the hottest
 * temperature, anchored there by the Laplace value ln Z = −β H_min + (N/2) ln(π/β) − ½ ln det A
 * (exact for this quadratic H). The Monte Carlo thus tests the β dependence of ln Z, not its anchor.
 * gen_error: ⟨|θ − θ*|²⟩/N, the squared prediction error θ·x/√N − θ*·x/√N on a fresh isotropic
 * unit-variance input (label noise excluded).
 */

import { offsetSeed } from '../../rng/streams.ts';
import { checkDatasetSize, generateDataset } from '../../models/weights/datasets.ts';
import { linearExact, linearProblem, type LinearProblem } from '../../models/weights/linear.ts';
import { createLinearSampler } from './backends.ts';
import type { LinearSampler } from '../../models/weights/sampler.ts';
import type { GpuLinearRunResult } from '../../models/weights/gpu-linear-sampler.ts';
import type { LearnRunOptions } from './options.ts';
import type { Estimate } from '../../analysis/types.ts';
import {
  averageIndependent,
  averageOverDatasets,
  integrateLnZLogBeta,
  seriesEstimate,
  seriesVariance,
} from './estimates.ts';
import { NO_CHECKPOINT, type Resumable } from '../checkpoint.ts';

export type LinearLearnOptions = LearnRunOptions & {
  P: number;
  lambda: number;
  noise: number;
  temperatures: number[];
  exact: boolean;
};

/** Exact (Gaussian) results of the linear model, averaged over the datasets. */
export interface LinearExactResult {
  lnZ: number[];
  free_energy: number[];
  mean_energy: number[];
  train_loss: number[];
  ground_state_energy: number;
}

export interface LinearLearnResult {
  model: 'linear';
  N: number;
  P: number;
  temperatures: number[];
  train_loss: Estimate[];
  mean_energy: Estimate[];
  gen_error: Estimate[];
  gen_error_method: string;
  overlap_teacher: Estimate[];
  overlap_replicas: Estimate[] | null;
  lnZ: Estimate[];
  free_energy: Estimate[];
  lnZ_method: string;
  min_energy_found: number[];
  exact: LinearExactResult | null;
  backend: string;
  adapter: string;
}

/** Per replica (r = c·K + k) and measured sweep: H, |θ − θ*|²/N and the teacher overlap; q per (slot, pair). */
interface LinearSeries {
  H: Float64Array;
  gen: Float64Array;
  overlap: Float64Array;
  Q: Float64Array;
}

/** Progress over all datasets: sweeps done of the total. */
interface Progress {
  done: number;
  total: number;
  report?: (done: number, total: number) => void;
}

/** Store one measured chunk (c sweeps from m0 on) of a dataset's sampler. */
function recordLinearChunk(
  series: LinearSeries,
  res: GpuLinearRunResult,
  at: { m0: number; c: number; M: number; K: number; pairs: number },
  teacher: Float64Array,
  minFound: number[],
): void {
  const { m0, c, M, K, pairs } = at;
  const { replicas: R } = res;
  const N = teacher.length;
  const tNorm = Math.sqrt(teacher.reduce((s, v) => s + v * v, 0));
  const sampled = res.sampledWeights!;
  for (let j = 0; j < c; j++) {
    const m = m0 + j;
    const th = sampled.subarray(j * R * N, (j + 1) * R * N);
    for (let r = 0; r < R; r++) {
      const e = res.energy[j * R + r];
      series.H[r * M + m] = e;
      let dd = 0;
      let wt = 0;
      let ww = 0;
      for (let i = 0; i < N; i++) {
        const x = th[r * N + i];
        dd += (x - teacher[i]) ** 2;
        wt += x * teacher[i];
        ww += x * x;
      }
      series.gen[r * M + m] = dd / N;
      series.overlap[r * M + m] = ww > 0 ? wt / Math.sqrt(ww) / tNorm : 0;
      const k = r % K;
      if (e < minFound[k]) minFound[k] = e;
    }
    for (let p = 0; p < pairs; p++) {
      for (let k = 0; k < K; k++) {
        const r1 = 2 * p * K + k;
        const r2 = (2 * p + 1) * K + k;
        let q = 0;
        for (let i = 0; i < N; i++) q += th[r1 * N + i] * th[r2 * N + i];
        series.Q[(k * pairs + p) * M + m] = q / N;
      }
    }
  }
}

/** What one dataset contributes to the result (kept by a checkpoint once the dataset is done). */
interface LinearDatasetResult {
  estimates: LinearDatasetEstimates;
  /** Lowest H seen per slot. */
  minFound: number[];
  adapter: string;
}

/**
 * One dataset as a resumable task: make its sampler, tune and thermalise, then measure in chunks
 * (θ of every sweep comes back with the chunk). The state within a dataset is not saved (the GPU
 * twin's f32 residuals carry a history that θ alone does not give back): a resumed run redoes
 * the dataset in progress and keeps the ones done.
 */
function linearDatasetTask(
  o: LinearLearnOptions,
  d: number,
  data: { problem: LinearProblem; teacher: Float64Array; lnZAt: (beta: number) => number },
  progress: Progress,
): Resumable<LinearDatasetResult> {
  const { N, perT, sweeps: M, thermalize } = o;
  const K = o.temperatures.length;
  const R = K * perT;
  const pairs = Math.floor(perT / 2);
  const series = {
    H: new Float64Array(R * M),
    gen: new Float64Array(R * M),
    overlap: new Float64Array(R * M),
    Q: new Float64Array(K * pairs * M),
  };
  const minFound = new Array<number>(K).fill(Infinity);
  const chunk = Math.max(1, Math.min(1000, Math.floor(2 ** 20 / (R * N))));
  const start = d * (thermalize + M);
  let sampler: LinearSampler | undefined;
  let m0 = 0;
  let result: LinearDatasetResult | undefined;
  const report = (done: number) => {
    progress.done = start + done;
    progress.report?.(progress.done, progress.total);
  };
  const step = async (s: LinearSampler | undefined): Promise<boolean> => {
    if (!s) {
      sampler = await thermalizedLinearSampler(o, d, data.problem);
      report(thermalize);
      return true;
    }
    if (m0 < M) {
      const c = Math.min(chunk, M - m0);
      const res = await s.run({ sweeps: c, measureEvery: 1, recordWeights: true });
      recordLinearChunk(series, res, { m0, c, M, K, pairs }, data.teacher, minFound);
      m0 += c;
      report(thermalize + m0);
      return true;
    }
    result = {
      estimates: linearDatasetEstimates(series, o, data.lnZAt),
      minFound,
      adapter: s.adapter ?? 'cpu reference',
    };
    s.destroy();
    return false;
  };
  return {
    save: async () => null,
    restore: async () => {},
    async advance() {
      if (result) return false;
      try {
        return await step(sampler);
      } catch (e) {
        sampler?.destroy();
        throw e;
      }
    },
    result: () => result as LinearDatasetResult,
  };
}

/**
 * Dataset d's sampler, tuned and thermalised. Its chains use Philox seed seed + d (the data differ by
 * dataset index), so different datasets never share random words. Backend 'gpu': the f32 WGSL twin of
 * CpuLinearSampler.
 */
async function thermalizedLinearSampler(o: LinearLearnOptions, d: number, problem: LinearProblem) {
  const K = o.temperatures.length;
  const config = {
    problem,
    temperatures: o.temperatures,
    replicas: K * o.perT,
    seed: offsetSeed(o.seed, d),
    init: 'random' as const,
  };
  const sampler = await createLinearSampler(o.backend, config, o.device);
  const tuneBlocks = Math.min(20, Math.floor(o.thermalize / 40));
  if (tuneBlocks > 0) await sampler.tune(tuneBlocks, 20);
  const rest = o.thermalize - tuneBlocks * 20;
  if (rest > 0) await sampler.run({ sweeps: rest, measureEvery: 0 });
  return sampler;
}

/** One dataset's estimates per slot: ⟨H⟩, Var H, gen error, R, q and ln Z (integrated from the hottest slot). */
function linearDatasetEstimates(series: LinearSeries, o: LinearLearnOptions, lnZAt: (beta: number) => number) {
  const { perT, sweeps: M } = o;
  const temps = o.temperatures;
  const K = temps.length;
  const pairs = Math.floor(perT / 2);
  const betas = temps.map((T) => 1 / T);
  const ser = (a: Float64Array, i: number) => a.subarray(i * M, (i + 1) * M);
  const slotEst = (a: Float64Array, k: number) =>
    averageIndependent(Array.from({ length: perT }, (_, c) => seriesEstimate(ser(a, c * K + k))));
  const energy = temps.map((_, k) => slotEst(series.H, k));
  const variance = temps.map((_, k) => {
    let v = 0;
    for (let c = 0; c < perT; c++) v += seriesVariance(ser(series.H, c * K + k));
    return v / perT;
  });
  const q =
    pairs > 0
      ? temps.map((_, k) =>
          averageIndependent(Array.from({ length: pairs }, (_, p) => seriesEstimate(ser(series.Q, k * pairs + p)))),
        )
      : null;
  // Integrate from the hottest slot (smallest β) in ascending β.
  const order = Array.from({ length: K }, (_, k) => k).sort((a, b) => betas[a] - betas[b]);
  const lz = integrateLnZLogBeta(
    lnZAt(betas[order[0]]),
    order.map((k) => betas[k]),
    order.map((k) => energy[k]),
    order.map((k) => variance[k]),
  );
  const lnZ = new Array<Estimate>(K);
  order.forEach((k, i) => {
    lnZ[k] = lz[i];
  });
  const gen = temps.map((_, k) => slotEst(series.gen, k));
  const overlap = temps.map((_, k) => slotEst(series.overlap, k));
  return { energy, gen, overlap, q, lnZ };
}

type LinearDatasetEstimates = ReturnType<typeof linearDatasetEstimates>;

/** The exact (Gaussian) results at the temperatures, averaged over the datasets' problems. */
function linearExactMean(exacts: readonly ReturnType<typeof linearExact>[], betas: readonly number[], P: number) {
  const mean = (f: (ex: ReturnType<typeof linearExact>) => number) =>
    exacts.reduce((s, ex) => s + f(ex), 0) / exacts.length;
  return {
    lnZ: betas.map((b) => mean((ex) => ex.lnZ(b))),
    free_energy: betas.map((b) => mean((ex) => ex.freeEnergy(b))),
    mean_energy: betas.map((b) => mean((ex) => ex.meanEnergy(b))),
    train_loss: betas.map((b) => mean((ex) => ex.meanEnergy(b)) / P),
    ground_state_energy: mean((ex) => ex.Hmin),
  };
}

export async function learnLinear(o: LinearLearnOptions): Promise<LinearLearnResult> {
  const { N, P, samples: D, sweeps, thermalize, seed, lambda, backend } = o;
  const temps = o.temperatures;
  const K = temps.length;
  let adapter = 'cpu reference';
  const progress: Progress = { done: 0, total: D * (thermalize + sweeps), report: o.onProgress };
  const perDataset: LinearDatasetEstimates[] = [];
  const minFound = new Array<number>(K).fill(Infinity);
  const exacts: ReturnType<typeof linearExact>[] = [];
  checkDatasetSize(N, P, D);
  const { session, key } = o.checkpoint ?? { session: NO_CHECKPOINT, key: 'sampling' };
  for (let d = 0; d < D; d++) {
    const data = generateDataset({
      N,
      P,
      inputs: o.inputs,
      teacher: 'gaussian',
      labels: 'linear',
      noise: o.noise,
      seed,
      index: d,
    });
    const problem = linearProblem(data, lambda);
    const ex = linearExact(problem);
    exacts.push(ex);
    const task = linearDatasetTask(o, d, { problem, teacher: data.teacher, lnZAt: (b) => ex.lnZ(b) }, progress);
    const r = await session.task(`${key}, dataset ${d + 1}`, task);
    adapter = r.adapter;
    r.minFound.forEach((m, k) => {
      minFound[k] = Math.min(minFound[k], m);
    });
    perDataset.push(r.estimates);
  }
  const avg = (pick: (x: LinearDatasetEstimates) => Estimate[]) =>
    temps.map((_, k) => averageOverDatasets(perDataset.map((x) => pick(x)[k])));
  const meanEnergy = avg((x) => x.energy);
  const lnZ = avg((x) => x.lnZ);
  const withPairs = perDataset.filter((x) => x.q !== null);
  return {
    model: 'linear',
    N,
    P,
    temperatures: temps,
    train_loss: meanEnergy.map((e) => ({ mean: e.mean / P, err: e.err / P })),
    mean_energy: meanEnergy,
    gen_error: avg((x) => x.gen),
    gen_error_method:
      '<|theta - theta*|^2>/N: squared prediction error on a fresh isotropic unit-variance input, noise excluded',
    overlap_teacher: avg((x) => x.overlap),
    overlap_replicas:
      withPairs.length > 0 ? temps.map((_, k) => averageOverDatasets(withPairs.map((x) => x.q![k]))) : null,
    lnZ,
    free_energy: lnZ.map((l, k) => ({ mean: -temps[k] * l.mean, err: temps[k] * l.err })),
    lnZ_method:
      'thermodynamic integration of <H> from the hottest temperature, anchored there by the exact (Laplace) ln Z of the quadratic H',
    min_energy_found: minFound,
    exact: o.exact
      ? linearExactMean(
          exacts,
          temps.map((T) => 1 / T),
          P,
        )
      : null,
    backend,
    adapter,
  };
}
