/**
 * `ising learn` and `ising selfavg`: Monte Carlo of the binary perceptron and the linear model
 * against exact enumeration / the exact Gaussian results, and flag validation (exit 2 naming the flag).
 * The Monte Carlo runs in process (the command functions); validation spawns the CLI.
 */
import { describe, expect, it } from 'vitest';
import { expectUsageError, ising, argv } from './helpers/cli.ts';
import { parseFlags } from '../src/cli/args.ts';
import * as learnCmd from '../src/cli/commands/learn.ts';
import * as selfavgCmd from '../src/cli/commands/selfavg.ts';
import {
  averageChains,
  combinedSeriesEstimate,
  integrateLnZ,
  integrateLnZLogBeta,
  powerLawFit,
  trapezoidWeights,
} from '../src/studies/learning/estimates.ts';

interface Est {
  mean: number;
  err: number;
}

async function learn(argv: string[]): Promise<Record<string, any>> {
  return (await learnCmd.learn(parseFlags('learn', learnCmd.flags, [...argv, '--quiet']))) as Record<string, any>;
}

function within(est: Est[], exact: number[], sigmas: number, label: string): void {
  expect(est.length).toBe(exact.length);
  est.forEach((e, i) => {
    expect(e.err, `${label}[${i}] err`).toBeGreaterThanOrEqual(0);
    const tol = sigmas * e.err + 1e-9;
    expect(
      Math.abs(e.mean - exact[i]),
      `${label}[${i}]: ${e.mean} ± ${e.err} vs exact ${exact[i]}`,
    ).toBeLessThanOrEqual(tol);
  });
}

describe('ising learn --model perceptron', () => {
  it('agrees with enumeration at every temperature (N 15, alpha 1.5, K 12, --exact)', async () => {
    const r = await learn(
      argv('--model perceptron --N 15 --alpha 1.5 --Tmin 0.2 --Tmax 5 --K 12 --exact --json').concat([
        '--sweeps',
        '4000',
        '--thermalize',
        '500',
      ]),
    );
    expect(r.model).toBe('perceptron');
    expect(r.N).toBe(15);
    expect(r.P).toBe(23);
    expect(r.temperatures).toHaveLength(12);
    expect(r.temperatures[0]).toBeCloseTo(0.2, 12);
    expect(r.temperatures[11]).toBe(5);
    for (const k of ['train_loss', 'gen_error', 'overlap_teacher', 'overlap_replicas', 'lnZ', 'min_energy_found']) {
      expect(r[k], k).toHaveLength(12);
    }
    expect(r.exact).not.toBeNull();
    within(r.train_loss, r.exact.train_loss, 4, 'train_loss');
    within(r.lnZ, r.exact.lnZ, 4, 'lnZ');
    within(r.gen_error, r.exact.gen_error, 4, 'gen_error');
    expect(typeof r.gen_error_method).toBe('string');
    expect(r.gen_error_method).toMatch(/binary inputs/);
    expect(r.exact.ground_state_energy).toBe(0); // teacher data: the teacher has no errors
    for (const m of r.min_energy_found) expect(m).toBeGreaterThanOrEqual(r.exact.ground_state_energy);
    expect(r.min_energy_found[0]).toBe(r.exact.ground_state_energy);
    // Replica overlap falls with T; teacher overlap too.
    expect(r.overlap_replicas[0].mean).toBeGreaterThan(r.overlap_replicas[11].mean);
    expect(r.overlap_teacher[0].mean).toBeGreaterThan(r.overlap_teacher[11].mean);
    expect(r.adapter).toBe('cpu reference');
    expect(r.seconds).toBeGreaterThan(0);
  });

  it('--backend gpu (WGSL kernel) gives the same JSON as the CPU reference, bit for bit', async () => {
    const args = argv(
      '--model perceptron --N 15 --alpha 1.5 --Tmin 0.3 --Tmax 3 --K 4 --sweeps 600 --thermalize 100 --seed 4',
    );
    const gpu = await learn([...args, '--backend', 'gpu']);
    const cpu = await learn([...args, '--backend', 'cpu']);
    console.log(`ising learn --backend gpu ran on ${gpu.adapter}`);
    expect(gpu.backend).toBe('gpu');
    const strip = (j: Record<string, unknown>): string =>
      JSON.stringify({ ...j, adapter: null, seconds: null, backend: null });
    expect(strip(gpu)).toBe(strip(cpu));
  });

  it('is deterministic for a seed and writes JSON through the CLI', async () => {
    const args = argv('learn --N 9 --alpha 1 --Tmin 0.5 --Tmax 2 --K 3 --sweeps 200 --thermalize 20 --json --quiet');
    const [a, b] = await Promise.all([ising(args), ising(args)]);
    expect(a.code, a.stderr).toBe(0);
    const ja = JSON.parse(a.stdout);
    const jb = JSON.parse(b.stdout);
    delete ja.seconds;
    delete jb.seconds;
    expect(ja).toEqual(jb);
    expect(ja.exact).toBeNull();
  });

  it('--samples averages over datasets; --T gives one temperature', async () => {
    const r = await learn(argv('--N 7 --P 10 --T 0.5 --samples 3 --sweeps 300 --thermalize 50 --inputs gaussian'));
    expect(r.temperatures).toEqual([0.5]);
    expect(r.train_loss).toHaveLength(1);
    expect(r.lnZ[0].mean).toBeLessThanOrEqual(7 * Math.LN2);
    expect(r.gen_error_method).toMatch(/Gaussian/);
  });

  it('--curve gives gen_error beside the binary-perceptron theory', async () => {
    const r = await learn(argv('--curve --alphas 0.5,1,3 --N 11 --T 0.3 --sweeps 400 --thermalize 100'));
    expect(r.alphas).toEqual([0.5, 1, 3]);
    expect(r.gen_error).toHaveLength(3);
    expect(r.theory).toHaveLength(3);
    expect(r.theory[2]).toBe(0); // beyond the first-order transition
    expect(r.theory_name).toMatch(/binaryPerceptronLearningCurve/);
    expect(r.gen_error[0].mean).toBeGreaterThan(r.gen_error[2].mean);
  });
});

