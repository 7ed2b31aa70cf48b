/**
 * Boltzmann sampling of binary-perceptron weights on a temperature ladder with replica exchange
 * (inside the sampler: on the GPU for --backend gpu), and the estimators of `ising learn --model perceptron`.
 *
 * Layout: datasets d = 0 … D−1 (D = samples), perT chains per dataset, each chain one ladder of
 * Ktot = K + tail slots (ascending T: the K user temperatures, then the high-temperature tail).
 * Replica r = chain·Ktot + k starts in slot k; chain = d·perT + c; datasetOf[r] = floor(chain / perT).
 *
 * Exchange after every sweep, by the rule in the header of
 * src/models/weights/cpu-perceptron-sampler.ts (the samplers' `exchange` run option), which the GPU
 * kernel follows bit for bit. Measurements come after the exchange. Deterministic: the same seed
 * gives the same run on either backend.
 *
 * ln Z(β) = N ln 2 − ∫_0^β ⟨E⟩ dβ' (thermodynamic integration from β = 0, where every weight
 * vector is equally likely and ⟨E⟩ = P/2 exactly: N odd, so w·x ≠ 0, and each example is an error
 * for exactly half of the 2^N vectors (w ↔ −w)). The integrand is measured at the K temperatures and
 * at the tail slots (β from 1/Tmax down to TAIL_BETA_END), corrected trapezoid with d⟨E⟩/dβ = −Var E;
 * on [0, TAIL_BETA_END] the trapezoid with ⟨E⟩(0) = P/2 and the hottest slot's variance. Its error
 * is the binned error of the integral's own time series Σ_j w_j E_j(t) (with the variance terms
 * linearised) per chain (the slots of a tempering chain are correlated: adding their errors in
 * quadrature understated it). Chains of one dataset combine by averageChains: the larger of the
 * binned errors and the chains' spread. Exact results by enumeration: src/learning/exact.ts.
 */

import { checkDatasetSize, generateDataset, type Dataset, type InputKind } from '../../models/weights/datasets.ts';
import { generalisationError } from '../../models/weights/perceptron.ts';
import type { Estimate } from '../../analysis/types.ts';
import { createPerceptronSampler } from './backends.ts';
import type { PerceptronSampler } from '../../models/weights/sampler.ts';
import type { PerceptronRunResult } from '../../models/weights/cpu-perceptron-sampler.ts';
import { replicaAtSlot, slotSeries } from '../series.ts';
import type { LearnRunOptions } from './options.ts';
import {
  averageChains,
  averageOverDatasets,
  combinedSeriesEstimate,
  integrateLnZ,
  seriesEstimate,
  seriesVariance,
  trapezoidWeights,
} from './estimates.ts';
import { NO_CHECKPOINT, type Resumable } from '../checkpoint.ts';

/** Sweeps per sampler run (progress is reported between runs). */
const CHUNK_SWEEPS = 256;

/** β of the hottest tail slot. */
export const TAIL_BETA_END = 0.02;

/** Tail temperatures above Tmax (ascending T) down to β = TAIL_BETA_END, spaced for swaps with P examples. */
export function perceptronTail(Tmax: number, P: number): number[] {
  const betaTop = 1 / Tmax;
  if (betaTop <= TAIL_BETA_END) return [];
  const n = Math.max(4, Math.ceil(Math.log(betaTop / TAIL_BETA_END) / Math.log(1 + 2.5 / Math.sqrt(Math.max(P, 1)))));
  return Array.from({ length: n }, (_, i) => 1 / (betaTop * (TAIL_BETA_END / betaTop) ** ((i + 1) / n)));
}

export type PerceptronLearnOptions = LearnRunOptions & {
  P: number;
  data: 'teacher' | 'random';
  /** User temperatures, ascending. */
  temperatures: number[];
};

export interface PerceptronLearnResult {
  /** The adapter that ran the sampler ('cpu reference' on the CPU). */
  adapter: string;
  model: 'perceptron';
  N: number;
  P: number;
  temperatures: number[];
  train_loss: Estimate[];
  gen_error: Estimate[];
  gen_error_method: string;
  overlap_teacher: Estimate[];
  overlap_replicas: Estimate[] | null;
  /** P(q) at each user temperature over all measurements, pairs of chains and datasets (null without pairs). */
  overlap_histogram: OverlapHistogram | null;
  lnZ: Estimate[];
  /** ln Z of each dataset (sample) at each user temperature: [dataset][k]. */
  lnZ_datasets: Estimate[][];
  lnZ_method: string;
  min_energy_found: number[];
  swap_acceptance: number[];
  tail_temperatures: number[];
  backend: string;
}

