/**
 * Observables of one temperature of the Ising model from R independent
 * replicas (e.g. the parallel chains of a GPU run), with error bars.
 */
import { pooledIntegratedAutocorrelationTimes } from './autocorrelation.ts';
import { pooledBinning } from './binning.ts';
import { blockBoundaries, jackknife } from './jackknife.ts';
import type { Estimate } from './types.ts';

/** Per-site time series, one array per replica; all arrays have the same length. */
export interface IsingReplicaSeries {
  /** Energy per site e_t of each replica. */
  energy: ArrayLike<number>[];
  /** Magnetisation per site m_t (signed) of each replica. */
  magnetization: ArrayLike<number>[];
}

/** Parameters of {@link analyzeIsing}. */
export interface IsingAnalysisParams {
  /** Inverse temperature β. */
  beta: number;
  /** Number of spins N. */
  N: number;
  /** Jackknife blocks must be ≥ this many τ_int long (default 10). */
  blockTauFactor?: number;
  /** Minimum total number of jackknife blocks (default 20). */
  minBlocks?: number;
  /** Maximum total number of jackknife blocks (default 1024); fewer, longer blocks cut residual correlation. */
  maxBlocks?: number;
  /** Sokal window constant c for τ_int (default 6). */
  windowC?: number;
}

/** Result of {@link analyzeIsing}. Means are over all replicas and samples pooled. */
export interface IsingObservables {
  /** ⟨e⟩, energy per site. */
  e: Estimate;
  /** ⟨|m|⟩. */
  m_abs: Estimate;
  /** ⟨m²⟩. */
  m2: Estimate;
  /** ⟨m⁴⟩. */
  m4: Estimate;
  /** Specific heat per site c = β²N(⟨e²⟩ − ⟨e⟩²) (jackknife error). */
  c: Estimate;
  /** Susceptibility per site χ = βN(⟨m²⟩ − ⟨|m|⟩²) (jackknife error). */
  chi: Estimate;
  /**
   * Binder cumulant U₄ = 1 − ⟨m⁴⟩/(3⟨m²⟩²) (jackknife error); null when fewer than two blocks
   * see m ≠ 0 (U₄ or its leave-one-out values would be 0/0, e.g. a tiny lattice stuck at m = 0).
   */
  binder: Estimate | null;
  /** τ_int of e (Sokal window, ACF pooled over replicas; 1/2 = uncorrelated). */
  tau_int_e: number;
  /** τ_int of |m|. */
  tau_int_m_abs: number;
  /** τ_int of m² (used, with τ_int of e and |m|, for the block length). */
  tau_int_m2: number;
  /** Total number of samples R·L. */
  samples: number;
  /** Number of replicas R. */
  replicas: number;
  /** Total number of jackknife blocks over all replicas. */
  blocks: number;
  /** Shortest jackknife block length (samples). */
  blockLength: number;
  /** True when blockLength ≥ blockTauFactor·max τ_int, i.e. the block rule could be met. */
  blocksIndependent: boolean;
  /** True when every per-replica binning analysis reached its plateau criterion. */
  binningConverged: boolean;
}

/**
 * Analyse one temperature from R independent replicas.
 *
 * Means: pooled over all R·L samples. Errors of e, |m|, m², m⁴: binning per
 * replica (see binningAnalysis); the replicas are independent and equally
 * long, so the pooled mean is the average of replica means and
 * err² = Σ_r err_r² / R².
 *
 * c, χ, U₄: block jackknife. Each replica is cut into k contiguous blocks and
 * the R·k blocks of all replicas are pooled. Block rule: blocks should be
 * ≥ blockTauFactor (10) · max(τ_e, τ_|m|, τ_m²) long, so k = floor(L / that);
 * k is capped so that R·k ≤ maxBlocks (1024), since more blocks add little
 * once the error-of-error is a few percent. If the series is too short for
 * minBlocks (20) such blocks, k = ceil(minBlocks/R) (≤ L) shorter blocks are
 * used anyway and `blocksIndependent` is false: the estimates stay valid,
 * the jackknife errors are then underestimated. Fluctuations are accumulated
 * about the pooled means, which avoids cancellation in ⟨e²⟩ − ⟨e⟩².
 *
 * Cost O(n log n) (FFT for τ_int), O(n) otherwise.
 */
