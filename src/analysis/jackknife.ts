/**
 * Block jackknife for (non-linear) functions of means.
 */
import type { Estimate } from './types.ts';

/** Jackknife estimate; `mean` is f evaluated at the all-block means. */
export interface JackknifeEstimate extends Estimate {
  /** Bias-corrected value B·f(all) − (B−1)·mean of leave-one-out values (removes O(1/B) bias). */
  biasCorrected: number;
}

/**
 * Leave-one-block-out jackknife.
 *
 * `blockMeans[b][k]` is the mean of component k over block b. For each b, the
 * means of all other blocks are combined (weighted by `weights[b]`, e.g. block
 * lengths; equal weights if omitted) and f is evaluated; the error is
 * √((B−1)/B · Σ_b (f_b − f̄)²). The returned `mean` is f(means over all
 * blocks), the plain (not bias-corrected) estimate; the bias-corrected value is
 * returned alongside. Blocks must be long compared with τ_int for the error to
 * be valid. f receives a fresh array each call. Throws for fewer than 2 blocks.
 */
export function jackknife(
  blockMeans: number[][],
  f: (means: number[]) => number,
  weights?: ArrayLike<number>,
): JackknifeEstimate {
  const B = blockMeans.length;
  if (B < 2) throw new RangeError(`jackknife: need at least 2 blocks, got ${B}`);
  const K = blockMeans[0].length;
  if (weights && weights.length !== B) throw new RangeError('jackknife: weights length must equal the block count');

  const sums = new Array<number>(K).fill(0);
  let wTot = 0;
  for (let b = 0; b < B; b++) {
    const row = blockMeans[b];
    if (row.length !== K) throw new RangeError('jackknife: all blocks must have the same number of components');
    const w = weights ? weights[b] : 1;
    if (!(w > 0)) throw new RangeError('jackknife: weights must be positive');
    wTot += w;
    for (let k = 0; k < K; k++) sums[k] += w * row[k];
  }
  const full = f(sums.map((s) => s / wTot));

  const loo = new Float64Array(B);
  let avg = 0;
  for (let b = 0; b < B; b++) {
    const row = blockMeans[b];
    const w = weights ? weights[b] : 1;
    const rest = wTot - w;
    const means = new Array<number>(K);
    for (let k = 0; k < K; k++) means[k] = (sums[k] - w * row[k]) / rest;
    loo[b] = f(means);
    avg += loo[b];
  }
  avg /= B;
  let ss = 0;
  for (let b = 0; b < B; b++) ss += (loo[b] - avg) ** 2;
  return { mean: full, err: Math.sqrt(((B - 1) / B) * ss), biasCorrected: B * full - (B - 1) * avg };
}

/**
 * Jackknife error of a quantity from its full-data value and its B
 * leave-one-block-out values: √((B−1)/B · Σ_b (θ_b − θ̄)²). Non-finite replica
 * values give err = Infinity; fewer than 2 replicas give err = NaN.
 */
export function jackknifeFromReplicas(full: number, replicas: ArrayLike<number>): Estimate {
  const B = replicas.length;
  if (B < 2) return { mean: full, err: Number.NaN };
  let avg = 0;
  for (let b = 0; b < B; b++) {
    if (!Number.isFinite(replicas[b])) return { mean: full, err: Number.POSITIVE_INFINITY };
    avg += replicas[b];
  }
  avg /= B;
  let ss = 0;
  for (let b = 0; b < B; b++) ss += (replicas[b] - avg) ** 2;
  return { mean: full, err: Math.sqrt(((B - 1) / B) * ss) };
}

/**
 * Boundaries of `nBlocks` contiguous blocks covering n samples: block b is
 * [bounds[b], bounds[b+1]), with bounds[b] = floor(b·n/nBlocks), so block
 * lengths differ by at most one and no sample is dropped.
 */
export function blockBoundaries(n: number, nBlocks: number): number[] {
  if (!Number.isInteger(nBlocks) || nBlocks < 1 || nBlocks > n) {
    throw new RangeError(`blockBoundaries: need 1 ≤ nBlocks ≤ n (n = ${n}), got ${nBlocks}`);
  }
  const bounds = new Array<number>(nBlocks + 1);
  for (let b = 0; b <= nBlocks; b++) bounds[b] = Math.floor((b * n) / nBlocks);
  return bounds;
}

/**
 * Block means of several equally long component series: returns
 * `out[b][k]` = mean of `series[k]` over block b, blocks as in
 * {@link blockBoundaries}. Pass the block lengths as jackknife weights when
 * n is not a multiple of nBlocks.
 */
export function blockMeans(series: ArrayLike<number>[], nBlocks: number): number[][] {
  if (series.length === 0) throw new RangeError('blockMeans: no series');
  const n = series[0].length;
  for (const s of series) {
    if (s.length !== n) throw new RangeError('blockMeans: all series must have the same length');
  }
  const bounds = blockBoundaries(n, nBlocks);
  const out: number[][] = [];
  for (let b = 0; b < nBlocks; b++) {
    const lo = bounds[b];
    const hi = bounds[b + 1];
    const row = new Array<number>(series.length);
    for (let k = 0; k < series.length; k++) {
      const s = series[k];
      let acc = 0;
      for (let i = lo; i < hi; i++) acc += s[i];
      row[k] = acc / (hi - lo);
    }
    out.push(row);
  }
  return out;
}
