/** The specific-heat maximum of a reweighted curve (scan, then golden section), with jackknife errors. */
import type { Estimate } from '../types.ts';
import { jackknifeFromReplicas } from '../jackknife.ts';

/** Options of {@link specificHeatPeak}. */
export interface PeakOptions {
  /** Points of the initial uniform scan in T (default 201). */
  scanPoints?: number;
  /** Golden-section stops when the T bracket is shorter than this (default 1e-9·T). */
  tol?: number;
}

/** Location and height of a specific-heat maximum. */
export interface SpecificHeatPeak {
  T: number;
  beta: number;
  c: number;
  /** True when the maximum is at Tmin or Tmax (no interior peak in the range). */
  atBoundary: boolean;
}

/**
 * Maximum of c over T ∈ [Tmin, Tmax]: uniform scan of `scanPoints` temperatures,
 * then golden-section search in the bracket [T_{i−1}, T_{i+1}] around the
 * largest scanned value. `curve` takes β (e.g. MultipleHistogramResult.at).
 * A curve with several maxima in the range gives the highest scanned one.
 */
export function specificHeatPeak(
  curve: (beta: number) => { c: number },
  Tmin: number,
  Tmax: number,
  options: PeakOptions = {},
): SpecificHeatPeak {
  if (!(Tmin > 0) || !(Tmax > Tmin) || !Number.isFinite(Tmax)) {
    throw new RangeError(`specificHeatPeak: need 0 < Tmin < Tmax, got ${Tmin}, ${Tmax}`);
  }
  const n = Math.max(3, Math.floor(options.scanPoints ?? 201));
  const cAt = (T: number): number => {
    const v = curve(1 / T).c;
    if (Number.isNaN(v)) throw new RangeError(`specificHeatPeak: c is NaN at T = ${T}`);
    return v;
  };
  const Ts = Array.from({ length: n }, (_, i) => (i === n - 1 ? Tmax : Tmin + ((Tmax - Tmin) * i) / (n - 1)));
  let best = 0;
  let bestC = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = cAt(Ts[i]);
    if (v > bestC) {
      bestC = v;
      best = i;
    }
  }
  let lo = Ts[Math.max(0, best - 1)];
  let hi = Ts[Math.min(n - 1, best + 1)];
  const tol = options.tol ?? 1e-9 * Ts[best];
  const phi = (Math.sqrt(5) - 1) / 2;
  let x1 = hi - phi * (hi - lo);
  let x2 = lo + phi * (hi - lo);
  let f1 = cAt(x1);
  let f2 = cAt(x2);
  for (let it = 0; it < 200 && hi - lo > tol; it++) {
    if (f1 >= f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - phi * (hi - lo);
      f1 = cAt(x1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + phi * (hi - lo);
      f2 = cAt(x2);
    }
  }
  // Best of the final interior points and the scanned maximum (the bracket may end on a range edge).
  let T = f1 >= f2 ? x1 : x2;
  let c = Math.max(f1, f2);
  if (bestC > c) {
    T = Ts[best];
    c = bestC;
  }
  const edge = (Tmax - Tmin) * 1e-6;
  return { T, beta: 1 / T, c, atBoundary: T - Tmin <= edge || Tmax - T <= edge };
}

/** Specific-heat peak with jackknife errors. */
export interface SpecificHeatPeakEstimate {
  T: Estimate;
  beta: Estimate;
  c: Estimate;
  atBoundary: boolean;
}

/**
 * {@link specificHeatPeak} of the full-data curve, with jackknife errors of the
 * location and height from the leave-one-block-out curves (e.g.
 * `specificHeatPeakWithErrors(mh.at, mh.jackknifeCurves, Tmin, Tmax)`).
 */
export function specificHeatPeakWithErrors(
  curve: (beta: number) => { c: number },
  jackknifeCurves: readonly ((beta: number) => { c: number })[],
  Tmin: number,
  Tmax: number,
  options: PeakOptions = {},
): SpecificHeatPeakEstimate {
  const full = specificHeatPeak(curve, Tmin, Tmax, options);
  const reps = jackknifeCurves.map((f) => specificHeatPeak(f, Tmin, Tmax, options));
  const jk = (get: (p: SpecificHeatPeak) => number): Estimate => jackknifeFromReplicas(get(full), reps.map(get));
  return {
    T: jk((p) => p.T),
    beta: jk((p) => p.beta),
    c: jk((p) => p.c),
    atBoundary: full.atBoundary,
  };
}