export interface OverlapHistogram {
  /** Bin edges in q (bins.length + 1 of them). */
  edges: number[];
  /** Fraction of the measurements in each bin, per user temperature: [k][bin]. */
  p: number[][];
}

/**
 * Histogram of overlaps q = w·w'/N, which take the N + 1 values −1, −1 + 2/N, …, 1: one bin per
 * value when N + 1 ≤ 41, else 40 equal bins on [−1, 1] (q = 1 in the last).
 */
export function overlapHistogram(N: number, series: Float64Array[][]): OverlapHistogram {
  const perValue = N + 1 <= 41;
  const nb = perValue ? N + 1 : 40;
  const lo = perValue ? -1 - 1 / N : -1;
  const width = perValue ? 2 / N : 2 / nb;
  const edges = Array.from({ length: nb + 1 }, (_, i) => lo + i * width);
  const p = series.map((list) => {
    const counts = new Float64Array(nb);
    let n = 0;
    for (const qs of list) {
      for (const q of qs) {
        counts[Math.min(nb - 1, Math.max(0, Math.floor((q - lo) / width)))]++;
        n++;
      }
    }
    return Array.from(counts, (c) => (n > 0 ? c / n : 0));
  });
  return { edges, p };
}

export function perceptronDatasets(
  N: number,
  P: number,
  data: 'teacher' | 'random',
  inputs: InputKind,
  seed: number,
  count: number,
): Dataset[] {
  checkDatasetSize(N, P, count);
  return Array.from({ length: count }, (_, index) =>
    generateDataset({ N, P, inputs, teacher: 'binary', labels: data, seed, index }),
  );
}

/** The shape of a perceptron run: D datasets × perT chains, each a ladder of Kt = K + tail slots. */
interface PerceptronLayout {
  N: number;
  P: number;
  /** Datasets. */
  D: number;
  perT: number;
  /** User slots and all slots (tail included). */
  K: number;
  Kt: number;
  chains: number;
  /** Replicas: chains · Kt. */
  R: number;
  /** Measured sweeps (the length of every series). */
  M: number;
  /** Pairs of chains per dataset (for the replica overlap). */
  pairs: number;
}

/** The measured series of a run, flat: E per (chain, slot), R and ε per (chain, user slot), q per (dataset, pair, user slot). */
interface PerceptronSeries {
  E: Int32Array;
  overlap: Float64Array;
  eps: Float64Array;
  Q: Float64Array;
  accepted: Float64Array;
  attempts: Float64Array;
}

function allocateSeries(l: PerceptronLayout): PerceptronSeries {
  const { chains, Kt, K, M, D, pairs } = l;
  return {
    E: new Int32Array(chains * Kt * M),
    overlap: new Float64Array(chains * K * M),
    eps: new Float64Array(chains * K * M),
    Q: new Float64Array(D * pairs * K * M),
    accepted: new Float64Array(Math.max(0, Kt - 1)),
    attempts: new Float64Array(Math.max(0, Kt - 1)),
  };
}

