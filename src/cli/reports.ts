/**
 * Human-readable reports of `ising learn`, `ising selfavg`, `ising glass` and `ising fss` (without --json). learn: one row per temperature with the
 * estimates and, where present, the exact values beside them; P(q) as one line of bars per
 * temperature; the learning curve as a table beside the theory. Falls back to nothing (the caller's
 * generic rendering) for a result it does not recognise.
 */

import { fmt } from './common.ts';
import type { LearnCommandResult } from './commands/learn.ts';
import type { SelfavgCommandResult } from './commands/selfavg.ts';
import type { LearnModelResult } from '../studies/learning/study.ts';
import type { GlassCommandResult } from './commands/glass.ts';
import type { FssCommandResult } from './commands/fss.ts';

interface Est {
  mean: number;
  err: number;
}

const BARS = ' ▁▂▃▄▅▆▇█';

const est = (e: Est | undefined, digits = 5): string => (e ? `${fmt(e.mean, digits)} ± ${fmt(e.err, 2)}` : '—');

/** An estimate whose error may be null (undefined: one seed, a peak at an end of the ladder). */
const estOrNull = (e: { mean: number; err: number | null } | null, digits = 5): string =>
  e ? (e.err === null ? fmt(e.mean, digits) : `${fmt(e.mean, digits)} ± ${fmt(e.err, 2)}`) : '—';

/** Columns padded to their widest cell. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((x, c) => x.padStart(widths[c])).join('  ');
  return [line(header), ...rows.map(line)];
}

/** One line of bars for a distribution (heights relative to its largest bin). */
export function sparkline(p: readonly number[]): string {
  const max = Math.max(...p);
  return p.map((v) => (max > 0 ? BARS[Math.round((v / max) * (BARS.length - 1))] : BARS[0])).join('');
}

export function learnReport(r: LearnCommandResult): string | undefined {
  const footer = `adapter: ${r.adapter}; ${fmt(r.seconds, 3)} s`;
  if ('alphas' in r) {
    const rows = r.alphas.map((a, i) => [fmt(a), String(r.P[i]), est(r.gen_error[i]), fmt(r.theory[i], 5)]);
    const lines = [`learning curve of the ${r.model}, N = ${r.N}, T = ${fmt(r.T)}`];
    lines.push(...table(['alpha', 'P', 'gen error', 'theory'], rows), `theory: ${r.theory_name}`, footer);
    return lines.join('\n');
  }
  return [...ladderTable(r), ...ladderFooter(r), footer].join('\n');
}

/** The header line and one row per temperature, with the exact columns when present. */
function ladderTable(r: LearnModelResult): string[] {
  const ex = r.exact;
  const exactGen = ex !== null && 'gen_error' in ex && Array.isArray(ex.gen_error);
  const header = ['T', 'train loss', 'gen error', 'R (teacher)', 'q (replicas)', 'ln Z', 'min E'];
  if (ex) header.push('exact loss', ...(exactGen ? ['exact gen'] : []), 'exact ln Z');
  const rows = r.temperatures.map((T, k) => {
    const row = [
      fmt(T, 4),
      est(r.train_loss[k]),
      est(r.gen_error[k]),
      est(r.overlap_teacher[k], 4),
      est(r.overlap_replicas?.[k], 4),
      est(r.lnZ[k]),
      fmt(r.min_energy_found[k], 5),
    ];
    if (ex) {
      const gen = 'gen_error' in ex && ex.gen_error ? [fmt(ex.gen_error[k], 5)] : [];
      row.push(fmt(ex.train_loss[k], 5), ...gen, fmt(ex.lnZ[k], 6));
    }
    return row;
  });
  const head = `${r.model}, N = ${r.N}, P = ${r.P} (alpha = ${fmt(r.P / r.N, 4)}), backend ${r.backend}`;
  return [head, ...table(header, rows)];
}

/** Ground state, P(q), swap acceptance and the methods, where the result has them. */
function ladderFooter(r: LearnModelResult): string[] {
  const lines: string[] = [];
  const ex = r.exact;
  if (ex && ex.ground_state_energy !== undefined) {
    const how =
      r.model === 'linear'
        ? 'min H, exact (quadratic H)'
        : `ground-state energy (${('enumeration' in ex ? ex.enumeration : undefined) ?? 'cpu'} enumeration)`;
    lines.push(`${how}: ${fmt(ex.ground_state_energy, 8)}`);
  }
  if (r.model === 'perceptron') {
    const h = r.overlap_histogram;
    if (h) {
      lines.push(`P(q), q from ${fmt(h.edges[0], 3)} to ${fmt(h.edges[h.edges.length - 1], 3)}:`);
      for (const [k, T] of r.temperatures.entries()) lines.push(`  T = ${fmt(T, 4).padEnd(8)} |${sparkline(h.p[k])}|`);
    }
    if (r.swap_acceptance.length > 0) {
      const acc = r.swap_acceptance.map((a) => a.toFixed(2)).join(' ');
      lines.push(`swap acceptance per pair (incl. ${r.tail_temperatures.length} tail slots): ${acc}`);
    }
  }
  if (r.gen_error_method) lines.push(`gen error: ${r.gen_error_method}`);
  if (r.lnZ_method) lines.push(`ln Z: ${r.lnZ_method}`);
  return lines;
}

