/**
 * Single-histogram reweighting (Ferrenberg & Swendsen, PRL 61, 2635 (1988)): samples drawn at
 * one β moved to nearby β. reweightSeries adds block-jackknife errors by running the
 * multiple-histogram estimator with one run.
 */
import { requireFiniteNumber } from './inputs.ts';
import { multipleHistogram } from './multiple.ts';
import type { ReweightedEstimate, ReweightSeriesOptions, SingleHistogramResult } from './types.ts';

/**
 * Single-histogram reweighting of samples drawn at beta0 to beta:
 * ⟨O⟩_β = Σ O_i ω_i / Σ ω_i, ω_i = exp(−(β − β0)E_i − max_j(−(β − β0)E_j))
 * (log-sum-exp shift, so nothing overflows for any energies). The observable
 * defaults to E itself. Reliable only while nEff stays a sizeable fraction of
 * the sample count (|β − β0| ≲ 1/√(N c) · T).
 */
export function singleHistogram(
  energies: ArrayLike<number>,
  beta0: number,
  beta: number,
  observable?: ArrayLike<number>,
): SingleHistogramResult {
  requireFiniteNumber(beta0, 'beta0');
  requireFiniteNumber(beta, 'beta');
  const n = energies.length;
  if (n < 1) throw new RangeError('singleHistogram: no samples');
  if (observable && observable.length !== n) {
    throw new RangeError('singleHistogram: observable must have one value per energy sample');
  }
  const d = beta - beta0;
  let shift = -Infinity;
  for (let i = 0; i < n; i++) {
    const E = energies[i];
    if (!Number.isFinite(E)) throw new RangeError(`singleHistogram: energy ${i} is not finite`);
    const x = -d * E;
    if (x > shift) shift = x;
  }
  const w = new Float64Array(n);
  let W = 0;
  let W2 = 0;
  let sE = 0;
  let sO = 0;
  for (let i = 0; i < n; i++) {
    const wi = Math.exp(-d * energies[i] - shift);
    w[i] = wi;
    W += wi;
    W2 += wi * wi;
    sE += wi * energies[i];
    if (observable) sO += wi * observable[i];
  }
  const E = sE / W;
  let v = 0;
  for (let i = 0; i < n; i++) v += w[i] * (energies[i] - E) ** 2;
  const varE = v / W;
  return {
    O: observable ? sO / W : E,
    E,
    E2: varE + E * E,
    varE,
    lnZ: shift + Math.log(W / n),
    nEff: (W * W) / W2,
  };
}

/**
 * Single-histogram reweighting of one temperature's series (several replicas
 * allowed) to each target β, with block-jackknife errors (`blocks` blocks per
 * replica, default 32; the same estimator as {@link multipleHistogram} with
 * one run, so energies on a grid are histogrammed). Returns one estimate per
 * entry of `betas`, in order; lnZ is ln Z(β) − ln Z(beta0).
 */
export function reweightSeries(options: ReweightSeriesOptions): ReweightedEstimate[] {
  const { energy, observables, magnetization, beta0, betas, N } = options;
  for (const b of betas) requireFiniteNumber(b, 'betas[i]');
  const mh = multipleHistogram([{ beta: beta0, energy, observables, magnetization }], {
    N,
    blocks: options.blocks ?? 32,
  });
  return betas.map((b) => mh.estimate(b));
}
