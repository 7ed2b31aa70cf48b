/**
 * Finite-size scaling of a sweep (the science of `ising fss`): per L the seeds combined, the c and
 * χ peaks, checks against Kaufman's exact values, c_max vs ln L, χ_max vs L, Binder crossings of
 * consecutive sizes, and ξ/L crossings when the sweep measured ξ. Records in, a typed result and warnings out; reading files and writing plots
 * are the caller's.
 */

import { kaufman, KC, TC } from '../../physics/index.ts';
import { chiSquareSurvival } from '../../math/special.ts';
import {
  combine,
  crossings,
  est,
  exactCPeak,
  findPeak,
  mainCrossing,
  weightedLinearFit,
  type Crossing,
  type Est,
  type LinearFit,
  type Peak,
} from './fss.ts';
import { RecordError, type TemperRecord } from './records.ts';

const OBSERVABLES = ['e', 'c', 'chi', 'binder', 'm_abs'] as const;
export type Obs = (typeof OBSERVABLES)[number];

/** χ² of a series against exact values: per point, and the probability of a larger one by chance. */
export interface ExactCheck {
  chi2_per_point: number | null;
  p_value: number | null;
}

export interface SizeResult {
  L: number;
  seeds: number;
  temperatures: number[];
  obs: Record<Obs, Est[]>;
  seedChi2: Record<Obs, number | null>;
  cPeak: Peak;
  chiPeak: Peak;
  exactC: number[];
  exactE: number[];
  exactPeak: { T: number; c: number };
  /** The same parabola estimator applied to the exact c at the ladder points: what perfect data would give. */
  exactLadderPeak: { T: number; c: number };
  eCheck: ExactCheck;
  cCheck: ExactCheck;
  /** ξ/L per temperature, the seeds combined (sweeps run with --xi). */
  xiOverL?: Est[];
}

/** c_max = a + b ln L, beside the exact slopes. */
export type CMaxFit = { sizes: number[] } & LinearFit & {
    exact_slope: number;
    exact_slope_finite_L: number;
    exact_slope_ladder_parabola: number;
  };

/** ln χ_max = a + (γ/ν) ln L. */
export interface ChiMaxFit {
  sizes: number[];
  gamma_over_nu: Est;
  log_amplitude: Est;
  chi2: number;
  dof: number;
  chi2_per_dof: number | null;
  exact_gamma_over_nu: number;
}

export interface BinderCrossing {
  L1: number;
  L2: number;
  T_cross: Est | null;
  all: Crossing[];
}

/** Asymptotic slope of c_max vs ln L (Ferdinand–Fisher): 8 Kc²/π. */
export const EXACT_C_SLOPE = (8 * KC * KC) / Math.PI;

/** Σ (x − exact)² / err² over the ladder: per point, and the probability of a larger χ² by chance. */
function vsExact(xs: readonly Est[], exact: readonly number[]): ExactCheck {
  const terms = xs.map((x, k) => ((x.mean - exact[k]) / x.err) ** 2).filter(Number.isFinite);
  if (terms.length === 0) return { chi2_per_point: null, p_value: null };
  const chi2 = terms.reduce((a, b) => a + b, 0);
  return { chi2_per_point: chi2 / terms.length, p_value: chiSquareSurvival(chi2, terms.length) };
}

function ladderPeak(T: readonly number[], c: readonly number[]): { T: number; c: number } {
  const p = findPeak(
    T,
    c.map((mean) => ({ mean, err: 0 })),
  );
  return { T: p.T.mean, c: p.height.mean };
}

/** The seeds of one size combined by inverse-variance weighting, per observable and temperature. */
function combineSeeds(records: readonly TemperRecord[], temperatures: readonly number[]) {
  const obs = {} as Record<Obs, Est[]>;
  const seedChi2 = {} as Record<Obs, number | null>;
  for (const key of OBSERVABLES) {
    // A seed without the estimate (U₄ null: 0/0) is left out; none left gives NaN (null in the output).
    const present = (k: number) => records.map((r) => r.result[key][k]).filter((x) => x !== null);
    const combined = temperatures.map((_, k) => combine(present(k).map(est)));
    obs[key] = combined.map(({ mean, err }) => ({ mean, err }));
    const c2 = combined.map((c) => c.chi2_per_dof).filter((x): x is number => x !== null);
    seedChi2[key] = c2.length ? c2.reduce((a, b) => a + b, 0) / c2.length : null;
  }
  return { obs, seedChi2 };
}

