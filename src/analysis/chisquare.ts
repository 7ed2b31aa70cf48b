/**
 * Pearson χ² goodness-of-fit test of observed counts against a discrete distribution.
 */
import { chiSquareSurvival } from '../math/special.ts';

/** Result of {@link chiSquareGoodnessOfFit}. */
export interface ChiSquareResult {
  /** Σ (O − E)² / E over the bins after pooling. */
  chi2: number;
  /** Bins after pooling − 1. */
  dof: number;
  /** P(χ²_dof ≥ chi2) = Q(dof/2, chi2/2); 1 when dof = 0. */
  pValue: number;
  /** Number of original bins merged into the pooled bin (0 if none were pooled). */
  pooledBins: number;
  /** Number of bins after pooling. */
  bins: number;
}

/** Options for {@link chiSquareGoodnessOfFit}. */
export interface ChiSquareOptions {
  /** Bins with expected count below this are pooled (default 5, the usual validity rule). */
  minExpected?: number;
}

/**
 * Pearson χ² test. `expectedProb` is normalised to sum 1 and the expected
 * counts are E_i = n·p_i with n = Σ observed.
 *
 * Pooling rule (keeps the χ² approximation valid): all bins with
 * E_i < minExpected are merged into a single pooled bin (their O and E
 * summed). If that pooled bin still has E < minExpected and other bins
 * remain, it is merged further into the remaining bin with the smallest
 * expected count. dof = (bins after pooling) − 1; with one bin left,
 * chi2 = 0, dof = 0 and pValue = 1. An observed count in bins whose
 * expected total is 0 gives chi2 = ∞ and pValue = 0.
 */
export function chiSquareGoodnessOfFit(
  observed: number[],
  expectedProb: number[],
  { minExpected = 5 }: ChiSquareOptions = {},
): ChiSquareResult {
  const K = observed.length;
  if (K === 0 || expectedProb.length !== K) {
    throw new RangeError('chiSquareGoodnessOfFit: observed and expectedProb must be non-empty and of equal length');
  }
  let n = 0;
  let pSum = 0;
  for (let i = 0; i < K; i++) {
    if (!(observed[i] >= 0) || !Number.isFinite(observed[i]))
      throw new RangeError('chiSquareGoodnessOfFit: observed counts must be finite and ≥ 0');
    if (!(expectedProb[i] >= 0) || !Number.isFinite(expectedProb[i]))
      throw new RangeError('chiSquareGoodnessOfFit: probabilities must be finite and ≥ 0');
    n += observed[i];
    pSum += expectedProb[i];
  }
  if (!(pSum > 0)) throw new RangeError('chiSquareGoodnessOfFit: probabilities sum to 0');

  const obs: number[] = [];
  const exp: number[] = [];
  let poolO = 0;
  let poolE = 0;
  let pooled = 0;
  for (let i = 0; i < K; i++) {
    const e = (n * expectedProb[i]) / pSum;
    if (e < minExpected) {
      poolO += observed[i];
      poolE += e;
      pooled++;
    } else {
      obs.push(observed[i]);
      exp.push(e);
    }
  }
  if (pooled > 0) {
    if (poolE < minExpected && exp.length > 0) {
      let j = 0;
      for (let i = 1; i < exp.length; i++) if (exp[i] < exp[j]) j = i;
      obs[j] += poolO;
      exp[j] += poolE;
      pooled++;
    } else {
      obs.push(poolO);
      exp.push(poolE);
    }
  }
  if (pooled === 1) pooled = 0; // a single small bin on its own was not merged with anything

  const bins = obs.length;
  const dof = bins - 1;
  if (dof < 1) return { chi2: 0, dof: 0, pValue: 1, pooledBins: pooled, bins };
  let chi2 = 0;
  for (let i = 0; i < bins; i++) {
    const d = obs[i] - exp[i];
    if (exp[i] > 0) chi2 += (d * d) / exp[i];
    else if (obs[i] > 0) chi2 = Infinity;
  }
  return { chi2, dof, pValue: chiSquareSurvival(chi2, dof), pooledBins: pooled, bins };
}