/** Store one measured chunk (n samples from measurement m0 on) of the run in the series, by slot. */
function recordChunk(
  l: PerceptronLayout,
  s: PerceptronSeries,
  res: PerceptronRunResult,
  m0: number,
  teacherNorm: readonly number[],
): void {
  const { N, K, Kt, R, M, D, perT, pairs, chains } = l;
  const layout = { samples: res.samples, replicas: R, slotsPerChain: Kt };
  const replicaAt = replicaAtSlot(layout, res.slotsAt ? { slotsAt: res.slotsAt } : null);
  const sqrtN = Math.sqrt(N);
  const energy = slotSeries(layout, replicaAt, (i) => res.energy[i]);
  const datasetOf = (i: number) => Math.floor(Math.floor((i % R) / Kt) / perT);
  const overlap = slotSeries(layout, replicaAt, (i) => res.teacherDot[i] / (sqrtN * teacherNorm[datasetOf(i)]));
  for (let c = 0; c < chains; c++) {
    for (let k = 0; k < Kt; k++) {
      s.E.set(energy[k][c], (c * Kt + k) * M + m0);
      if (k >= K) continue;
      s.overlap.set(overlap[k][c], (c * K + k) * M + m0);
      s.eps.set(overlap[k][c].map(generalisationError), (c * K + k) * M + m0);
    }
  }
  const w = res.sampledWeights;
  if (pairs === 0 || !w) return;
  for (let j = 0; j < res.samples; j++) {
    for (let d = 0; d < D; d++) {
      for (let p = 0; p < pairs; p++) {
        const c1 = d * perT + 2 * p;
        for (let k = 0; k < K; k++) {
          const o1 = (j * R + replicaAt[j * R + c1 * Kt + k]) * N;
          const o2 = (j * R + replicaAt[j * R + (c1 + 1) * Kt + k]) * N;
          let q = 0;
          for (let i = 0; i < N; i++) q += w[o1 + i] * w[o2 + i];
          s.Q[((d * pairs + p) * K + k) * M + m0 + j] = q / N;
        }
      }
    }
  }
}

interface PerceptronTaskState {
  t: number;
  series: PerceptronSeries;
  weights: Int8Array;
  sweepsDone: number;
  slots: number[];
}

/**
 * Thermalise, then measure every sweep with exchanges, in chunks (they keep the progress output
 * alive and are the points where a checkpoint can save: weights, sweep counter, slots, series).
 */
function samplePerceptron(
  l: PerceptronLayout,
  sampler: PerceptronSampler,
  o: PerceptronLearnOptions,
  teacherNorm: readonly number[],
): Resumable<PerceptronSeries> {
  let s = allocateSeries(l);
  const { thermalize } = o;
  const total = thermalize + o.sweeps;
  let t = 0;
  return {
    save: async (): Promise<PerceptronTaskState> => ({
      t,
      series: s,
      weights: await sampler.weights(),
      sweepsDone: sampler.sweepsDone,
      slots: [...sampler.slots],
    }),
    async restore(saved) {
      const x = saved as PerceptronTaskState;
      sampler.restore({ weights: x.weights, sweepsDone: x.sweepsDone });
      sampler.setSlots(x.slots);
      s = x.series;
      t = x.t;
    },
    async advance() {
      if (t >= total) return false;
      // Thermalisation and measurement in separate runs.
      const n = t < thermalize ? Math.min(thermalize - t, CHUNK_SWEEPS) : Math.min(total - t, CHUNK_SWEEPS);
      const measuring = t >= thermalize;
      const res = await sampler.run({
        sweeps: n,
        measureEvery: measuring ? 1 : 0,
        recordWeights: measuring && l.pairs > 0,
        exchange: true,
      });
      res.swapsAccepted?.forEach((a, k) => {
        s.accepted[k] += a;
      });
      res.swapsAttempted?.forEach((a, k) => {
        s.attempts[k] += a;
      });
      if (measuring) recordChunk(l, s, res, t - thermalize, teacherNorm);
      t += n;
      o.onProgress?.(t, total);
      return true;
    },
    result: () => s,
  };
}

/** The series of one index of a flat [index][m] array. */
const seriesAt = (l: PerceptronLayout, arr: Int32Array | Float64Array, idx: number) =>
  arr.subarray(idx * l.M, (idx + 1) * l.M);

/** Per dataset and slot: ⟨E⟩ (averaged over chains) and Var E. */
function datasetEnergies(l: PerceptronLayout, E: Int32Array): { mean: Estimate[][]; variance: number[][] } {
  const { D, Kt, perT } = l;
  const mean: Estimate[][] = [];
  const variance: number[][] = [];
  for (let d = 0; d < D; d++) {
    const es: Estimate[] = [];
    const vs: number[] = [];
    for (let k = 0; k < Kt; k++) {
      const chainEs: Estimate[] = [];
      let v = 0;
      for (let c = d * perT; c < (d + 1) * perT; c++) {
        const x = seriesAt(l, E, c * Kt + k);
        chainEs.push(seriesEstimate(x, 1));
        v += seriesVariance(x);
      }
      es.push(averageChains(chainEs));
      vs.push(v / perT);
    }
    mean.push(es);
    variance.push(vs);
  }
  return { mean, variance };
}