function analyzeSize(L: number, records: readonly TemperRecord[], J: number): SizeResult {
  const temperatures = records[0].result.temperatures;
  for (const r of records) {
    if (JSON.stringify(r.result.temperatures) !== JSON.stringify(temperatures)) {
      throw new RecordError(
        `--in: L=${L}: seed indices ${records[0].job.seed_index} and ${r.job.seed_index} have different ladders (--ladder adaptive re-spaces each job); fss needs one ladder per size`,
      );
    }
  }
  const { obs, seedChi2 } = combineSeeds(records, temperatures);
  const withXi = records.every((r) => Array.isArray(r.result.xi_over_L));
  const xiOverL = withXi
    ? temperatures.map((_, k) => {
        const { mean, err } = combine(records.map((r) => est((r.result.xi_over_L as unknown[])[k])));
        return { mean, err };
      })
    : undefined;
  const exact = temperatures.map((T) => kaufman(L, L, T, J));
  const exactC = exact.map((x) => x.c);
  const exactE = exact.map((x) => x.e);
  return {
    L,
    seeds: records.length,
    temperatures,
    obs,
    seedChi2,
    cPeak: findPeak(temperatures, obs.c),
    chiPeak: findPeak(temperatures, obs.chi),
    exactC,
    exactE,
    exactPeak: exactCPeak(L, J),
    exactLadderPeak: ladderPeak(temperatures, exactC),
    eCheck: vsExact(obs.e, exactE),
    cCheck: vsExact(obs.c, exactC),
    ...(xiOverL ? { xiOverL } : {}),
  };
}

/** Warnings of one size: unbracketed peaks, disagreement with the exact values. */
function sizeWarnings(s: SizeResult): string[] {
  const out: string[] = [];
  if (!s.cPeak.bracketed) out.push(`L=${s.L}: the c maximum is at an end of the ladder (widen Tmin..Tmax); not fitted`);
  if (!s.chiPeak.bracketed)
    out.push(`L=${s.L}: the chi maximum is at an end of the ladder (widen Tmin..Tmax); not fitted`);
  for (const [name, check] of [
    ['e', s.eCheck],
    ['c', s.cCheck],
  ] as const) {
    if (check.p_value !== null && check.p_value < 1e-3) {
      out.push(
        `L=${s.L}: ${name} disagrees with the exact (Kaufman) values beyond its error bars ` +
          `(chi2/point ${check.chi2_per_point?.toFixed(2)}, p = ${check.p_value.toExponential(1)}): too few sweeps for this size?`,
      );
    }
  }
  return out;
}

/** c_max = a + b ln L over the sizes with a bracketed peak (null below two). */
function cMaxFit(sizes: readonly SizeResult[]): CMaxFit | null {
  if (sizes.length < 2) return null;
  const x = sizes.map((s) => Math.log(s.L));
  const ones = x.map(() => 1);
  const fit = weightedLinearFit(
    x,
    sizes.map((s) => s.cPeak.height.mean),
    sizes.map((s) => s.cPeak.height.err),
  );
  const exactFit = weightedLinearFit(
    x,
    sizes.map((s) => s.exactPeak.c),
    ones,
  );
  const ladderFit = weightedLinearFit(
    x,
    sizes.map((s) => s.exactLadderPeak.c),
    ones,
  );
  return {
    sizes: sizes.map((s) => s.L),
    ...fit,
    // Asymptotic (Ferdinand-Fisher); the exact peaks of these sizes; the estimator on exact data.
    exact_slope: EXACT_C_SLOPE,
    exact_slope_finite_L: exactFit.slope.mean,
    exact_slope_ladder_parabola: ladderFit.slope.mean,
  };
}

