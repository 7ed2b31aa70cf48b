/**
 * Analysis of a spin-glass tempering run: per disorder sample, the chains of its real replicas
 * give e and c (binning, jackknife: analyzeIsing), ln Z/N by thermodynamic integration along the
 * whole ladder from the sample's own high-temperature series, and ⟨q²⟩, ⟨q⁴⟩ from the overlaps of
 * its replica pairs (binning), and P(q) with the error of each bin (jackknife over time blocks); then disorder averages [·] over samples with errors by the
 * jackknife over samples (samples are independent), the Binder ratio g = ½(3 − [⟨q⁴⟩]/[⟨q²⟩]²)
 * and χ_SG = N[⟨q²⟩].
 */

import {
  analyzeIsing,
  blockBoundaries,
  blocksPerReplica,
  jackknife,
  pooledBinning,
  pooledIntegratedAutocorrelationTimes,
  type Estimate,
} from '../../analysis/index.ts';
import type { RunResult } from '../../models/ising/sampler.ts';
import { replicaAtSlot, slotSeries, isingSlotSeries } from '../series.ts';
import { lnZByIntegration } from '../tempering/free-energy.ts';

/** How a run is laid out: samples × real replicas chains, each a ladder of user + tail slots. */
export interface GlassLayout {
  samples: number;
  realReplicas: number;
  /** The user's temperatures (slots 0…K−1), then the tail. */
  user: number[];
  tail: number[];
  N: number;
  J: number;
}

/** Per-temperature estimates of one sample (the user's temperatures). */
export interface GlassSampleObservables {
  e: Estimate[];
  c: Estimate[];
  lnZ_per_site: (Estimate | null)[];
  q2: Estimate[];
  q4: Estimate[];
  /** ⟨q_l⟩, the link overlap (1/2N) Σ_<ij> (s_i s_j)^a (s_i s_j)^b. */
  ql: Estimate[];
  /** P(q) per temperature: fraction of measurements at q = −1 + 2i/N, i = 0…N. */
  p_q: number[][];
  /** The error of each bin of p_q (jackknife over time blocks of at least 10 τ_int of q and q²). */
  p_q_err: number[][];
}

/** Chains c = s·n + a of sample s; overlap pairs: a = 0 only for two replicas (the pair (1, 0) is the same). */
const pairChains = (n: number): number[] => (n === 2 ? [0] : Array.from({ length: n }, (_, a) => a));

/** Per sample: e, c, ln Z/N (with lnZStart[s] at the hottest tail slot) and q², q⁴ at every user temperature. */
export function analyseSamples(run: RunResult, l: GlassLayout, lnZStart: readonly number[]): GlassSampleObservables[] {
  const ladder = [...l.user, ...l.tail];
  const K = ladder.length;
  const { N, J, realReplicas: n } = l;
  const series = isingSlotSeries(run, K, { J, h: 0, N });
  const layout = { samples: run.samples, replicas: run.replicas, slotsPerChain: K };
  const replicaAt = replicaAtSlot(layout, { permutations: run.permutations! });
  const overlap = run.overlap!;
  const q = slotSeries(layout, replicaAt, (i) => overlap[i] / N);
  const link = run.linkOverlap!;
  const ql = slotSeries(layout, replicaAt, (i) => link[i] / (2 * N));
  return Array.from({ length: l.samples }, (_, s) => {
    const chains = (x: Float64Array[]) => x.slice(s * n, (s + 1) * n);
    const obs = ladder.map((T, k) =>
      analyzeIsing(
        { energy: chains(series[k].energy), magnetization: chains(series[k].magnetization) },
        { beta: 1 / T, N },
      ),
    );
    const lnZ = sampleLnZ(ladder, l, obs, (k) => chains(series[k].energy), lnZStart[s]);
    const pairs = pairChains(n).map((a) => s * n + a);
    const moment = (k: number, power: number, x = q): Estimate => {
      const { mean, err } = pooledBinning(pairs.map((c) => x[k][c].map((v) => v ** power)));
      return { mean, err };
    };
    const pq = l.user.map((_, k) =>
      overlapHistogram(
        pairs.map((c) => q[k][c]),
        N,
      ),
    );
    return {
      e: l.user.map((_, k) => obs[k].e),
      c: l.user.map((_, k) => obs[k].c),
      lnZ_per_site: lnZ,
      q2: l.user.map((_, k) => moment(k, 2)),
      q4: l.user.map((_, k) => moment(k, 4)),
      ql: l.user.map((_, k) => moment(k, 1, ql)),
      p_q: pq.map((h) => h.p),
      p_q_err: pq.map((h) => h.err),
    };
  });
}

/**
 * P(q) of the pairs' overlap series: the fraction of all measurements in bin i (q = −1 + 2i/N), and
 * its error by the leave-one-block-out jackknife over contiguous time blocks of every series, the
 * blocks at least 10 τ_int of q and of q² long (q's sign flips are the slow mode at low T) as
 * `analyzeIsing` sizes them. For a ratio of counts the leave-one-out estimate is (C_i − c_bi)/(W − w_b).
 */
