/** `ising fss`: finite-size scaling of a sweep (c and χ peaks, Binder crossings), with SVG plots. */

import fs from 'node:fs';
import path from 'node:path';
import { kaufman, KC, TC } from '../../physics/index.ts';
import { PALETTE, renderSvg, type Series } from '../../plot/svg.ts';
import { sweepJobs, type SweepParams } from '../../sweep/jobs.ts';
import { checkSameSweep, dedupe, readRecords, type SweepRecord } from '../../studies/scan/records.ts';
import {
  combine,
  crossings,
  est,
  exactC,
  exactCPeak,
  findPeak,
  mainCrossing,
  weightedLinearFit,
  type Est,
  type Peak,
} from '../../studies/scan/fss.ts';
import { chiSquareSurvival } from '../../math/special.ts';
import { UsageError, type FlagSpecs } from '../args.ts';

export const summary =
  'Finite-size scaling of a sweep file (from `ising sweep` or `ising merge`): per L, the seeds combined by ' +
  'inverse-variance weighting; the peaks of c and chi (a parabola through the three ladder points around the ' +
  'maximum); c_max vs ln L (weighted fit; exact asymptotic slope 8 Kc^2/pi = 0.4945, and the slope of the exact ' +
  'Kaufman peaks at the same sizes); chi_max vs L (weighted log-log fit: gamma/nu, exact 7/4); Binder U4 crossings ' +
  'of consecutive sizes (linear interpolation between ladder points). Errors propagate linearly, treating ladder ' +
  'points as independent. Writes SVG plots of c(T), U4(T), c_max vs ln L and chi_max vs L.';

export const flags: FlagSpecs = {
  in: { type: 'string', metavar: 'FILE.jsonl', help: 'sweep file (or give it as the argument)' },
  'out-dir': { type: 'string', metavar: 'DIR', help: 'folder for the SVG plots (default: the folder of --in)' },
  quiet: { type: 'bool', help: 'no warnings on stderr' },
  json: { type: 'bool', help: 'print one JSON object on stdout' },
};

export const output =
  'output (--json): {"input","jobs","jobs_total","Tc_exact","sizes","c_max_vs_lnL":{"slope","exact_slope",...},' +
  '"chi_max_vs_L":{"gamma_over_nu",...},"binder_crossings":[{"L1","L2","T_cross","all"}],"plots":{...},"warnings":[...],' +
  '"per_L":[{"L","seeds","temperatures","e","c","chi","binder","m_abs","c_peak","chi_peak","exact","checks"}]}';

const OBSERVABLES = ['e', 'c', 'chi', 'binder', 'm_abs'] as const;
type Obs = (typeof OBSERVABLES)[number];

interface SizeResult {
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
  eCheck: ReturnType<typeof vsExact>;
  cCheck: ReturnType<typeof vsExact>;
}

