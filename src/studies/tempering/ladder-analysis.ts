/**
 * What a tempering run gives beyond the per-temperature observables: ln Z/N at the user's
 * temperatures by thermodynamic integration (from the hottest tail slot, the series start) and by
 * the multiple histogram (anchored at the hottest slot by the high-temperature series), curves
 * reweighted between the user's temperatures, and the specific-heat peak with jackknife errors.
 */

import {
  multipleHistogram,
  specificHeatPeakWithErrors,
  type Estimate,
  type MultipleHistogramResult,
} from '../../analysis/index.ts';
import { highTemperatureLnZ, lnZByIntegration } from './free-energy.ts';
import type { TemperRunResult } from './run.ts';

/** Reweighted observables at a temperature between two ladder points. */
export interface ReweightedRow {
  T: number;
  e: Estimate;
  c: Estimate;
  m_abs: Estimate | undefined;
  chi: Estimate | undefined;
  /** null where U₄ is 0/0 (the reweighted ⟨m²⟩ vanishes: every sample at m = 0). */
  binder: Estimate | null | undefined;
}

/** The ladder of a run: the user's temperatures (slots 0…K−1) then the tail; N sites, coupling J. */
export interface LadderOfRun {
  user: number[];
  tail: number[];
  J: number;
  N: number;
}

/** ln Z/N at each user temperature by integration over the whole ladder (null without a tail). */
function lnZAtUserSlots(run: TemperRunResult, l: LadderOfRun): (Estimate | null)[] {
  if (l.tail.length === 0) return l.user.map(() => null);
  const ladder = [...l.user, ...l.tail];
  const order = ladder.map((T, i) => ({ beta: 1 / T, i })).sort((a, b) => a.beta - b.beta);
  const integrated = lnZByIntegration(
    order.map((x) => x.beta),
    order.map((x) => run.observables[x.i].e),
    order.map((x) => run.observables[x.i].c),
    l.J,
    order.map((x) => run.series[x.i].energy),
  );
  const bySlot = new Map(order.map((x, j) => [x.i, integrated[j]]));
  return l.user.map((_, k) => bySlot.get(k) ?? null);
}

/** Jackknife blocks of the multiple histogram, so also the fewest measured sweeps a tempering run takes. */
export const MIN_TEMPER_SWEEPS = 16;

/** Multiple histogram over the whole ladder (tail included), the hottest slot first. */
function ladderHistogram(
  run: TemperRunResult,
  ladder: number[],
  N: number,
): { mh: MultipleHistogramResult; hottest: number } {
  const hottest = ladder.reduce((best, T, i) => (T > ladder[best] ? i : best), 0);
  const order = [hottest, ...ladder.map((_, i) => i).filter((i) => i !== hottest)];
  const mh = multipleHistogram(
    order.map((i) => ({
      beta: 1 / ladder[i],
      energy: run.series[i].energy.map((e) => e.map((x) => x * N)),
      magnetization: run.series[i].magnetization,
      // g = 2τ_int ≥ 1: a short run's τ_int estimate can fall below 1/2, even below 0, from noise.
      tauInt: Math.max(0.5, run.observables[i].tau_int_e),
    })),
    { N, blocks: MIN_TEMPER_SWEEPS },
  );
  return { mh, hottest };
}

/** Three temperatures between each pair of neighbouring user temperatures. */
function between(user: readonly number[]): number[] {
  const out: number[] = [];
  for (let k = 0; k + 1 < user.length; k++)
    for (const f of [0.25, 0.5, 0.75]) out.push(user[k] + f * (user[k + 1] - user[k]));
  return out;
}

export function temperAnalysis(
  run: TemperRunResult,
  l: LadderOfRun,
): {
  lnZ: (Estimate | null)[];
  lnZMultipleHistogram: (Estimate | null)[];
  reweighted: ReweightedRow[];
  cPeak: { T: Estimate; c: Estimate; at_boundary: boolean };
} {
  const { user, tail, J, N } = l;
  const lnZ = lnZAtUserSlots(run, l);
  const ladder = [...user, ...tail];
  const { mh, hottest } = ladderHistogram(run, ladder, N);
  const anchor = tail.length > 0 ? highTemperatureLnZ(1 / ladder[hottest], J) : null;
  const lnZMultipleHistogram = user.map((T) => {
    if (anchor === null) return null;
    const p = mh.estimate(1 / T);
    return { mean: anchor + p.lnZ.mean / N, err: p.lnZ.err / N };
  });
  const reweighted = between(user).map((T) => {
    const p = mh.estimate(1 / T);
    const binder = p.binder && Number.isFinite(p.binder.mean) && Number.isFinite(p.binder.err) ? p.binder : null;
    return { T, e: p.e, c: p.c, m_abs: p.m_abs, chi: p.chi, binder };
  });
  const peak = specificHeatPeakWithErrors((b) => mh.at(b), mh.jackknifeCurves, user[0], user[user.length - 1]);
  return { lnZ, lnZMultipleHistogram, reweighted, cPeak: { T: peak.T, c: peak.c, at_boundary: peak.atBoundary } };
}