/** `ising selfavg`: a row per N with the spread of f over datasets, then the fitted exponent. */
export function selfavgReport(r: SelfavgCommandResult): string {
  const lines = [
    `self-averaging of f = -T ln Z/N: ${r.model}, T = ${fmt(r.T)}, alpha = ${fmt(r.alpha)}, ${r.samples} datasets per N, backend ${r.backend}`,
  ];
  lines.push(
    ...table(
      ['N', 'P', 'method', 'mean f', 'std f', 'TI err', 'spread'],
      r.table.map((row) => [
        String(row.N),
        String(row.P),
        row.method,
        fmt(row.mean, 5),
        `${fmt(row.std, 4)} ± ${fmt(row.std_err, 2)}`,
        row.ti_err === null ? '—' : fmt(row.ti_err, 2),
        fmt(row.spread, 4),
      ]),
    ),
  );
  const ex = (e: { a: number; err: number | null } | null) =>
    e ? `${fmt(e.a, 3)} ± ${e.err === null ? '— (two N)' : fmt(e.err, 2)}` : '— (needs two N with std > 0)';
  lines.push(
    `std ∝ N^-a: a = ${ex(r.exponent)} (1/2 for a self-averaging f); from the spread: a = ${ex(r.exponent_spread)}`,
  );
  lines.push(`${r.method}`, `${fmt(r.seconds, 3)} s`);
  return lines.join('\n');
}

/** `ising glass`: per temperature the disorder averages, then one line per sample; or the written file. */
export function glassReport(r: GlassCommandResult): string {
  if ('couplings_written' in r)
    return `wrote the couplings of sample ${r.sample} (${r.Lx}x${r.Ly}, p = ${fmt(r.p)}, ${r.frustrated_plaquettes} frustrated plaquettes) to ${r.couplings_written}`;
  const a = r.average;
  const avg = estOrNull;
  const lines = [
    `Edwards-Anderson ±J spin glass ${r.Lx}x${r.Ly}, p = ${r.p === null ? 'file' : fmt(r.p)}, ${r.samples.length} sample(s) x ${r.real_replicas} real replicas, ${'from' in r ? `from the ${r.jobs} sweep records of ${r.from}` : `backend ${r.backend}`}`,
    'disorder averages [.] (errors: jackknife over samples):',
    ...table(
      ['T', '[e]', '[c]', '[ln Z/N]', '[q^2]', '[q^4]', '[q_l]', 'g', 'chi_SG', 'std f'],
      r.temperatures.map((T, k) => [
        fmt(T, 4),
        avg(a.e[k]),
        avg(a.c[k]),
        avg(a.lnZ_per_site[k]),
        avg(a.q2[k]),
        avg(a.q4[k]),
        avg(a.ql[k]),
        avg(a.g[k], 4),
        avg(a.chi_sg[k], 4),
        a.f_std[k] === null ? '—' : fmt(a.f_std[k] as number, 3),
      ]),
    ),
    `lowest energy per site found, [e_min] = ${avg(a.min_energy_found)}; per sample:`,
    ...r.samples.map(
      (s) =>
        `  sample ${s.sample ?? 'file'}: e_min = ${fmt(s.min_energy_found, 5)}, ${s.frustrated_plaquettes} frustrated plaquettes, ` +
        `<q^2> at T = ${fmt(r.temperatures[0], 4)}: ${est(s.q2[0])}` +
        (s.exact ? ` (exact ${fmt(s.exact.q2[0], 5)}; exact ground state ${fmt(s.exact.ground_state_energy, 5)})` : ''),
    ),
    ...('from' in r
      ? []
      : [`swap acceptance per pair: ${r.swap_acceptance.map((x) => fmt(x, 2)).join(' ')}`, `${fmt(r.seconds, 3)} s`]),
  ];
  return lines.join('\n');
}

/** `ising fss`: the crossings of consecutive sizes (U4 and, with --xi, ξ/L side by side), the fits, the plots. */
export function fssReport(r: FssCommandResult): string {
  const xi = r.xi_over_L_crossings;
  const rows = r.binder_crossings.map((b, i) => [
    String(b.L1),
    String(b.L2),
    estOrNull(b.T_cross),
    ...(xi ? [estOrNull(xi[i].T_cross)] : []),
  ]);
  const c = r.c_max_vs_lnL;
  const chi = r.chi_max_vs_L;
  return [
    `finite-size scaling of ${r.input}: ${r.jobs} of ${r.jobs_total} jobs, L = ${r.sizes.join(', ')}, exact Tc = ${fmt(r.Tc_exact)}`,
    ...(rows.length === 0
      ? ['crossings of consecutive sizes: none (one size)']
      : [
          'crossings of consecutive sizes (linear interpolation between ladder points; —: none on the ladder):',
          ...table(['L1', 'L2', 'T_cross U4', ...(xi ? ['T_cross xi/L'] : [])], rows),
        ]),
    c
      ? `c_max vs ln L: slope ${estOrNull(c.slope, 4)} (exact asymptotic ${fmt(c.exact_slope, 4)}, exact peaks of these sizes ${fmt(c.exact_slope_finite_L, 4)})`
      : 'c_max vs ln L: no fit (fewer than 2 sizes with a bracketed c peak)',
    chi
      ? `chi_max vs L: gamma/nu ${estOrNull(chi.gamma_over_nu, 4)} (exact ${fmt(chi.exact_gamma_over_nu)})`
      : 'chi_max vs L: no fit (fewer than 2 sizes with a bracketed chi peak)',
    'plots:',
    ...Object.entries(r.plots).map(([name, file]) => `  ${name.padEnd(10)} ${file}`),
  ].join('\n');
}
