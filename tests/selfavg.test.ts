/**
 * `ising selfavg` beyond enumeration and the exact-enumeration chooser (src/learning/exact.ts):
 * - thermodynamic integration (--method ti) gives each dataset's f within 4 of its own error bars
 *   of the enumerated f (N = 9, the same datasets: both methods use perceptronDatasets);
 * - the CPU enumeration reaches N = 21 (MAX_ENUMERATION_N), --method auto switches to TI beyond;
 * - the GPU enumeration (SwiftShader here) gives the CPU's g(E) at N = 21 and takes selfavg and
 *   `learn --exact` to N = 23 (g(E) only: learn's exact gen_error is null there, with a note);
 * - flag validation (exit 2 naming the flag).
 * The commands run in process; validation spawns the CLI.
 */
import { describe, expect, it } from 'vitest';
import { expectUsageError, argv } from './helpers/cli.ts';
import { parseFlags } from '../src/cli/args.ts';
import * as learnCmd from '../src/cli/commands/learn.ts';
import * as selfavgCmd from '../src/cli/commands/selfavg.ts';
import type { SelfavgCommandResult } from '../src/cli/commands/selfavg.ts';
import { enumerateExact } from '../src/studies/learning/exact.ts';
import { perceptronDatasets } from '../src/studies/learning/perceptron.ts';
import { MAX_ENUMERATION_N } from '../src/models/weights/enumeration.ts';
import { testGpu } from './helpers/gpu.ts';
import { selfavgReport } from '../src/cli/reports.ts';

async function selfavg(argv: string[]): Promise<Record<string, any>> {
  return (await selfavgCmd.selfavg(parseFlags('selfavg', selfavgCmd.flags, [...argv, '--quiet']))) as Record<
    string,
    any
  >;
}

describe('ising selfavg --method ti against exact enumeration', () => {
  it('N = 9, 8 datasets, T = 0.5: every TI f within 4 of its error bars of the exact f', {
    timeout: 60_000,
  }, async () => {
    const common = ['--N', '9', '--samples', '8', '--T', '0.5', '--alpha', '1.5', '--seed', '3'];
    const ex = (await selfavg([...common, '--method', 'exact'])).table[0];
    const ti = (await selfavg([...common, '--method', 'ti', '--sweeps', '4000', '--thermalize', '1000'])).table[0];
    expect(ex.method).toBe('exact-cpu');
    expect(ex.f_err).toBeNull();
    expect(ex.spread).toBe(ex.std);
    expect(ti.method).toBe('ti');
    expect(ti.f).toHaveLength(8);
    expect(ti.f_err).toHaveLength(8);
    expect(ti.ti.ladder).toBeGreaterThan(4);
    expect(ti.ti.min_swap_acceptance).toBeGreaterThan(0.2);
    for (let d = 0; d < 8; d++) {
      const msg = `dataset ${d}: ti ${ti.f[d]} ± ${ti.f_err[d]}, exact ${ex.f[d]}`;
      expect(ti.f_err[d], msg).toBeGreaterThan(0);
      expect(Math.abs(ti.f[d] - ex.f[d]), msg).toBeLessThanOrEqual(4 * ti.f_err[d]);
    }
    // The datasets' own spread is far above the TI noise here: std is not TI noise.
    expect(ti.ti_err).toBeLessThan(ti.std / 3);
    expect(ti.spread).toBeGreaterThan(0.8 * ti.std);
    expect(ti.spread).toBeLessThanOrEqual(ti.std);
  });

  it('--K gives a geometric ladder from T to the hot end', async () => {
    const r = await selfavg(argv('--N 7 --samples 2 --T 1 --method ti --K 5 --sweeps 50 --thermalize 10'));
    expect(r.table[0].ti.ladder).toBe(5);
    expect(r.method_requested).toBe('ti');
  });
});