export function analyzeIsing(series: IsingReplicaSeries, params: IsingAnalysisParams): IsingObservables {
  const { energy, magnetization } = series;
  const { beta, N } = params;
  const tauFactor = params.blockTauFactor ?? 10;
  const { R, L } = checkSeries(series, params);
  const { absM, m2, m4 } = magnetizationMoments(magnetization, L);
  const estimates = [energy, absM, m2, m4].map(pooledBinning);
  const [eEst, mAbsEst, m2Est, m4Est] = estimates.map(({ mean, err }): Estimate => ({ mean, err }));

  const [tauE, tauA, tauQ] = pooledIntegratedAutocorrelationTimes([energy, absM, m2], params.windowC ?? 6);
  const tauMax = Math.max(0.5, tauE.tau, tauA.tau, tauQ.tau);
  const k = blocksPerReplica(L, R, tauMax, params);
  const blockLength = Math.floor(L / k);
  const { rows, weights } = blockRows({ energy, absM, m2, m4 }, blockBoundaries(L, k), eEst.mean, mAbsEst.mean);
  const jk = (f: (v: number[]) => number): Estimate => {
    const { mean, err } = jackknife(rows, f, weights);
    return { mean, err };
  };
  return {
    e: eEst,
    m_abs: mAbsEst,
    m2: m2Est,
    m4: m4Est,
    c: jk((v) => beta * beta * N * (v[1] - v[0] * v[0])),
    chi: jk((v) => beta * N * (v[3] - v[2] * v[2])),
    binder: rows.filter((v) => v[4] > 0).length >= 2 ? jk((v) => 1 - v[5] / (3 * v[4] * v[4])) : null,
    tau_int_e: tauE.tau,
    tau_int_m_abs: tauA.tau,
    tau_int_m2: tauQ.tau,
    samples: R * L,
    replicas: R,
    blocks: R * k,
    blockLength,
    blocksIndependent: blockLength >= tauFactor * tauMax,
    binningConverged: estimates.every((b) => b.converged),
  };
}

/** Replica count R and common length L of the series; throws on inconsistent input. */
function checkSeries(series: IsingReplicaSeries, params: IsingAnalysisParams): { R: number; L: number } {
  const { energy, magnetization } = series;
  const R = energy.length;
  if (R < 1) throw new RangeError('analyzeIsing: no replicas');
  if (magnetization.length !== R)
    throw new RangeError('analyzeIsing: energy and magnetization need one series per replica each');
  const L = energy[0].length;
  for (let r = 0; r < R; r++) {
    if (energy[r].length !== L || magnetization[r].length !== L) {
      throw new RangeError('analyzeIsing: all replica series must have the same length');
    }
  }
  if (L < 2) throw new RangeError(`analyzeIsing: need at least 2 samples per replica, got ${L}`);
  if (!Number.isFinite(params.beta)) throw new RangeError('analyzeIsing: beta must be finite');
  if (!(params.N > 0)) throw new RangeError('analyzeIsing: N must be > 0');
  return { R, L };
}

/** |m|, m² and m⁴ series of every replica. */
function magnetizationMoments(magnetization: ArrayLike<number>[], L: number) {
  const absM: Float64Array[] = [];
  const m2: Float64Array[] = [];
  const m4: Float64Array[] = [];
  for (const m of magnetization) {
    const a = new Float64Array(L);
    const q = new Float64Array(L);
    const h = new Float64Array(L);
    for (let i = 0; i < L; i++) {
      const v = m[i];
      const v2 = v * v;
      a[i] = Math.abs(v);
      q[i] = v2;
      h[i] = v2 * v2;
    }
    absM.push(a);
    m2.push(q);
    m4.push(h);
  }
  return { absM, m2, m4 };
}

/** Jackknife blocks per replica by the block rule of {@link analyzeIsing}. */
export function blocksPerReplica(
  L: number,
  R: number,
  tauMax: number,
  params: Pick<IsingAnalysisParams, 'blockTauFactor' | 'minBlocks' | 'maxBlocks'> = {},
): number {
  const tauFactor = params.blockTauFactor ?? 10;
  const minBlocks = params.minBlocks ?? 20;
  const maxBlocks = Math.max(params.maxBlocks ?? 1024, minBlocks);
  const wanted = Math.max(1, Math.ceil(tauFactor * tauMax));
  let k = Math.floor(L / wanted);
  k = Math.min(k, Math.max(1, Math.floor(maxBlocks / R)));
  if (R * k < minBlocks) k = Math.min(L, Math.max(k, Math.ceil(minBlocks / R)));
  return k;
}

/**
 * Block means of e−ē, (e−ē)², |m|−ā, (|m|−ā)², m², m⁴ for every block of every replica (about
 * the pooled means, which avoids cancellation in ⟨e²⟩ − ⟨e⟩²), with the block lengths as weights.
 */
function blockRows(
  s: { energy: ArrayLike<number>[]; absM: Float64Array[]; m2: Float64Array[]; m4: Float64Array[] },
  bounds: number[],
  eBar: number,
  aBar: number,
): { rows: number[][]; weights: number[] } {
  const rows: number[][] = [];
  const weights: number[] = [];
  for (let r = 0; r < s.energy.length; r++) {
    const e = s.energy[r];
    const a = s.absM[r];
    const q = s.m2[r];
    const h = s.m4[r];
    for (let b = 0; b + 1 < bounds.length; b++) {
      let s1 = 0,
        s2 = 0,
        s3 = 0,
        s4 = 0,
        s5 = 0,
        s6 = 0;
      const lo = bounds[b];
      const hi = bounds[b + 1];
      for (let i = lo; i < hi; i++) {
        const de = e[i] - eBar;
        const da = a[i] - aBar;
        s1 += de;
        s2 += de * de;
        s3 += da;
        s4 += da * da;
        s5 += q[i];
        s6 += h[i];
      }
      const len = hi - lo;
      rows.push([s1 / len, s2 / len, s3 / len, s4 / len, s5 / len, s6 / len]);
      weights.push(len);
    }
  }
  return { rows, weights };
}
