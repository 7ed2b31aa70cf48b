/** The crossing of two curves (e.g. Binder cumulants of two lattice sizes), with jackknife errors. */
import type { Estimate } from '../types.ts';
import { jackknifeFromReplicas } from '../jackknife.ts';

/** Options of {@link binderCrossing}. */
export interface CrossingOptions {
  /** Points of the scan for a sign change (default 101). */
  scanPoints?: number;
  /** Bisection stops when the bracket is shorter than this (default 1e-12·T). */
  tol?: number;
}

/**
 * Temperature in [Tmin, Tmax] where two curves (e.g. the Binder cumulants
 * U₄(T) of two lattice sizes) cross: scan A − B on `scanPoints` uniform
 * temperatures for the first sign change (lowest T), then bisect. Returns
 * null when A − B keeps one sign on the scan (no crossing, or two crossings
 * closer than the scan spacing).
 */
export function binderCrossing(
  curveA: (T: number) => number,
  curveB: (T: number) => number,
  Tmin: number,
  Tmax: number,
  options: CrossingOptions = {},
): number | null {
  if (!(Tmax > Tmin) || !Number.isFinite(Tmin) || !Number.isFinite(Tmax)) {
    throw new RangeError(`binderCrossing: need Tmin < Tmax, got ${Tmin}, ${Tmax}`);
  }
  const n = Math.max(2, Math.floor(options.scanPoints ?? 101));
  const diff = (T: number): number => {
    const d = curveA(T) - curveB(T);
    if (Number.isNaN(d)) throw new RangeError(`binderCrossing: a curve is NaN at T = ${T}`);
    return d;
  };
  let prevT = Tmin;
  let prevD = diff(Tmin);
  if (prevD === 0) return Tmin;
  for (let i = 1; i < n; i++) {
    const T = i === n - 1 ? Tmax : Tmin + ((Tmax - Tmin) * i) / (n - 1);
    const d = diff(T);
    if (d === 0) return T;
    if (Math.sign(d) !== Math.sign(prevD)) {
      let lo = prevT;
      let hi = T;
      let dLo = prevD;
      const tol = options.tol ?? 1e-12 * Math.max(Math.abs(lo), Math.abs(hi));
      for (let it = 0; it < 200 && hi - lo > tol; it++) {
        const mid = 0.5 * (lo + hi);
        const dm = diff(mid);
        if (dm === 0) return mid;
        if (Math.sign(dm) === Math.sign(dLo)) {
          lo = mid;
          dLo = dm;
        } else {
          hi = mid;
        }
      }
      return 0.5 * (lo + hi);
    }
    prevT = T;
    prevD = d;
  }
  return null;
}

/** A curve with its jackknife replicas (e.g. U₄(T) of one lattice size from one multipleHistogram). */
export interface CurveWithReplicas {
  full: (T: number) => number;
  replicas: readonly ((T: number) => number)[];
}

/**
 * {@link binderCrossing} with a jackknife error for two INDEPENDENT data sets
 * (e.g. two lattice sizes simulated separately): the crossing is recomputed
 * with A's replicas against B's full curve and vice versa, and the two
 * jackknife variances are added. Null when the full curves do not cross; a
 * replica without a crossing makes err = Infinity.
 */
export function binderCrossingWithErrors(
  a: CurveWithReplicas,
  b: CurveWithReplicas,
  Tmin: number,
  Tmax: number,
  options: CrossingOptions = {},
): Estimate | null {
  const T = binderCrossing(a.full, b.full, Tmin, Tmax, options);
  if (T === null) return null;
  const ofA = a.replicas.map((f) => binderCrossing(f, b.full, Tmin, Tmax, options) ?? Number.NaN);
  const ofB = b.replicas.map((f) => binderCrossing(a.full, f, Tmin, Tmax, options) ?? Number.NaN);
  const ea = ofA.length >= 2 ? jackknifeFromReplicas(T, ofA).err : 0;
  const eb = ofB.length >= 2 ? jackknifeFromReplicas(T, ofB).err : 0;
  return { mean: T, err: Math.sqrt(ea * ea + eb * eb) };
}