/** Per chain and path position j (slot order[j]): its energy series and (E − Ē)², made once. */
function chainPathSeries(l: PerceptronLayout, E: Int32Array, d: number, order: readonly number[]) {
  return Array.from({ length: l.perT }, (_, c) => {
    const es = order.map((slot) => seriesAt(l, E, (d * l.perT + c) * l.Kt + slot));
    const dev2 = es.map((x) => {
      let m = 0;
      for (let t = 0; t < x.length; t++) m += x[t];
      m /= x.length;
      return Float64Array.from(x, (v: number) => (v - m) ** 2);
    });
    return { es, dev2 };
  });
}

/**
 * ln Z of dataset d at each user slot: integration points β = 0, then the slots in ascending β
 * (reverse slot order).
 */
function datasetLnZ(
  l: PerceptronLayout,
  E: Int32Array,
  d: number,
  energies: { mean: Estimate[][]; variance: number[][] },
  betas: readonly number[],
): Estimate[] {
  const { Kt, N, P, K } = l;
  const order = Array.from({ length: Kt }, (_, i) => Kt - 1 - i);
  const b = [0, ...order.map((k) => betas[k])];
  const e = [{ mean: P / 2, err: 0 }, ...order.map((k) => energies.mean[d][k])];
  const v = [energies.variance[d][order[0]], ...order.map((k) => energies.variance[d][k])];
  const lz = integrateLnZ(N * Math.LN2, b, e, v);
  // lz[1 + i] belongs to slot order[i] = Kt − 1 − i, so slot k is at point p = Kt − k. Its error:
  // per chain, the binned error of the integral's own series Σ_j w_j E_j(t) over the path's slots
  // (β = 0 is exact), which keeps the slots' mutual correlation; chains are independent.
  // The variance terms enter linearised (delta method): Var_j → (E_j(t) − Ē_j)², with the
  // corrected trapezoid's coefficients u_j (the β = 0 point borrows the hottest slot's variance).
  const chainSeries = chainPathSeries(l, E, d, order);
  return Array.from({ length: K }, (_, k) => {
    const p = Kt - k;
    const w = trapezoidWeights(b, p).subarray(1);
    const u = new Float64Array(p);
    for (let i = 1; i <= p; i++) {
      const h2 = (b[i] - b[i - 1]) ** 2 / 12;
      u[Math.max(0, i - 2)] -= h2; // +h²/12·Var_{i−1} in ln Z (point 0 is slot order[0])
      u[i - 1] += h2; // −h²/12·Var_i
    }
    // Per chain Σ_j w_j E_j − Σ_j u_j (E_j − Ē_j)² over the path's first p slots: its spread
    // across chains is that of the chains' own ln Z.
    const chains = chainSeries.map(({ es, dev2 }) =>
      combinedSeriesEstimate([...es.slice(0, p), ...dev2.slice(0, p)], [...w, ...u], w[w.length - 1]),
    );
    return { mean: lz[p].mean, err: averageChains(chains).err };
  });
}

/** An estimate per user slot over datasets of the chain averages of a (chain, user slot) series. */
function userSlotEstimate(l: PerceptronLayout, arr: Float64Array, k: number, step: number): Estimate {
  const { D, perT, K } = l;
  return averageOverDatasets(
    Array.from({ length: D }, (_, d) =>
      averageChains(
        Array.from({ length: perT }, (_, c) => seriesEstimate(seriesAt(l, arr, (d * perT + c) * K + k), step)),
      ),
    ),
  );
}

/** ⟨q⟩ and P(q) of the pairs of chains at each user slot (null without pairs). */
function replicaOverlaps(l: PerceptronLayout, Q: Float64Array) {
  const { D, pairs, K, N } = l;
  if (pairs === 0) return { mean: null, histogram: null };
  const userSlots = Array.from({ length: K }, (_, k) => k);
  const mean = userSlots.map((k) =>
    averageOverDatasets(
      Array.from({ length: D }, (_, d) =>
        averageChains(
          Array.from({ length: pairs }, (_, p) => seriesEstimate(seriesAt(l, Q, (d * pairs + p) * K + k), 2 / N)),
        ),
      ),
    ),
  );
  const histogram = overlapHistogram(
    N,
    userSlots.map((k) => Array.from({ length: D * pairs }, (_, dp) => seriesAt(l, Q, dp * K + k) as Float64Array)),
  );
  return { mean, histogram };
}

