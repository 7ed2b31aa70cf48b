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

import { generateDataset, type Dataset, type InputKind } from '../../models/weights/datasets.ts';
import { generalisationError } from '../../models/weights/perceptron.ts';
import type { Estimate } from '../../analysis/types.ts';
import { createPerceptronSampler } from './backends.ts';
import {
  averageChains,
  averageOverDatasets,
  combinedSeriesEstimate,
  integrateLnZ,
  seriesEstimate,
  seriesVariance,
  trapezoidWeights,
} from './estimates.ts';

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

export interface PerceptronLearnOptions {
  N: number;
  P: number;
  data: 'teacher' | 'random';
  inputs: InputKind;
  /** User temperatures, ascending. */
  temperatures: number[];
  perT: number;
  samples: number;
  sweeps: number;
  thermalize: number;
  seed: number;
  backend: string;
  onProgress?: (done: number, total: number) => void;
}

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
  return Array.from({ length: count }, (_, index) =>
    generateDataset({ N, P, inputs, teacher: 'binary', labels: data, seed, index }),
  );
}

export async function learnPerceptron(o: PerceptronLearnOptions): Promise<PerceptronLearnResult> {
  const { N, P, perT, samples: D, sweeps, thermalize, seed } = o;
  const datasets = perceptronDatasets(N, P, o.data, o.inputs, seed, D);
  const K = o.temperatures.length;
  const tail = perceptronTail(o.temperatures[K - 1], P);
  const temps = [...o.temperatures, ...tail];
  const Kt = temps.length;
  const betas = temps.map((T) => 1 / T);
  const chains = D * perT;
  const R = chains * Kt;
  const sampler = await createPerceptronSampler(o.backend, {
    datasets,
    replicas: R,
    datasetOf: Array.from({ length: R }, (_, r) => Math.floor(Math.floor(r / Kt) / perT)),
    temperatures: temps,
    slots: Array.from({ length: R }, (_, r) => r % Kt),
    seed,
  });
  // Series per (chain, slot): energies and overlaps; q per (dataset, pair of chains, user slot).
  const M = sweeps;
  const E = new Int32Array(chains * Kt * M);
  const Rser = new Float64Array(chains * K * M);
  const eps = new Float64Array(chains * K * M);
  const pairs = Math.floor(perT / 2);
  const Q = new Float64Array(D * pairs * K * M);
  const teacherNorm = datasets.map((d) => Math.sqrt(d.teacher.reduce((s, v) => s + v * v, 0)));
  const sqrtN = Math.sqrt(N);
  const accepted = new Float64Array(Math.max(0, Kt - 1));
  const attempts = new Float64Array(Math.max(0, Kt - 1));
  const slotReplica = new Uint32Array(R);
  const total = thermalize + sweeps;
  let t = 0;
  while (t < total) {
    // Thermalisation and measurement in separate runs; chunks keep the progress output alive.
    const n = t < thermalize ? Math.min(thermalize - t, CHUNK_SWEEPS) : Math.min(total - t, CHUNK_SWEEPS);
    const measuring = t >= thermalize;
    const res = await sampler.run({
      sweeps: n,
      measureEvery: measuring ? 1 : 0,
      recordWeights: measuring && pairs > 0,
      exchange: true,
    });
    res.swapsAccepted?.forEach((a, k) => (accepted[k] += a));
    res.swapsAttempted?.forEach((a, k) => (attempts[k] += a));
    for (let j = 0; measuring && j < n; j++) {
      const m = t - thermalize + j;
      const slotsAt = res.slotsAt!;
      for (let r = 0; r < R; r++) slotReplica[Math.floor(r / Kt) * Kt + slotsAt[j * R + r]] = r;
      const at = (r: number) => j * R + r;
      for (let c = 0; c < chains; c++) {
        const d = Math.floor(c / perT);
        for (let k = 0; k < Kt; k++) {
          const r = slotReplica[c * Kt + k];
          E[(c * Kt + k) * M + m] = res.energy[at(r)];
          if (k < K) {
            const R0 = res.teacherDot[at(r)] / (sqrtN * teacherNorm[d]);
            Rser[(c * K + k) * M + m] = R0;
            eps[(c * K + k) * M + m] = generalisationError(R0);
          }
        }
      }
      if (pairs > 0 && res.sampledWeights) {
        const w = res.sampledWeights;
        for (let d = 0; d < D; d++) {
          for (let p = 0; p < pairs; p++) {
            const c1 = d * perT + 2 * p;
            const c2 = c1 + 1;
            for (let k = 0; k < K; k++) {
              const o1 = at(slotReplica[c1 * Kt + k]) * N;
              const o2 = at(slotReplica[c2 * Kt + k]) * N;
              let q = 0;
              for (let i = 0; i < N; i++) q += w[o1 + i] * w[o2 + i];
              Q[((d * pairs + p) * K + k) * M + m] = q / N;
            }
          }
        }
      }
    }
    t += n;
    o.onProgress?.(t, total);
  }

  const series = (arr: Int32Array | Float64Array, idx: number) => arr.subarray(idx * M, (idx + 1) * M);
  // Per dataset and slot: ⟨E⟩ (averaged over chains) and Var E.
  const perDatasetE: Estimate[][] = [];
  const perDatasetVar: number[][] = [];
  for (let d = 0; d < D; d++) {
    const es: Estimate[] = [];
    const vs: number[] = [];
    for (let k = 0; k < Kt; k++) {
      const chainEs: Estimate[] = [];
      let v = 0;
      for (let c = d * perT; c < (d + 1) * perT; c++) {
        const x = series(E, c * Kt + k);
        chainEs.push(seriesEstimate(x, 1));
        v += seriesVariance(x);
      }
      es.push(averageChains(chainEs));
      vs.push(v / perT);
    }
    perDatasetE.push(es);
    perDatasetVar.push(vs);
  }
  const userSlots = Array.from({ length: K }, (_, k) => k);
  const combine = (arr: Float64Array, slotsPerChain: number, k: number, step: number): Estimate =>
    averageOverDatasets(
      Array.from({ length: D }, (_, d) =>
        averageChains(
          Array.from({ length: perT }, (_, c) => seriesEstimate(series(arr, (d * perT + c) * slotsPerChain + k), step)),
        ),
      ),
    );
  // Smallest changes of R and of ε under one weight flip (resolution floors of stuck series).
  const stepR = 2 / N;
  const stepEps = generalisationError(1 - 2 / N);
  const trainLoss = userSlots.map((k) => {
    const e = averageOverDatasets(perDatasetE.map((es) => es[k]));
    return P > 0 ? { mean: e.mean / P, err: e.err / P } : { mean: 0, err: 0 };
  });
  // ln Z per dataset: integration points β = 0, then the slots in ascending β (reverse slot order).
  const lnZPerDataset = perDatasetE.map((es, d) => {
    const order = Array.from({ length: Kt }, (_, i) => Kt - 1 - i);
    const b = [0, ...order.map((k) => betas[k])];
    const e = [{ mean: P / 2, err: 0 }, ...order.map((k) => es[k])];
    const v = [perDatasetVar[d][order[0]], ...order.map((k) => perDatasetVar[d][k])];
    const lz = integrateLnZ(N * Math.LN2, b, e, v);
    // lz[1 + i] belongs to slot order[i] = Kt − 1 − i, so slot k is at point p = Kt − k. Its error:
    // per chain, the binned error of the integral's own series Σ_j w_j E_j(t) over the path's slots
    // (β = 0 is exact), which keeps the slots' mutual correlation; chains are independent.
    // The variance terms enter linearised (delta method): Var_j → (E_j(t) − Ē_j)², with the
    // corrected trapezoid's coefficients u_j (the β = 0 point borrows the hottest slot's variance).
    // Per chain and path position j (slot order[j]): its energy series and (E − Ē)², made once.
    const chainSeries = Array.from({ length: perT }, (_, c) => {
      const es = order.map((slot) => series(E, (d * perT + c) * Kt + slot));
      const dev2 = es.map((x) => {
        let m = 0;
        for (let t = 0; t < x.length; t++) m += x[t];
        m /= x.length;
        return Float64Array.from(x, (v: number) => (v - m) ** 2);
      });
      return { es, dev2 };
    });
    return userSlots.map((k) => {
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
  });
  const lnZ = userSlots.map((k) => averageOverDatasets(lnZPerDataset.map((l) => l[k])));
  const minEnergy = userSlots.map((k) => {
    let m = Infinity;
    for (let c = 0; c < chains; c++) for (const x of series(E, c * Kt + k)) m = Math.min(m, x);
    return m;
  });
  const overlapReplicas =
    pairs > 0
      ? userSlots.map((k) =>
          averageOverDatasets(
            Array.from({ length: D }, (_, d) =>
              averageChains(
                Array.from({ length: pairs }, (_, p) => seriesEstimate(series(Q, (d * pairs + p) * K + k), 2 / N)),
              ),
            ),
          ),
        )
      : null;
  const overlapHist =
    pairs > 0
      ? overlapHistogram(
          N,
          userSlots.map((k) => Array.from({ length: D * pairs }, (_, dp) => series(Q, dp * K + k) as Float64Array)),
        )
      : null;
  return {
    model: 'perceptron',
    N,
    P,
    temperatures: o.temperatures,
    train_loss: trainLoss,
    gen_error: userSlots.map((k) => combine(eps, K, k, stepEps)),
    gen_error_method:
      o.inputs === 'binary'
        ? 'arccos(R)/pi with R = w.w*/(|w||w*|): the Gaussian-input formula, used as an approximation of the test error for binary inputs'
        : 'arccos(R)/pi with R = w.w*/(|w||w*|) (exact for isotropic Gaussian inputs)',
    overlap_teacher: userSlots.map((k) => combine(Rser, K, k, stepR)),
    overlap_replicas: overlapReplicas,
    overlap_histogram: overlapHist,
    lnZ,
    lnZ_datasets: lnZPerDataset,
    lnZ_method: `thermodynamic integration of <E> from beta = 0 (ln Z = N ln 2, <E> = P/2) through ${tail.length} tail slots (beta >= ${TAIL_BETA_END}) and the ladder, corrected trapezoid with d<E>/dbeta = -Var E`,
    min_energy_found: minEnergy,
    swap_acceptance: Array.from(accepted, (a, k) => (attempts[k] > 0 ? a / attempts[k] : 0)),
    tail_temperatures: tail,
    backend: sampler.backend,
    adapter: sampler.adapter ?? 'cpu reference',
  };
}
