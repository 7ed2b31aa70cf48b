/**
 * Finite-size scaling from a sweep: seeds combined per size by inverse-variance weighting, peaks of
 * c and χ from a parabola through the three ladder points around the maximum, weighted fits of
 * c_max against ln L and of ln χ_max against ln L, and Binder-cumulant crossings of consecutive
 * sizes by linear interpolation between ladder points.
 *
 * Errors propagate linearly and treat the estimates at different ladder temperatures as
 * independent (in one tempering run they are somewhat correlated, so the errors of peaks and
 * crossings are approximate); different sizes and seeds are independent runs.
 */

import { kaufman } from '../../physics/index.ts';

export interface Est {
  mean: number;
  err: number;
}

const nan: Est = { mean: NaN, err: NaN };

/** An estimate read from JSON (where NaN was written as null). */
export const est = (x: unknown): Est => {
  const o = x as { mean?: unknown; err?: unknown } | null;
  return { mean: typeof o?.mean === 'number' ? o.mean : NaN, err: typeof o?.err === 'number' ? o.err : NaN };
};

/**
 * Inverse-variance weighted mean of independent estimates, and χ²/dof of the estimates about it
 * (≈ 1 when the error bars are right; null for one estimate). Estimates without a positive finite
 * error are averaged with equal weights (error: the root-sum-square / n).
 */
export function combine(xs: readonly Est[]): Est & { chi2_per_dof: number | null } {
  if (xs.length === 0) return { ...nan, chi2_per_dof: null };
  if (xs.length === 1) return { mean: xs[0].mean, err: xs[0].err, chi2_per_dof: null };
  let mean: number;
  let err: number;
  if (xs.every((x) => Number.isFinite(x.err) && x.err > 0)) {
    const w = xs.map((x) => 1 / (x.err * x.err));
    const W = w.reduce((a, b) => a + b, 0);
    mean = xs.reduce((a, x, i) => a + w[i] * x.mean, 0) / W;
    err = 1 / Math.sqrt(W);
  } else {
    mean = xs.reduce((a, x) => a + x.mean, 0) / xs.length;
    err = Math.sqrt(xs.reduce((a, x) => a + x.err * x.err, 0)) / xs.length;
  }
  const chi2 = xs.reduce((a, x) => a + ((x.mean - mean) / x.err) ** 2, 0);
  return { mean, err, chi2_per_dof: Number.isFinite(chi2) ? chi2 / (xs.length - 1) : null };
}

/** σ of f(y) by linear propagation (central differences), for independent y_i with errors σ_i. */
function propagate(f: (y: number[]) => number, y: readonly number[], sigma: readonly number[]): number {
  let v = 0;
  for (let i = 0; i < y.length; i++) {
    if (!(sigma[i] > 0)) continue;
    const h = sigma[i] * 1e-3;
    const up = [...y];
    const dn = [...y];
    up[i] += h;
    dn[i] -= h;
    v += (((f(up) - f(dn)) / (2 * h)) * sigma[i]) ** 2;
  }
  return Math.sqrt(v);
}

/** Vertex (x*, y*) of the parabola through (x0,y0), (x1,y1), (x2,y2); NaN when it is not a maximum. */
export function parabolaVertex(x: readonly number[], y: readonly number[]): { x: number; y: number } {
  const f01 = (y[1] - y[0]) / (x[1] - x[0]);
  const f12 = (y[2] - y[1]) / (x[2] - x[1]);
  const c = (f12 - f01) / (x[2] - x[0]);
  if (!(c < 0)) return { x: NaN, y: NaN };
  const xs = (x[0] + x[1]) / 2 - f01 / (2 * c);
  return { x: xs, y: y[0] + f01 * (xs - x[0]) + c * (xs - x[0]) * (xs - x[1]) };
}

export interface Peak {
  /** Ladder index of the largest value. */
  index: number;
  /** false when the largest value is at an end of the ladder: T and height are then that point's. */
  bracketed: boolean;
  T: Est;
  height: Est;
}

/** Peak of y(T): a parabola through the ladder points around the maximum. */
export function findPeak(T: readonly number[], y: readonly Est[]): Peak {
  let k = -1;
  for (let i = 0; i < y.length; i++) if (Number.isFinite(y[i].mean) && (k < 0 || y[i].mean > y[k].mean)) k = i;
  if (k < 0) return { index: -1, bracketed: false, T: nan, height: nan };
  if (k === 0 || k === y.length - 1)
    return { index: k, bracketed: false, T: { mean: T[k], err: NaN }, height: { ...y[k] } };
  const x3 = [T[k - 1], T[k], T[k + 1]];
  const y3 = [y[k - 1].mean, y[k].mean, y[k + 1].mean];
  const s3 = [y[k - 1].err, y[k].err, y[k + 1].err];
  const v = parabolaVertex(x3, y3);
  return {
    index: k,
    bracketed: true,
    T: { mean: v.x, err: propagate((yy) => parabolaVertex(x3, yy).x, y3, s3) },
    height: { mean: v.y, err: propagate((yy) => parabolaVertex(x3, yy).y, y3, s3) },
  };
}