describe('ising learn --model linear', () => {
  it('<H> and F agree with the exact Gaussian results', async () => {
    const r = await learn(
      argv('--model linear --N 8 --alpha 2 --Tmin 0.2 --Tmax 2 --K 6 --inputs gaussian --exact').concat([
        '--sweeps',
        '4000',
        '--thermalize',
        '800',
      ]),
    );
    expect(r.model).toBe('linear');
    expect(r.exact).not.toBeNull();
    within(r.mean_energy, r.exact.mean_energy, 4, 'mean_energy');
    within(r.free_energy, r.exact.free_energy, 4, 'free_energy');
    within(r.train_loss, r.exact.train_loss, 4, 'train_loss');
    within(r.lnZ, r.exact.lnZ, 4, 'lnZ');
  });
});

describe('ising selfavg', () => {
  it('gives a well-formed table with std decreasing in N', async () => {
    const o = parseFlags('selfavg', selfavgCmd.flags, argv('--N 7,11,15 --samples 64 --T 0.5 --alpha 1.5 --quiet'));
    const r = (await selfavgCmd.selfavg(o)) as Record<string, any>;
    expect(r.table).toHaveLength(3);
    expect(r.table.map((x: any) => x.N)).toEqual([7, 11, 15]);
    for (const row of r.table) {
      expect(row.f).toHaveLength(64);
      expect(row.P).toBe(Math.round(1.5 * row.N));
      expect(Number.isFinite(row.mean)).toBe(true);
      expect(row.std).toBeGreaterThan(0);
      // f = −T ln Z/N ≥ −T ln 2 (ln Z ≤ N ln 2).
      expect(row.mean).toBeGreaterThanOrEqual(-0.5 * Math.LN2);
    }
    expect(r.table[1].std).toBeLessThan(r.table[0].std);
    expect(r.table[2].std).toBeLessThan(r.table[1].std);
    expect(r.exponent.a).toBeGreaterThan(0);
    expect(Number.isFinite(r.exponent.err)).toBe(true);
  });
});

describe('flag validation (exit 2 naming the flag)', () => {
  const cases: [string, string[], RegExp][] = [
    ['even N', ['learn', '--N', '14', '--alpha', '1', '--T', '1'], /--N/],
    ['alpha 0', ['learn', '--N', '15', '--alpha', '0', '--T', '1'], /--alpha/],
    ['alpha < 0', ['learn', '--N', '15', '--alpha', '-1', '--T', '1'], /--alpha/],
    ['backend tpu', ['learn', '--N', '15', '--alpha', '1', '--T', '1', '--backend', 'tpu'], /--backend/],
    ['exact with samples', ['learn', '--N', '9', '--alpha', '1', '--T', '1', '--exact', '--samples', '2'], /--samples/],
    ['exact N too large', ['learn', '--N', '23', '--alpha', '1', '--T', '1', '--exact'], /--N/],
    ['no temperature', ['learn', '--N', '9', '--alpha', '1'], /--Tmin|--T/],
    ['Tmax <= Tmin', ['learn', '--N', '9', '--alpha', '1', '--Tmin', '2', '--Tmax', '1', '--K', '3'], /--Tmax/],
    ['bad alphas', ['learn', '--N', '9', '--curve', '--alphas', '1,x', '--T', '1'], /--alphas/],
    ['selfavg even N', ['selfavg', '--N', '9,10', '--T', '1'], /--N/],
    ['selfavg exact N > 21', ['selfavg', '--N', '9,23', '--T', '1', '--method', 'exact'], /--N/],
  ];
  for (const [name, args, flag] of cases) it(name, () => expectUsageError(args, flag));
});