function overlapHistogram(series: ArrayLike<number>[], N: number): { p: number[]; err: number[] } {
  const n = series[0].length;
  const taus = pooledIntegratedAutocorrelationTimes([series, series.map((x) => Float64Array.from(x, (v) => v * v))]);
  const k = blocksPerReplica(n, series.length, Math.max(0.5, ...taus.map((t) => t.tau)));
  const bounds = blockBoundaries(n, k);
  const blocks: { counts: Float64Array; w: number }[] = [];
  const total = new Float64Array(N + 1);
  for (const x of series) {
    for (let b = 0; b < k; b++) {
      const counts = new Float64Array(N + 1);
      for (let t = bounds[b]; t < bounds[b + 1]; t++) counts[Math.round(((x[t] + 1) * N) / 2)]++;
      counts.forEach((v, i) => {
        total[i] += v;
      });
      blocks.push({ counts, w: bounds[b + 1] - bounds[b] });
    }
  }
  const W = n * series.length;
  const B = blocks.length;
  const err = Array.from(total, (C, i) => {
    const loo = blocks.map(({ counts, w }) => (C - counts[i]) / (W - w));
    const mean = loo.reduce((a, v) => a + v, 0) / B;
    return B < 2 ? 0 : Math.sqrt(((B - 1) / B) * loo.reduce((a, v) => a + (v - mean) ** 2, 0));
  });
  return { p: Array.from(total, (C) => C / W), err };
}

/** ln Z/N at the user slots by integration from the hottest slot (null without a tail). */
function sampleLnZ(
  ladder: number[],
  l: GlassLayout,
  obs: { e: Estimate; c: Estimate }[],
  energy: (k: number) => Float64Array[],
  start: number,
): (Estimate | null)[] {
  if (l.tail.length === 0) return l.user.map(() => null);
  const order = ladder.map((T, i) => ({ beta: 1 / T, i })).sort((a, b) => a.beta - b.beta);
  const integrated = lnZByIntegration(
    order.map((x) => x.beta),
    order.map((x) => obs[x.i].e),
    order.map((x) => obs[x.i].c),
    l.J,
    order.map((x) => energy(x.i)),
    start,
  );
  const bySlot = new Map(order.map((x, j) => [x.i, integrated[j]]));
  return l.user.map((_, k) => bySlot.get(k) ?? null);
}

/** Disorder averages per temperature; err by the jackknife over samples (null for one sample). */
export interface DisorderAverage {
  e: AverageEstimate[];
  c: AverageEstimate[];
  lnZ_per_site: (AverageEstimate | null)[];
  q2: AverageEstimate[];
  q4: AverageEstimate[];
  ql: AverageEstimate[];
  /** Binder ratio g = ½(3 − [⟨q⁴⟩]/[⟨q²⟩]²). */
  g: AverageEstimate[];
  /** χ_SG = N [⟨q²⟩]. */
  chi_sg: AverageEstimate[];
  /** Standard deviation over samples of f = −T ln Z/N (self-averaging: ∝ N^{−1/2}). */
  f_std: (number | null)[];
  /** [P(q)] per temperature: the samples' P(q) averaged (bins as GlassSampleObservables.p_q). */
  p_q: number[][];
  /** The mean over samples of the lowest energy per site found. */
  min_energy_found: AverageEstimate;
}

export interface AverageEstimate {
  mean: number;
  err: number | null;
}

/** f of the per-sample means [e, c, q2, q4, lnZ] over the samples, with its jackknife error. */
function overSamples(rows: number[][], f: (v: number[]) => number): AverageEstimate {
  if (rows.length < 2) return { mean: f(rows[0]), err: null };
  const { mean, err } = jackknife(rows, f);
  return { mean, err };
}

export function disorderAverage(
  samples: readonly GlassSampleObservables[],
  minEnergy: readonly number[],
  l: GlassLayout,
): DisorderAverage {
  const rowsAt = (k: number) =>
    samples.map((s) => [
      s.e[k].mean,
      s.c[k].mean,
      s.q2[k].mean,
      s.q4[k].mean,
      s.lnZ_per_site[k]?.mean ?? 0,
      s.ql[k].mean,
    ]);
  const per = (f: (v: number[]) => number) => l.user.map((_, k) => overSamples(rowsAt(k), f));
  const hasLnZ = l.tail.length > 0;
  const lnZ = per((v) => v[4]);
  return {
    e: per((v) => v[0]),
    c: per((v) => v[1]),
    lnZ_per_site: hasLnZ ? lnZ : l.user.map(() => null),
    q2: per((v) => v[2]),
    q4: per((v) => v[3]),
    ql: per((v) => v[5]),
    g: per((v) => 0.5 * (3 - v[3] / (v[2] * v[2]))),
    chi_sg: per((v) => l.N * v[2]),
    f_std: l.user.map((T, k) => (hasLnZ && samples.length > 1 ? std(rowsAt(k).map((v) => -T * v[4])) : null)),
    p_q: l.user.map((_, k) =>
      samples[0].p_q[k].map((_, i) => samples.reduce((acc, s) => acc + s.p_q[k][i], 0) / samples.length),
    ),
    min_energy_found: overSamples(
      minEnergy.map((e) => [e]),
      (v) => v[0],
    ),
  };
}

/** Sample standard deviation (n − 1). */
function std(x: number[]): number {
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1));
}

/** The lowest energy per site among the replicas of each sample over runs (−J·max bonds / N). */
export function lowestEnergies(runs: readonly RunResult[], l: GlassLayout): number[] {
  const per = (runs[0].replicas / l.samples) | 0;
  const best = new Array<number>(l.samples).fill(Number.NEGATIVE_INFINITY);
  for (const run of runs) {
    for (let i = 0; i < run.bonds.length; i++) {
      const s = Math.floor((i % run.replicas) / per);
      if (run.bonds[i] > best[s]) best[s] = run.bonds[i];
    }
  }
  return best.map((b) => (-l.J * b) / l.N);
}