export interface Crossing {
  T: Est;
  /** 'down': U_large − U_small goes from > 0 to < 0 with rising T (the critical crossing); 'up' otherwise. */
  direction: 'down' | 'up';
  /** Ladder interval [k, k+1] it lies in. */
  interval: number;
}

/**
 * Zero crossings of D(T) = big(T) − small(T), linear between ladder points: T× = T_k + (T_{k+1} − T_k)·D_k/(D_k − D_{k+1}).
 */
export function crossings(T: readonly number[], small: readonly Est[], big: readonly Est[]): Crossing[] {
  const D = T.map((_, k) => big[k].mean - small[k].mean);
  const S = T.map((_, k) => Math.hypot(big[k].err, small[k].err));
  const out: Crossing[] = [];
  for (let k = 0; k + 1 < T.length; k++) {
    const [a, b] = [D[k], D[k + 1]];
    if (!((a > 0 && b <= 0) || (a < 0 && b >= 0))) continue;
    const at = (d: number[]) => T[k] + ((T[k + 1] - T[k]) * d[0]) / (d[0] - d[1]);
    out.push({
      T: { mean: at([a, b]), err: propagate(at, [a, b], [S[k], S[k + 1]]) },
      direction: a > 0 ? 'down' : 'up',
      interval: k,
    });
  }
  return out;
}

/** The crossing to report: the most precise 'down' one (or the most precise of all, if none is 'down'). */
export function mainCrossing(list: readonly Crossing[]): Crossing | null {
  const pool = list.some((c) => c.direction === 'down') ? list.filter((c) => c.direction === 'down') : list;
  return pool.reduce<Crossing | null>(
    (best, c) => (!best || c.T.err < best.T.err || !Number.isFinite(best.T.err) ? c : best),
    null,
  );
}

export interface LinearFit {
  slope: Est;
  intercept: Est;
  chi2: number;
  dof: number;
  /** null when dof = 0. */
  chi2_per_dof: number | null;
}

/** Weighted least squares y = a + b·x with weights 1/σ² (errors from the covariance, not rescaled by χ²). */
export function weightedLinearFit(x: readonly number[], y: readonly number[], sigma: readonly number[]): LinearFit {
  let S = 0;
  let Sx = 0;
  let Sy = 0;
  let Sxx = 0;
  let Sxy = 0;
  for (let i = 0; i < x.length; i++) {
    const w = 1 / (sigma[i] * sigma[i]);
    S += w;
    Sx += w * x[i];
    Sy += w * y[i];
    Sxx += w * x[i] * x[i];
    Sxy += w * x[i] * y[i];
  }
  const det = S * Sxx - Sx * Sx;
  const b = (S * Sxy - Sx * Sy) / det;
  const a = (Sxx * Sy - Sx * Sxy) / det;
  const chi2 = x.reduce((acc, xi, i) => acc + ((y[i] - a - b * xi) / sigma[i]) ** 2, 0);
  const dof = x.length - 2;
  return {
    slope: { mean: b, err: Math.sqrt(S / det) },
    intercept: { mean: a, err: Math.sqrt(Sxx / det) },
    chi2,
    dof,
    chi2_per_dof: dof > 0 ? chi2 / dof : null,
  };
}

/** Exact c(T) of the L × L torus (Kaufman), per site. */
export const exactC = (L: number, T: number, J: number): number => kaufman(L, L, T, J).c;

/** Exact specific-heat peak of the L × L torus: scan, then golden-section refinement. */
export function exactCPeak(L: number, J: number): { T: number; c: number } {
  const Tc = (2 / Math.log(1 + Math.SQRT2)) * Math.abs(J);
  let lo = 0.8 * Tc;
  let hi = 1.6 * Tc;
  const n = 160;
  let best = 0;
  let bestC = -Infinity;
  for (let i = 0; i <= n; i++) {
    const c = exactC(L, lo + ((hi - lo) * i) / n, J);
    if (c > bestC) [best, bestC] = [i, c];
  }
  const step = (hi - lo) / n;
  [lo, hi] = [lo + step * (best - 1), lo + step * (best + 1)];
  const g = (Math.sqrt(5) - 1) / 2;
  let a = hi - g * (hi - lo);
  let b = lo + g * (hi - lo);
  let fa = exactC(L, a, J);
  let fb = exactC(L, b, J);
  for (let it = 0; it < 80 && hi - lo > 1e-10 * Tc; it++) {
    if (fa > fb) {
      [hi, b, fb] = [b, a, fa];
      a = hi - g * (hi - lo);
      fa = exactC(L, a, J);
    } else {
      [lo, a, fa] = [a, b, fb];
      b = lo + g * (hi - lo);
      fb = exactC(L, b, J);
    }
  }
  const T = (lo + hi) / 2;
  return { T, c: exactC(L, T, J) };
}
