/** Small estimators shared by the learning orchestration: binned means combined over chains and datasets. */

import { binningAnalysis, combinedSeries } from '../../analysis/binning.ts';
import type { Estimate } from '../../analysis/types.ts';

/**
 * Mean and binning error of one time series (naive error for very short series).
 * A series that never changed (err 0, e.g. a chain stuck in the ground state at low T) gets the
 * resolution floor err = 2·step/n, step the smallest change the observable can make (1 for an
 * integer error count): zero events seen in n samples bound a Poisson rate by 2/n at 86 %.
 */
export function seriesEstimate(x: ArrayLike<number>, step = 0): Estimate {
  if (x.length === 0) return { mean: NaN, err: NaN };
  if (x.length === 1) return { mean: x[0], err: step };
  let constant = true;
  for (let i = 1; i < x.length && constant; i++) constant = x[i] === x[0];
  if (constant) return { mean: x[0], err: (2 * step) / x.length };
  const b = binningAnalysis(x);
  return { mean: b.mean, err: b.err };
}

/** Average of independent estimates (equal weights): mean of means, err = √Σerr²/n. */
export function averageIndependent(es: readonly Estimate[]): Estimate {
  const n = es.length;
  let m = 0;
  let v = 0;
  for (const e of es) {
    m += e.mean;
    v += e.err * e.err;
  }
  return { mean: m / n, err: Math.sqrt(v) / n };
}

/**
 * Average over datasets (disorder): mean of the per-dataset estimates; the error is the larger of
 * the propagated thermal error and the sample standard error across datasets (when there are ≥ 2).
 */
export function averageOverDatasets(es: readonly Estimate[]): Estimate {
  return averageWithSpread(es);
}

/**
 * Average over independent chains of one dataset, by the same rule: the error is the larger of the
 * propagated (binned) errors and the chains' observed spread, so chains stuck in different states
 * for longer than binning can see (a tunnelling time beyond the run) still widen the error.
 */
export function averageChains(es: readonly Estimate[]): Estimate {
  return averageWithSpread(es);
}

function averageWithSpread(es: readonly Estimate[]): Estimate {
  const avg = averageIndependent(es);
  const n = es.length;
  if (n < 2) return avg;
  let s = 0;
  for (const e of es) s += (e.mean - avg.mean) ** 2;
  const se = Math.sqrt(s / (n - 1) / n);
  return { mean: avg.mean, err: Math.max(avg.err, se) };
}

/** Weights w_j of the trapezoid ∫_{β_0}^{β_p} f dβ ≈ Σ_{j ≤ p} w_j f(β_j) over the points 0 … p. */
export function trapezoidWeights(betas: readonly number[], p: number): Float64Array {
  const w = new Float64Array(p + 1);
  for (let i = 1; i <= p; i++) {
    const h = betas[i] - betas[i - 1];
    w[i - 1] += h / 2;
    w[i] += h / 2;
  }
  return w;
}

/**
 * Σ_j w_j ⟨x_j⟩ with its binned error for series measured together in one chain (combinedSeries:
 * the slots' mutual correlation and the autocorrelation are both in it). `step` is the resolution
 * floor of a constant combination (seriesEstimate).
 */
export function combinedSeriesEstimate(
  series: readonly ArrayLike<number>[],
  w: ArrayLike<number>,
  step: number,
): Estimate {
  return seriesEstimate(combinedSeries(series, w), step);
}

/** Sample variance of a series (1/n normalisation, as an estimate of Var at fixed β). */
export function seriesVariance(x: ArrayLike<number>): number {
  const n = x.length;
  if (n === 0) return NaN;
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i];
  m /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (x[i] - m) ** 2;
  return v / n;
}

/**
 * ln Z(β_i) = ln Z(β_0) − ∫_{β_0}^{β_i} ⟨E⟩ dβ by the corrected trapezoid rule (4th order) with
 * d⟨E⟩/dβ = −Var(E):  ∫_a^b ⟨E⟩ = h/2 (E_a + E_b) − h²/12 (Var_a − Var_b).
 * betas ascending; e[i] with errors, variance[i] the energy variance there (errors of the
 * variance neglected). Errors of the points propagated as independent.
 */
export function integrateLnZ(
  lnZ0: number,
  betas: readonly number[],
  e: readonly Estimate[],
  variance: readonly number[],
): Estimate[] {
  return integrateSteps(lnZ0, betas, e, (i) => {
    const h = betas[i] - betas[i - 1];
    return {
      drop: (h / 2) * (e[i - 1].mean + e[i].mean) - ((h * h) / 12) * (variance[i - 1] - variance[i]),
      wPrev: h / 2,
      wCur: h / 2,
    };
  });
}

/**
 * The running sum of both integrators: step i lowers ln Z by `drop` and gives e[i − 1], e[i] the
 * coefficients −wPrev, −wCur in it; errors of the points propagated as independent.
 */
function integrateSteps(
  lnZ0: number,
  betas: readonly number[],
  e: readonly Estimate[],
  step: (i: number) => { drop: number; wPrev: number; wCur: number },
): Estimate[] {
  const n = betas.length;
  for (let i = 1; i < n; i++) if (!(betas[i] > betas[i - 1])) throw new RangeError('betas must increase');
  const out: Estimate[] = [{ mean: lnZ0, err: 0 }];
  const w = new Float64Array(n);
  let value = lnZ0;
  for (let i = 1; i < n; i++) {
    const { drop, wPrev, wCur } = step(i);
    value -= drop;
    w[i - 1] -= wPrev;
    w[i] -= wCur;
    let v = 0;
    for (let j = 0; j <= i; j++) v += (w[j] * e[j].err) ** 2;
    out.push({ mean: value, err: Math.sqrt(v) });
  }
  return out;
}

/** Least-squares fit of log y = c − a log x; returns a, c and the standard error of a. */
export function powerLawFit(x: readonly number[], y: readonly number[]): { a: number; c: number; aErr: number } {
  const n = x.length;
  const lx = x.map(Math.log);
  const ly = y.map(Math.log);
  const mx = lx.reduce((s, v) => s + v, 0) / n;
  const my = ly.reduce((s, v) => s + v, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (lx[i] - mx) ** 2;
    sxy += (lx[i] - mx) * (ly[i] - my);
  }
  const slope = sxy / sxx;
  const c = my - slope * mx;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (ly[i] - c - slope * lx[i]) ** 2;
  const aErr = n > 2 ? Math.sqrt(rss / (n - 2) / sxx) : NaN;
  return { a: -slope, c, aErr };
}

/**
 * As integrateLnZ but in u = ln β (for continuous weights, where ⟨E⟩ ~ N/(2β) is far from
 * polynomial in β): d ln Z/du = −φ, φ = β⟨E⟩, dφ/du = β⟨E⟩ − β² Var E, corrected trapezoid in u.
 */
export function integrateLnZLogBeta(
  lnZ0: number,
  betas: readonly number[],
  e: readonly Estimate[],
  variance: readonly number[],
): Estimate[] {
  const phi = betas.map((b, i) => b * e[i].mean);
  const dphi = betas.map((b, i) => b * e[i].mean - b * b * variance[i]);
  return integrateSteps(lnZ0, betas, e, (i) => {
    const h = Math.log(betas[i] / betas[i - 1]);
    return {
      drop: (h / 2) * (phi[i - 1] + phi[i]) + ((h * h) / 12) * (dphi[i - 1] - dphi[i]),
      wPrev: betas[i - 1] * (h / 2 + (h * h) / 12),
      wCur: betas[i] * (h / 2 - (h * h) / 12),
    };
  });
}