/** Σ (x − exact)² / err² over the ladder: per point, and the probability of a larger χ² by chance. */
function vsExact(
  xs: readonly Est[],
  exact: readonly number[],
): { chi2_per_point: number | null; p_value: number | null } {
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

function analyzeSize(L: number, records: readonly SweepRecord[], J: number): SizeResult {
  const temperatures = records[0].result.temperatures as number[];
  for (const r of records) {
    if (JSON.stringify(r.result.temperatures) !== JSON.stringify(temperatures)) {
      throw new UsageError(
        `--in: L=${L}: seed indices ${records[0].job.seed_index} and ${r.job.seed_index} have different ladders (--ladder adaptive re-spaces each job); fss needs one ladder per size`,
      );
    }
  }
  const obs = {} as Record<Obs, Est[]>;
  const seedChi2 = {} as Record<Obs, number | null>;
  for (const key of OBSERVABLES) {
    const combined = temperatures.map((_, k) => combine(records.map((r) => est((r.result[key] as unknown[])[k]))));
    obs[key] = combined.map(({ mean, err }) => ({ mean, err }));
    const c2 = combined.map((c) => c.chi2_per_dof).filter((x): x is number => x !== null);
    seedChi2[key] = c2.length ? c2.reduce((a, b) => a + b, 0) / c2.length : null;
  }
  const exact = temperatures.map((T) => kaufman(L, L, T, J));
  return {
    L,
    seeds: records.length,
    temperatures,
    obs,
    seedChi2,
    cPeak: findPeak(temperatures, obs.c),
    chiPeak: findPeak(temperatures, obs.chi),
    exactC: exact.map((x) => x.c),
    exactE: exact.map((x) => x.e),
    exactPeak: exactCPeak(L, J),
    exactLadderPeak: ladderPeak(
      temperatures,
      exact.map((x) => x.c),
    ),
    eCheck: vsExact(
      obs.e,
      exact.map((x) => x.e),
    ),
    cCheck: vsExact(
      obs.c,
      exact.map((x) => x.c),
    ),
  };
}

export function fss(o: Record<string, unknown>): Record<string, unknown> {
  const files = [...((o._ as string[] | undefined) ?? []), ...(o.in ? [o.in as string] : [])];
  if (files.length !== 1)
    throw new UsageError(
      `ising fss needs exactly one sweep file: 'ising fss <file.jsonl>' (or --in), got ${files.length}`,
    );
  const input = files[0];
  const warnings: string[] = [];
  const read = readRecords(input, '--in');
  if (read.truncated !== null) warnings.push(`${input}: ignored a truncated last line (an interrupted sweep)`);
  if (read.records.length === 0) throw new UsageError(`--in: no sweep records in ${input}`);
  checkSameSweep(read.records);
  const records = dedupe(read.records).unique.map((l) => l.record);
  const params: SweepParams = records[0].params;
  const J = params.J;
  const Tc = TC * Math.abs(J);
  const jobsTotal = sweepJobs(params).length;
  if (records.length < jobsTotal)
    warnings.push(`${jobsTotal - records.length} of ${jobsTotal} jobs missing from ${input}: using the others`);
  if (J < 0) warnings.push('J < 0: chi and U4 are of the uniform magnetisation, not of the staggered order parameter');

  const sizes = [...new Set(records.map((r) => r.job.L))].sort((a, b) => a - b);
  const perL = sizes.map((L) =>
    analyzeSize(
      L,
      records.filter((r) => r.job.L === L),
      J,
    ),
  );
  for (const s of perL) {
    if (!s.cPeak.bracketed)
      warnings.push(`L=${s.L}: the c maximum is at an end of the ladder (widen Tmin..Tmax); not fitted`);
    if (!s.chiPeak.bracketed)
      warnings.push(`L=${s.L}: the chi maximum is at an end of the ladder (widen Tmin..Tmax); not fitted`);
    for (const [name, check] of [
      ['e', s.eCheck],
      ['c', s.cCheck],
    ] as const) {
      if (check.p_value !== null && check.p_value < 1e-3) {
        warnings.push(
          `L=${s.L}: ${name} disagrees with the exact (Kaufman) values beyond its error bars ` +
            `(chi2/point ${check.chi2_per_point!.toFixed(2)}, p = ${check.p_value.toExponential(1)}): too few sweeps for this size?`,
        );
      }
    }
  }

  // c_max = a + b ln L.
  const cFitSizes = perL.filter((s) => s.cPeak.bracketed && s.cPeak.height.err > 0);
  const exactSlope = (8 * KC * KC) / Math.PI;
  let cFit: Record<string, unknown> | null = null;
  if (cFitSizes.length >= 2) {
    const x = cFitSizes.map((s) => Math.log(s.L));
    const fit = weightedLinearFit(
      x,
      cFitSizes.map((s) => s.cPeak.height.mean),
      cFitSizes.map((s) => s.cPeak.height.err),
    );
    const exactFit = weightedLinearFit(
      x,
      cFitSizes.map((s) => s.exactPeak.c),
      x.map(() => 1),
    );
    const ladderFit = weightedLinearFit(
      x,
      cFitSizes.map((s) => s.exactLadderPeak.c),
      x.map(() => 1),
    );
    cFit = {
      sizes: cFitSizes.map((s) => s.L),
      ...fit,
      // Asymptotic (Ferdinand-Fisher); the exact peaks of these sizes; the estimator on exact data.
      exact_slope: exactSlope,
      exact_slope_finite_L: exactFit.slope.mean,
      exact_slope_ladder_parabola: ladderFit.slope.mean,
    };
  } else warnings.push('c_max vs ln L: fewer than 2 sizes with a bracketed c peak; no fit');

  // ln chi_max = a + (gamma/nu) ln L.
  const chiFitSizes = perL.filter((s) => s.chiPeak.bracketed && s.chiPeak.height.mean > 0 && s.chiPeak.height.err > 0);
  let chiFit: Record<string, unknown> | null = null;
  if (chiFitSizes.length >= 2) {
    const fit = weightedLinearFit(
      chiFitSizes.map((s) => Math.log(s.L)),
      chiFitSizes.map((s) => Math.log(s.chiPeak.height.mean)),
      chiFitSizes.map((s) => s.chiPeak.height.err / s.chiPeak.height.mean),
    );
    chiFit = {
      sizes: chiFitSizes.map((s) => s.L),
      gamma_over_nu: fit.slope,
      log_amplitude: fit.intercept,
      chi2: fit.chi2,
      dof: fit.dof,
      chi2_per_dof: fit.chi2_per_dof,
      exact_gamma_over_nu: 7 / 4,
    };
  } else warnings.push('chi_max vs L: fewer than 2 sizes with a bracketed chi peak; no fit');

  // Binder crossings of consecutive sizes.
  const binderCrossings = perL.slice(1).map((big, i) => {
    const small = perL[i];
    if (JSON.stringify(small.temperatures) !== JSON.stringify(big.temperatures)) {
      throw new UsageError(
        `--in: L=${small.L} and L=${big.L} have different ladders; fss needs one ladder for all sizes`,
      );
    }
    const all = crossings(small.temperatures, small.obs.binder, big.obs.binder);
    const main = mainCrossing(all);
    if (!main) warnings.push(`U4 of L=${small.L} and L=${big.L} do not cross on the ladder`);
    return { L1: small.L, L2: big.L, T_cross: main?.T ?? null, all };
  });

  // Plots.
  const outDir = (o['out-dir'] as string | undefined) ?? path.dirname(input);
  fs.mkdirSync(outDir, { recursive: true });
  const base = path.basename(input).replace(/\.jsonl?$/, '');
  const plots = {
    c: path.join(outDir, `${base}-c.svg`),
    binder: path.join(outDir, `${base}-binder.svg`),
    c_max: path.join(outDir, `${base}-cmax.svg`),
    chi_max: path.join(outDir, `${base}-chimax.svg`),
  };
  writePlots(plots, perL, cFitSizes, chiFitSizes, cFit, chiFit, Tc, J, exactSlope);

  if (o.quiet !== true) for (const w of warnings) process.stderr.write(`ising fss: ${w}\n`);
  return {
    input,
    jobs: records.length,
    jobs_total: jobsTotal,
    Tc_exact: Tc,
    sizes,
    c_max_vs_lnL: cFit,
    chi_max_vs_L: chiFit,
    binder_crossings: binderCrossings,
    plots,
    warnings,
    per_L: perL.map((s) => ({
      L: s.L,
      seeds: s.seeds,
      temperatures: s.temperatures,
      ...s.obs,
      c_peak: s.cPeak,
      chi_peak: s.chiPeak,
      exact: { c: s.exactC, e: s.exactE, c_peak: s.exactPeak, c_peak_ladder_parabola: s.exactLadderPeak },
      // χ²/point ≈ 1 when the error bars are right.
      checks: { e_vs_exact: s.eCheck, c_vs_exact: s.cCheck, seeds_chi2_per_dof: s.seedChi2 },
    })),
  };
}

function writePlots(
  files: Record<'c' | 'binder' | 'c_max' | 'chi_max', string>,
  perL: readonly SizeResult[],
  cSizes: readonly SizeResult[],
  chiSizes: readonly SizeResult[],
  cFit: Record<string, unknown> | null,
  chiFit: Record<string, unknown> | null,
  Tc: number,
  J: number,
  exactSlope: number,
): void {
  const tcLine = [{ x: Tc, label: 'Tc' }];
  const palette = (i: number): string => PALETTE[i % PALETTE.length];
  const dataSeries = (s: SizeResult, key: Obs, i: number): Series => ({
    label: `L = ${s.L}`,
    color: palette(i),
    points: s.temperatures.map((T, k) => ({ x: T, y: s.obs[key][k].mean, err: s.obs[key][k].err })),
  });

  // c(T): Monte Carlo points and the exact Kaufman curve of each size.
  const cSeries: Series[] = [];
  perL.forEach((s, i) => {
    const color = palette(i);
    cSeries.push({ ...dataSeries(s, 'c', i), line: 'none' });
    const T0 = s.temperatures[0];
    const T1 = s.temperatures[s.temperatures.length - 1];
    const curve = Array.from({ length: 121 }, (_, j) => T0 + ((T1 - T0) * j) / 120).map((T) => ({
      x: T,
      y: exactC(s.L, T, J),
    }));
    cSeries.push({ points: curve, color, line: 'dashed', marker: 'none' });
  });
  cSeries.push({ label: 'exact (Kaufman)', points: [], color: '#444', line: 'dashed', marker: 'none' });
  fs.writeFileSync(
    files.c,
    renderSvg({ title: 'specific heat per site', xLabel: 'T', yLabel: 'c', series: cSeries, vLines: tcLine }),
  );

  // U4(T).
  const uSeries = perL.map((s, i) => dataSeries(s, 'binder', i));
  fs.writeFileSync(
    files.binder,
    renderSvg({ title: 'Binder cumulant', xLabel: 'T', yLabel: 'U4', series: uSeries, vLines: tcLine }),
  );

  // c_max vs ln L: data, weighted fit, a line of the exact slope through the weighted centroid, exact peaks.
  const cmax: Series[] = [
    {
      label: 'Monte Carlo',
      points: cSizes.map((s) => ({ x: Math.log(s.L), y: s.cPeak.height.mean, err: s.cPeak.height.err })),
      line: 'none',
    },
    {
      label: 'exact peak (Kaufman)',
      points: perL.map((s) => ({ x: Math.log(s.L), y: s.exactPeak.c })),
      line: 'none',
      marker: 'open',
    },
  ];
  if (cFit && cSizes.length >= 2) {
    const xs = [Math.log(cSizes[0].L), Math.log(cSizes[cSizes.length - 1].L)];
    const slope = (cFit.slope as Est).mean;
    const icpt = (cFit.intercept as Est).mean;
    cmax.push({
      label: `fit: slope ${slope.toFixed(3)}`,
      points: xs.map((x) => ({ x, y: icpt + slope * x })),
      marker: 'none',
    });
    const w = cSizes.map((s) => 1 / s.cPeak.height.err ** 2);
    const W = w.reduce((a, b) => a + b, 0);
    const xm = cSizes.reduce((a, s, i) => a + w[i] * Math.log(s.L), 0) / W;
    const ym = cSizes.reduce((a, s, i) => a + w[i] * s.cPeak.height.mean, 0) / W;
    cmax.push({
      label: `slope 8Kc²/π = ${exactSlope.toFixed(4)}`,
      points: xs.map((x) => ({ x, y: ym + exactSlope * (x - xm) })),
      line: 'dashed',
      marker: 'none',
    });
  }
  fs.writeFileSync(
    files.c_max,
    renderSvg({ title: 'specific-heat peak', xLabel: 'ln L', yLabel: 'c_max', series: cmax }),
  );

  // chi_max vs L, log-log.
  const chimax: Series[] = [
    {
      label: 'Monte Carlo',
      points: chiSizes.map((s) => ({ x: s.L, y: s.chiPeak.height.mean, err: s.chiPeak.height.err })),
      line: 'none',
    },
  ];
  if (chiFit && chiSizes.length >= 2) {
    const Ls = [chiSizes[0].L, chiSizes[chiSizes.length - 1].L];
    const g = (chiFit.gamma_over_nu as Est).mean;
    const a = (chiFit.log_amplitude as Est).mean;
    chimax.push({
      label: `fit: gamma/nu ${g.toFixed(3)}`,
      points: Ls.map((L) => ({ x: L, y: Math.exp(a + g * Math.log(L)) })),
      marker: 'none',
    });
    const w = chiSizes.map((s) => (s.chiPeak.height.mean / s.chiPeak.height.err) ** 2);
    const W = w.reduce((acc, b) => acc + b, 0);
    const xm = chiSizes.reduce((acc, s, i) => acc + w[i] * Math.log(s.L), 0) / W;
    const ym = chiSizes.reduce((acc, s, i) => acc + w[i] * Math.log(s.chiPeak.height.mean), 0) / W;
    chimax.push({
      label: 'slope 7/4',
      points: Ls.map((L) => ({ x: L, y: Math.exp(ym + 1.75 * (Math.log(L) - xm)) })),
      line: 'dashed',
      marker: 'none',
    });
  }
  fs.writeFileSync(
    files.chi_max,
    renderSvg({
      title: 'susceptibility peak',
      xLabel: 'L',
      yLabel: 'chi_max',
      xScale: 'log',
      yScale: 'log',
      xTicks: perL.map((s) => s.L),
      series: chimax,
    }),
  );
}