/** ln χ_max = a + (γ/ν) ln L over the sizes with a bracketed positive peak (null below two). */
function chiMaxFit(sizes: readonly SizeResult[]): ChiMaxFit | null {
  if (sizes.length < 2) return null;
  const fit = weightedLinearFit(
    sizes.map((s) => Math.log(s.L)),
    sizes.map((s) => Math.log(s.chiPeak.height.mean)),
    sizes.map((s) => s.chiPeak.height.err / s.chiPeak.height.mean),
  );
  return {
    sizes: sizes.map((s) => s.L),
    gamma_over_nu: fit.slope,
    log_amplitude: fit.intercept,
    chi2: fit.chi2,
    dof: fit.dof,
    chi2_per_dof: fit.chi2_per_dof,
    exact_gamma_over_nu: 7 / 4,
  };
}

/** Crossings of a scale-invariant quantity (U4, ξ/L) of consecutive sizes (one ladder for all sizes). */
function sizeCrossings(
  perL: readonly SizeResult[],
  name: string,
  of: (s: SizeResult) => Est[],
  warnings: string[],
): BinderCrossing[] {
  return perL.slice(1).map((big, i) => {
    const small = perL[i];
    if (JSON.stringify(small.temperatures) !== JSON.stringify(big.temperatures)) {
      throw new RecordError(
        `--in: L=${small.L} and L=${big.L} have different ladders; fss needs one ladder for all sizes`,
      );
    }
    const all = crossings(small.temperatures, of(small), of(big));
    const main = mainCrossing(all);
    if (!main) warnings.push(`${name} of L=${small.L} and L=${big.L} do not cross on the ladder`);
    return { L1: small.L, L2: big.L, T_cross: main?.T ?? null, all };
  });
}

export interface FssStudyResult {
  J: number;
  Tc: number;
  sizes: number[];
  perL: SizeResult[];
  /** The sizes in each fit. */
  cFitSizes: SizeResult[];
  chiFitSizes: SizeResult[];
  cFit: CMaxFit | null;
  chiFit: ChiMaxFit | null;
  binderCrossings: BinderCrossing[];
  /** ξ/L crossings of consecutive sizes, when every record has ξ/L (sweeps run with --xi). */
  xiCrossings?: BinderCrossing[];
}

/** The finite-size analysis of a sweep's records (deduplicated, one sweep); warnings are appended. */
export function fssStudy(records: readonly TemperRecord[], warnings: string[]): FssStudyResult {
  const J = records[0].params.J;
  if (J < 0) warnings.push('J < 0: chi and U4 are of the uniform magnetisation, not of the staggered order parameter');
  const sizes = [...new Set(records.map((r) => r.job.L))].sort((a, b) => a - b);
  const perL = sizes.map((L) =>
    analyzeSize(
      L,
      records.filter((r) => r.job.L === L),
      J,
    ),
  );
  for (const s of perL) warnings.push(...sizeWarnings(s));
  const cFitSizes = perL.filter((s) => s.cPeak.bracketed && s.cPeak.height.err > 0);
  const cFit = cMaxFit(cFitSizes);
  if (!cFit) warnings.push('c_max vs ln L: fewer than 2 sizes with a bracketed c peak; no fit');
  const chiFitSizes = perL.filter((s) => s.chiPeak.bracketed && s.chiPeak.height.mean > 0 && s.chiPeak.height.err > 0);
  const chiFit = chiMaxFit(chiFitSizes);
  if (!chiFit) warnings.push('chi_max vs L: fewer than 2 sizes with a bracketed chi peak; no fit');
  const crossingsOfSizes = sizeCrossings(perL, 'U4', (s) => s.obs.binder, warnings);
  const withXi = perL.every((s) => s.xiOverL);
  const xiCrossings = withXi ? sizeCrossings(perL, 'xi/L', (s) => s.xiOverL!, warnings) : undefined;
  return {
    J,
    Tc: TC * Math.abs(J),
    sizes,
    perL,
    cFitSizes,
    chiFitSizes,
    cFit,
    chiFit,
    binderCrossings: crossingsOfSizes,
    ...(xiCrossings ? { xiCrossings } : {}),
  };
}
