/**
 * Blocking (binning) analysis of the error of a mean of correlated data,
 * after Flyvbjerg & Petersen, J. Chem. Phys. 91, 461 (1989).
 */
import type { Estimate } from './types.ts';

/** One blocking level: the naive error of the mean computed from block averages. */
export interface BinningLevel {
  /** Samples per bin (2^level). */
  binSize: number;
  /** Number of bins at this level (trailing odd samples are dropped when pairing). */
  nBins: number;
  /** √(s²/nBins), s² the unbiased variance of the bin averages. */
  err: number;
}

/** Result of {@link binningAnalysis}. */
export interface BinningResult {
  /** Mean of all n samples. */
  mean: number;
  /** Error of the mean taken at the selected level (see {@link binningAnalysis}). */
  err: number;
  /** ½ (err / err_naive)²: 1/2 for uncorrelated data. */
  tauInt: number;
  /** All levels, binSize 1, 2, 4, … down to 2 bins. */
  levels: BinningLevel[];
  /** Index into `levels` of the level the error was taken from. */
  level: number;
  /** False when no level with enough bins met the plateau criterion (series too short): the error is then a lower bound. */
  converged: boolean;
}

/** A pooled mean with its error and whether the binning of every replica converged. */
export interface BinningEstimate extends Estimate {
  converged: boolean;
}

/** Options for {@link binningAnalysis}. */
export interface BinningOptions {
  /** Levels with fewer bins are too noisy to be selected (level 0 always may be). Default 32. */
  minBins?: number;
}

/**
 * Blocking analysis: successive pairwise averaging, the naive error at every level.
 *
 * Plateau rule (Wolff 2004 / Lee et al., PRE 83, 066706 (2011), as in pyblock):
 * the bias of level B falls like τ/B while its noise grows like √(B/n); the
 * selected level is the smallest binSize B with B³ ≥ 2n·(err_B/err_0)⁴ among
 * levels with ≥ minBins bins. For AR(1) with τ = 9.5 this picks B ≈ (8nτ²)^{1/3},
 * leaving a few-percent bias with a few-percent noise. If no level qualifies,
 * the last level with ≥ minBins bins is used and `converged` is false. For
 * n < 2·minBins (default 64) only level 0 qualifies, so the naive error is
 * returned with converged = false — too short for any blocking estimate.
 *
 * Throws for n < 2 (no error can be estimated). O(n).
 */
export function binningAnalysis(x: ArrayLike<number>, options: BinningOptions = {}): BinningResult {
  const n = x.length;
  if (n < 2) throw new RangeError(`binningAnalysis: need at least 2 samples, got ${n}`);
  const minBins = options.minBins ?? 32;

  const work = Float64Array.from(x);
  let total = 0;
  for (let i = 0; i < n; i++) total += work[i];
  const mean = total / n;

  const levels: BinningLevel[] = [];
  let m = n;
  let binSize = 1;
  while (m >= 2) {
    let s = 0;
    for (let i = 0; i < m; i++) s += work[i];
    const mu = s / m;
    let v = 0;
    for (let i = 0; i < m; i++) {
      const d = work[i] - mu;
      v += d * d;
    }
    levels.push({ binSize, nBins: m, err: Math.sqrt(v / (m - 1) / m) });
    const half = m >> 1;
    for (let i = 0; i < half; i++) work[i] = 0.5 * (work[2 * i] + work[2 * i + 1]);
    m = half;
    binSize *= 2;
  }

  const err0 = levels[0].err;
  if (!(err0 > 0)) {
    return { mean, err: 0, tauInt: 0.5, levels, level: 0, converged: true };
  }

  let chosen = 0;
  let converged = false;
  for (let k = 0; k < levels.length; k++) {
    const lv = levels[k];
    if (k > 0 && lv.nBins < minBins) break;
    chosen = k;
    const r = lv.err / err0;
    if (lv.binSize ** 3 >= 2 * n * r ** 4) {
      converged = true;
      break;
    }
  }
  const err = levels[chosen].err;
  return { mean, err, tauInt: 0.5 * (err / err0) ** 2, levels, level: chosen, converged };
}

/**
 * y_t = Σ_j w_j x_j(t) for series measured at the same times in one Markov chain (e.g. the slots of
 * a tempering chain). Binning y gives the error of Σ_j w_j ⟨x_j⟩ with the correlations between the
 * x_j included, which propagating each x_j's own error as independent would miss.
 */
export function combinedSeries(series: readonly ArrayLike<number>[], w: ArrayLike<number>): Float64Array {
  const n = series.length > 0 ? series[0].length : 0;
  const y = new Float64Array(n);
  series.forEach((x, j) => {
    if (x.length !== n) throw new RangeError('combinedSeries: the series must have equal lengths');
    for (let t = 0; t < n; t++) y[t] += w[j] * x[t];
  });
  return y;
}

/**
 * Mean of independent, equally long replicas with its error: the average of the replicas'
 * binning means, err = √(Σ_r err_r²)/R; `converged` when every replica's binning converged.
 */
export function pooledBinning(replicas: readonly ArrayLike<number>[]): BinningEstimate {
  const R = replicas.length;
  let mean = 0;
  let err2 = 0;
  let converged = true;
  for (const x of replicas) {
    const b = binningAnalysis(x);
    mean += b.mean;
    err2 += b.err * b.err;
    converged &&= b.converged;
  }
  return { mean: mean / R, err: Math.sqrt(err2) / R, converged };
}
