/** `ising fss`: finite-size scaling of a sweep (c and χ peaks, Binder crossings), with SVG plots. */

import fs from 'node:fs';
import path from 'node:path';
import { makeDirectory } from '../../io/files.ts';
import { jobCount } from '../../studies/scan/jobs.ts';
import { checkSameSweep, dedupe, readRecords, temperRecords } from '../../studies/scan/records.ts';
import { fssStudy } from '../../studies/scan/fss-study.ts';
import { fssPlots } from '../../studies/scan/fss-plots.ts';
import { defineFlags, UsageError, type ParsedFlags } from '../args.ts';
import { undefinedErrorsAsNull } from '../finite.ts';

export const summary =
  'Finite-size scaling of a sweep file (from `ising sweep` or `ising merge`): per L, the seeds combined by ' +
  'inverse-variance weighting; the peaks of c and chi (a parabola through the three ladder points around the ' +
  'maximum); c_max vs ln L (weighted fit; exact asymptotic slope 8 Kc^2/pi = 0.4945, and the slope of the exact ' +
  'Kaufman peaks at the same sizes); chi_max vs L (weighted log-log fit: gamma/nu, exact 7/4); Binder U4 crossings ' +
  'of consecutive sizes, and xi/L crossings when the sweep ran with --xi (linear interpolation between ladder ' +
  'points). Errors propagate linearly, treating ladder ' +
  'points as independent. Writes SVG plots of c(T), U4(T), c_max vs ln L and chi_max vs L, and of xi/L(T) with --xi. ' +
  'Without --json: a table of the crossings (U4 and xi/L side by side), the fits and the plots.';

export const flags = defineFlags({
  in: { type: 'string', metavar: 'FILE.jsonl', help: 'sweep file (or give it as the argument)' },
  'out-dir': { type: 'string', metavar: 'DIR', help: 'folder for the SVG plots (default: the folder of --in)' },
  quiet: { type: 'bool', help: 'no warnings on stderr' },
  json: { type: 'bool', help: 'print one JSON object on stdout' },
});

export const output =
  'output (--json): {"input","jobs","jobs_total","Tc_exact","sizes","c_max_vs_lnL":{"slope","exact_slope",...},' +
  '"chi_max_vs_L":{"gamma_over_nu",...},"binder_crossings":[{"L1","L2","T_cross","all"}],' +
  '"xi_over_L_crossings" (sweeps run with --xi),"plots":{"c","binder","c_max","chi_max","xi_over_L" (--xi)},"warnings":[...],' +
  '"per_L":[{"L","seeds","temperatures","e","c","chi","binder","m_abs","c_peak","chi_peak","exact","checks"}]}; ' +
  'an "err" is null where it is undefined (one seed, a peak at an end of the ladder), a "binder" entry where U4 is 0/0';

/** The one sweep file of the arguments or --in. */
function inputFile(o: ParsedFlags<typeof flags>): string {
  const files = [...o._, ...(o.in ? [o.in] : [])];
  if (files.length !== 1)
    throw new UsageError(
      `ising fss needs exactly one sweep file: 'ising fss <file.jsonl>' (or --in), got ${files.length}`,
    );
  return files[0];
}

/** Each plot and the end of its file name (xi_over_L only for sweeps run with --xi). */
const PLOT_FILES = [
  ['c', 'c'],
  ['binder', 'binder'],
  ['c_max', 'cmax'],
  ['chi_max', 'chimax'],
  ['xi_over_L', 'xi-over-L'],
] as const;

/** Write the plots beside the input (or into --out-dir); returns their paths. */
function writePlots(input: string, outDir: string | undefined, svgs: ReturnType<typeof fssPlots>) {
  const dir = outDir ?? path.dirname(input);
  try {
    makeDirectory(dir);
  } catch (e) {
    throw new UsageError(`${outDir === undefined ? '--in' : '--out-dir'}: ${(e as Error).message}`);
  }
  const base = path.basename(input).replace(/\.jsonl?$/, '');
  const plots: Partial<Record<keyof typeof svgs, string>> = {};
  for (const [key, suffix] of PLOT_FILES) {
    const svg = svgs[key];
    if (svg === undefined) continue;
    plots[key] = path.join(dir, `${base}-${suffix}.svg`);
    fs.writeFileSync(plots[key], svg);
  }
  return plots;
}

export type FssCommandResult = ReturnType<typeof fss>;

export function fss(o: ParsedFlags<typeof flags>) {
  const input = inputFile(o);
  const warnings: string[] = [];
  const read = readRecords(input, '--in');
  if (read.truncated !== null) warnings.push(`${input}: ignored a truncated last line (an interrupted sweep)`);
  if (read.records.length === 0) throw new UsageError(`--in: no sweep records in ${input}`);
  checkSameSweep(read.records);
  const records = temperRecords(
    dedupe(read.records).unique.map((l) => l.record),
    '--in',
  );
  const jobsTotal = jobCount(records[0].params);
  if (records.length < jobsTotal)
    warnings.push(`${jobsTotal - records.length} of ${jobsTotal} jobs missing from ${input}: using the others`);
  const f = fssStudy(records, warnings);
  const plots = writePlots(input, o['out-dir'], fssPlots(f));
  if (!o.quiet) for (const w of warnings) process.stderr.write(`ising fss: ${w}\n`);
  return undefinedErrorsAsNull({
    input,
    jobs: records.length,
    jobs_total: jobsTotal,
    Tc_exact: f.Tc,
    sizes: f.sizes,
    c_max_vs_lnL: f.cFit,
    chi_max_vs_L: f.chiFit,
    binder_crossings: f.binderCrossings,
    ...(f.xiCrossings ? { xi_over_L_crossings: f.xiCrossings } : {}),
    plots,
    warnings,
    per_L: f.perL.map((s) => ({
      L: s.L,
      seeds: s.seeds,
      temperatures: s.temperatures,
      ...s.obs,
      binder: s.obs.binder.map((b) => (Number.isFinite(b.mean) ? b : null)),
      ...(s.xiOverL ? { xi_over_L: s.xiOverL } : {}),
      c_peak: s.cPeak,
      chi_peak: s.chiPeak,
      exact: { c: s.exactC, e: s.exactE, c_peak: s.exactPeak, c_peak_ladder_parabola: s.exactLadderPeak },
      // χ²/point ≈ 1 when the error bars are right.
      checks: { e_vs_exact: s.eCheck, c_vs_exact: s.cCheck, seeds_chi2_per_dof: s.seedChi2 },
    })),
  });
}