describe('enumeration reach', () => {
  it(`exact at N = ${MAX_ENUMERATION_N} on the CPU; auto switches to TI beyond`, { timeout: 60_000 }, async () => {
    expect(MAX_ENUMERATION_N).toBeGreaterThanOrEqual(21);
    const r = await selfavg(argv('--N 7,23 --samples 2 --T 0.5 --alpha 1 --sweeps 100 --thermalize 20'));
    expect(r.table.map((x: any) => x.method)).toEqual(['exact-cpu', 'ti']);
    const big = await selfavg(['--N', '21', '--samples', '2', '--T', '0.5', '--alpha', '1', '--method', 'exact']);
    const row = big.table[0];
    expect(row.method).toBe('exact-cpu');
    for (const f of row.f) {
      // −T ln 2 ≤ f (ln Z ≤ N ln 2) and f ≤ T·0 + min E/N = 0 for teacher data (ln Z ≥ ln g(0) ≥ 0).
      expect(f).toBeGreaterThanOrEqual(-0.5 * Math.LN2);
      expect(f).toBeLessThanOrEqual(0);
    }
  });

  it('the GPU enumeration gives the CPU g(E) at N = 21 (binary inputs, P = 21)', { timeout: 60_000 }, async () => {
    const gpu = await testGpu();
    const [data] = perceptronDatasets(21, 21, 'random', 'binary', 5, 1);
    const a = await enumerateExact(data, { backend: 'cpu', need: 'dos' });
    const b = await enumerateExact(data, { backend: 'gpu', need: 'dos', device: async () => gpu });
    expect(a.enumeration).toBe('cpu');
    expect(b.enumeration).toBe('gpu');
    expect(Array.from(b.dos)).toEqual(Array.from(a.dos));
    expect(b.joint).toBeNull();
    // Joint preferred: the CPU where it reaches, even with the gpu backend.
    expect((await enumerateExact(data, { backend: 'gpu', need: 'joint', device: async () => gpu })).enumeration).toBe(
      'cpu',
    );
  });

  it('--backend gpu: selfavg exact and learn --exact at N = 23 (gen_error null, with a note)', {
    timeout: 60_000,
  }, async () => {
    const s = await selfavg(argv('--N 23 --samples 2 --T 0.5 --alpha 1 --method exact --backend gpu'));
    expect(s.table[0].method).toBe('exact-gpu');
    const l = (await learnCmd.learn(
      parseFlags(
        'learn',
        learnCmd.flags,
        argv('--N 23 --alpha 1 --T 0.5 --exact --backend gpu --sweeps 20 --thermalize 0 --quiet'),
      ),
    )) as Record<string, any>;
    expect(l.exact.enumeration).toBe('gpu');
    expect(l.exact.gen_error).toBeNull();
    expect(l.exact.gen_error_note).toMatch(/g\(E\)/);
    expect(l.exact.ground_state_energy).toBe(0);
    expect(l.exact.lnZ[0]).toBeGreaterThanOrEqual(0);
    expect(l.exact.lnZ[0]).toBeLessThanOrEqual(23 * Math.LN2);
    for (const m of l.min_energy_found) expect(m).toBeGreaterThanOrEqual(l.exact.ground_state_energy);
  });
});

describe('flag validation (exit 2 naming the flag)', () => {
  const cases: [string, string[], RegExp][] = [
    ['selfavg exact N > 21 on the CPU', ['selfavg', '--N', '9,23', '--T', '1', '--method', 'exact'], /--N/],
    [
      'selfavg exact N > 24 on the GPU',
      ['selfavg', '--N', '25', '--T', '1', '--method', 'exact', '--backend', 'gpu'],
      /--N/,
    ],
    ['selfavg bad method', ['selfavg', '--N', '9', '--T', '1', '--method', 'mc'], /--method/],
    ['selfavg bad backend', ['selfavg', '--N', '9', '--T', '1', '--backend', 'tpu'], /--backend/],
    ['selfavg K 1', ['selfavg', '--N', '9', '--T', '1', '--K', '1'], /--K/],
    ['selfavg sweeps 0', ['selfavg', '--N', '9', '--T', '1', '--sweeps', '0'], /--sweeps/],
    ['learn exact N 23 on the CPU', ['learn', '--N', '23', '--alpha', '1', '--T', '1', '--exact'], /--N/],
    [
      'learn exact N 25 on the GPU',
      ['learn', '--N', '25', '--alpha', '1', '--T', '1', '--exact', '--backend', 'gpu'],
      /--N/,
    ],
  ];
  for (const [name, args, flag] of cases) it(name, () => expectUsageError(args, flag));
});

describe('ising selfavg report (without --json)', () => {
  it('a row per N with the method, mean and std of f, then the fitted exponent', async () => {
    const r = await selfavg(['--N', '7,9,11', '--samples', '6', '--T', '1', '--method', 'exact']);
    const lines = selfavgReport(r as SelfavgCommandResult).split('\n');
    const rows = lines.filter((l) => /^\s*\d+\s+\d+\s+exact-cpu\s/.test(l));
    expect(rows.map((l) => Number(l.trim().split(/\s+/)[0]))).toEqual([7, 9, 11]);
    rows.forEach((l, i) => expect(Number(l.trim().split(/\s+/)[3])).toBeCloseTo(r.table[i].mean, 4));
    expect(lines.some((l) => l.startsWith('std ∝ N^-a: a = '))).toBe(true);
  });
});