describe('integration helpers', () => {
  it('trapezoidWeights integrate a line exactly; combinedSeriesEstimate keeps correlations; averageChains sees the spread', () => {
    const betas = [0, 0.3, 1, 1.5];
    const w = trapezoidWeights(betas, 3);
    expect(Array.from(w)).toEqual([0.15, 0.5, 0.6, 0.25]);
    expect(betas.reduce((s, b, j) => s + w[j] * (2 + 3 * b), 0)).toBeCloseTo(2 * 1.5 + 1.5 * 1.5 ** 2, 12);
    // Identical white-noise series in two slots: the error of x1 + x2 is 2 err(x), not √2 err(x).
    const x = Float64Array.from({ length: 4096 }, (_, t) => (Math.sin(t * 12.9898) * 43758.5453) % 1);
    const one = combinedSeriesEstimate([x], [1], 0);
    const both = combinedSeriesEstimate([x, x], [1, 1], 0);
    expect(both.mean).toBeCloseTo(2 * one.mean, 12);
    expect(both.err).toBeCloseTo(2 * one.err, 12);
    // Two chains with tiny binned errors but different means: the error is their standard error.
    const c = averageChains([
      { mean: 1, err: 1e-3 },
      { mean: 2, err: 1e-3 },
    ]);
    expect(c.mean).toBe(1.5);
    expect(c.err).toBeCloseTo(0.5, 12);
    expect(
      averageChains([
        { mean: 1, err: 0.3 },
        { mean: 1.01, err: 0.4 },
      ]).err,
    ).toBeCloseTo(0.25, 12);
  });
  it('integrateLnZ is exact for a cubic <E>(beta)', () => {
    // E(β) = 1 + β + β² + β³ ⇒ Var = −dE/dβ = −(1 + 2β + 3β²); ∫_0^b E = b + b²/2 + b³/3 + b⁴/4.
    const betas = [0, 0.5, 1.2, 2];
    const e = betas.map((b) => ({ mean: 1 + b + b * b + b ** 3, err: 0 }));
    const v = betas.map((b) => -(1 + 2 * b + 3 * b * b));
    const lz = integrateLnZ(3, betas, e, v);
    betas.forEach((b, i) => expect(lz[i].mean).toBeCloseTo(3 - (b + (b * b) / 2 + b ** 3 / 3 + b ** 4 / 4), 10));
  });
  it('integrateLnZLogBeta handles equipartition <E> = c + n/(2 beta)', () => {
    const betas = [0.5, 1, 3, 10];
    const e = betas.map((b) => ({ mean: 0.7 + 4 / b, err: 0 }));
    const v = betas.map((b) => 4 / (b * b));
    const lz = integrateLnZLogBeta(0, betas, e, v);
    // 4th order in ln β: within 0.1 % over these wide steps (ln 10/3 ≈ 1.2).
    betas.forEach((b, i) => {
      const exact = -(0.7 * (b - 0.5) + 4 * Math.log(b / 0.5));
      expect(Math.abs(lz[i].mean - exact)).toBeLessThanOrEqual(1e-3 * Math.abs(exact) + 1e-12);
    });
    // Pure equipartition is integrated exactly.
    const lz0 = integrateLnZLogBeta(
      0,
      betas,
      betas.map((b) => ({ mean: 4 / b, err: 0 })),
      v,
    );
    betas.forEach((b, i) => expect(lz0[i].mean).toBeCloseTo(-4 * Math.log(b / 0.5), 10));
  });
  it('powerLawFit recovers an exponent', () => {
    const x = [9, 13, 17, 21];
    expect(
      powerLawFit(
        x,
        x.map((n) => 2 * n ** -0.5),
      ).a,
    ).toBeCloseTo(0.5, 12);
  });
});