/** The lowest energy any chain found at each user slot. */
function minEnergies(l: PerceptronLayout, E: Int32Array): number[] {
  return Array.from({ length: l.K }, (_, k) => {
    let m = Infinity;
    for (let c = 0; c < l.chains; c++) for (const x of seriesAt(l, E, c * l.Kt + k)) m = Math.min(m, x);
    return m;
  });
}

export async function learnPerceptron(o: PerceptronLearnOptions): Promise<PerceptronLearnResult> {
  const { N, P, perT, samples: D, seed } = o;
  const datasets = perceptronDatasets(N, P, o.data, o.inputs, seed, D);
  const K = o.temperatures.length;
  const tail = perceptronTail(o.temperatures[K - 1], P);
  const temps = [...o.temperatures, ...tail];
  const Kt = temps.length;
  const chains = D * perT;
  const R = chains * Kt;
  const l: PerceptronLayout = { N, P, D, perT, K, Kt, chains, R, M: o.sweeps, pairs: Math.floor(perT / 2) };
  const sampler = await createPerceptronSampler(
    o.backend,
    {
      datasets,
      replicas: R,
      datasetOf: Array.from({ length: R }, (_, r) => Math.floor(Math.floor(r / Kt) / perT)),
      temperatures: temps,
      slots: Array.from({ length: R }, (_, r) => r % Kt),
      seed,
    },
    o.device,
  );
  const teacherNorm = datasets.map((d) => Math.sqrt(d.teacher.reduce((s, v) => s + v * v, 0)));
  const { session, key } = o.checkpoint ?? { session: NO_CHECKPOINT, key: 'sampling' };
  const s = await session.task(key, samplePerceptron(l, sampler, o, teacherNorm));
  const energies = datasetEnergies(l, s.E);
  const userSlots = Array.from({ length: K }, (_, k) => k);
  const trainLoss = userSlots.map((k) => {
    const e = averageOverDatasets(energies.mean.map((es) => es[k]));
    return P > 0 ? { mean: e.mean / P, err: e.err / P } : { mean: 0, err: 0 };
  });
  const betas = temps.map((T) => 1 / T);
  const lnZPerDataset = Array.from({ length: D }, (_, d) => datasetLnZ(l, s.E, d, energies, betas));
  const overlaps = replicaOverlaps(l, s.Q);
  // Smallest changes of R and of ε under one weight flip (resolution floors of stuck series).
  const stepR = 2 / N;
  const stepEps = generalisationError(1 - 2 / N);
  return {
    model: 'perceptron',
    N,
    P,
    temperatures: o.temperatures,
    train_loss: trainLoss,
    gen_error: userSlots.map((k) => userSlotEstimate(l, s.eps, k, stepEps)),
    gen_error_method:
      o.inputs === 'binary'
        ? 'arccos(R)/pi with R = w.w*/(|w||w*|): the Gaussian-input formula, used as an approximation of the test error for binary inputs'
        : 'arccos(R)/pi with R = w.w*/(|w||w*|) (exact for isotropic Gaussian inputs)',
    overlap_teacher: userSlots.map((k) => userSlotEstimate(l, s.overlap, k, stepR)),
    overlap_replicas: overlaps.mean,
    overlap_histogram: overlaps.histogram,
    lnZ: userSlots.map((k) => averageOverDatasets(lnZPerDataset.map((lz) => lz[k]))),
    lnZ_datasets: lnZPerDataset,
    lnZ_method: `thermodynamic integration of <E> from beta = 0 (ln Z = N ln 2, <E> = P/2) through ${tail.length} tail slots (beta >= ${TAIL_BETA_END}) and the ladder, corrected trapezoid with d<E>/dbeta = -Var E`,
    min_energy_found: minEnergies(l, s.E),
    swap_acceptance: Array.from(s.accepted, (a, k) => (s.attempts[k] > 0 ? a / s.attempts[k] : 0)),
    tail_temperatures: tail,
    backend: sampler.backend,
    adapter: sampler.adapter ?? 'cpu reference',
  };
}
