/**
 * Physics of Boltzmann-sampled learning (binary perceptron), in process through `ising learn`:
 *
 * (a) Tempering at large β finds the ground state given by exact enumeration (N = 21, α = 1: the CPU
 *     enumeration of src/models/weights/enumeration.ts reaches N ≤ MAX_ENUMERATION_N = 21; 2^21
 *     states take ~0.5 s at P = 21). Teacher–student data with a binary teacher always have
 *     min H = 0 (the teacher itself), but only a handful of the 2^21 weight vectors reach it
 *     (degeneracy 2 … 14 at seeds 11–13, checked < 100 below), so the sampler must find a needle.
 *     Random labels (seed 14) happen to have min H = 0 as well at this N and α, reached by a single
 *     weight vector (other seeds give min H = 1 or 2). Same settings as at N = 19 (K = 8 from
 *     T = 0.05 to 2, 2 chains, 200 + 2000 sweeps, ~0.5 s per dataset): they also found the ground
 *     state of 8 further datasets (seeds 15–22, 4 teacher + 4 random), so they are not tuned to
 *     these seeds.
 * (b) Gaussian inputs, binary teacher, N = 101, T = 0.1 (Gibbs learning in the version space: an
 *     error costs e^{-10}): ε = arccos(R)/π against the RS T = 0 theory (binaryPerceptronLearningCurve)
 *     at α = 0.5 and 1 (single-state regime, below the first-order transition α ≈ 1.245), within 4σ
 *     (σ from the spread over 4 datasets). The finite-size part: N = 51 gives the same ε within 4σ
 *     of the combined error, i.e. no 1/N drift is resolvable at this statistics, so no extra
 *     finite-size tolerance is added.
 */
import { describe, expect, it } from 'vitest';
import { parseFlags } from '../src/cli/args.ts';
import * as learnCmd from '../src/cli/commands/learn.ts';
import { generateDataset } from '../src/models/weights/datasets.ts';
import { enumeratePerceptron } from '../src/models/weights/enumeration.ts';
import { binaryPerceptronLearningCurve, binaryPerceptronTransition } from '../src/physics/learning-theory.ts';

interface Est {
  mean: number;
  err: number;
}

async function learn(argv: string[]): Promise<Record<string, any>> {
  return (await learnCmd.learn(parseFlags('learn', learnCmd.flags, [...argv, '--quiet']))) as Record<string, any>;
}

describe('large β: tempering finds the enumerated ground state (N = 21, alpha = 1)', () => {
  const N = 21;
  const cases: { seed: number; labels: 'teacher' | 'random' }[] = [
    { seed: 11, labels: 'teacher' },
    { seed: 12, labels: 'teacher' },
    { seed: 13, labels: 'teacher' },
    { seed: 14, labels: 'random' },
  ];
  for (const { seed, labels } of cases) {
    it(`${labels} labels, seed ${seed}: min energy at T = 0.05 equals the ground-state energy`, async () => {
      // `learn` with --samples 1 uses dataset index 0 of the seed: enumerate exactly that dataset.
      const data = generateDataset({ N, P: N, inputs: 'binary', teacher: 'binary', labels, seed, index: 0 });
      const en = enumeratePerceptron(data);
      if (labels === 'teacher') {
        expect(en.groundEnergy).toBe(0);
        expect(en.groundDegeneracy).toBeLessThan(100); // a needle among 2^21 = 2097152
      }
      const r = await learn(
        ['--N', String(N), '--alpha', '1', '--data', labels, '--Tmin', '0.05', '--Tmax', '2', '--K', '8'].concat([
          '--samples',
          '1',
          '--replicas-per-T',
          '2',
          '--sweeps',
          '2000',
          '--thermalize',
          '200',
          '--seed',
          String(seed),
        ]),
      );
      expect(r.P).toBe(N);
      expect(
        r.min_energy_found[0],
        `seed ${seed}: found ${r.min_energy_found[0]}, enumeration ${en.groundEnergy}`,
      ).toBe(en.groundEnergy);
    });
  }
});

describe('learning curve at N = 101 against the RS T = 0 theory (Gaussian inputs, binary teacher)', () => {
  const run = (N: number, alpha: number, samples: number, sweeps: number, seed: number) =>
    learn(
      [
        '--N',
        String(N),
        '--alpha',
        String(alpha),
        '--inputs',
        'gaussian',
        '--Tmin',
        '0.1',
        '--Tmax',
        '1.5',
        '--K',
        '8',
      ].concat([
        '--samples',
        String(samples),
        '--replicas-per-T',
        '1',
        '--sweeps',
        String(sweeps),
        '--thermalize',
        String(sweeps),
        '--seed',
        String(seed),
      ]),
    );

  it('the theory has a single (R < 1) state at alpha 0.5 and 1 and epsilon = 0 at alpha 2', () => {
    const { alphaFirstOrder } = binaryPerceptronTransition();
    expect(alphaFirstOrder).toBeGreaterThan(1.2);
    expect(alphaFirstOrder).toBeLessThan(1.3);
    const th = binaryPerceptronLearningCurve([0.5, 1, 2]);
    expect(th[0]).toBeGreaterThan(0.4);
    expect(th[2]).toBe(0);
  });

  for (const alpha of [0.5, 1]) {
    it(`alpha ${alpha}: epsilon(N = 101, T = 0.1) within 4 sigma of theory, and no resolvable drift from N = 51`, {
      timeout: 60_000,
    }, async () => {
      const theory = binaryPerceptronLearningCurve([alpha])[0];
      const big = await run(101, alpha, 4, 1000, 7);
      const small = await run(51, alpha, 4, 1000, 7);
      const e101 = big.gen_error[0] as Est;
      const e51 = small.gen_error[0] as Est;
      const msg = `alpha ${alpha}: eps(101) = ${e101.mean} ± ${e101.err}, eps(51) = ${e51.mean} ± ${e51.err}, theory ${theory}`;
      // Version space: training errors essentially absent at T = 0.1.
      expect(big.train_loss[0].mean, msg).toBeLessThan(0.02);
      expect(e101.err, msg).toBeGreaterThan(0);
      expect(Math.abs(e101.mean - theory), msg).toBeLessThanOrEqual(4 * e101.err);
      expect(Math.abs(e101.mean - e51.mean), msg).toBeLessThanOrEqual(4 * Math.hypot(e101.err, e51.err));
    });
  }

  // Beyond the transition the theory has only R = 1 (ε = 0). Within this test's budget (500 + 500
  // sweeps, one chain) tempering does NOT reach it on most datasets: the dynamics after the
  // first-order transition is slow (the R < 1 state stays metastable up to the spinodal α ≈ 1.49,
  // and low-error states with R < 1 trap the chain). Seeds 1–3 give ε = 0.060, 0 and 0.128; with
  // 2000 + 2000 sweeps (too slow here) seeds 1, 3, 4 gave 0, 0.011 and 0.082. Asserted: what is true.
  it('alpha 2 (theory epsilon = 0): one of 3 datasets generalises perfectly, all far below the alpha 1 state', {
    timeout: 60_000,
  }, async () => {
    const eps1 = binaryPerceptronLearningCurve([1])[0];
    const res = [];
    for (const seed of [1, 2, 3]) res.push((await run(101, 2, 1, 500, seed)).gen_error[0] as Est);
    const msg = `alpha 2: eps per dataset ${res.map((e) => e.mean.toFixed(4)).join(', ')}`;
    expect(res.filter((e) => e.mean === 0).length, msg).toBeGreaterThanOrEqual(1);
    for (const e of res) expect(e.mean, msg).toBeLessThan(eps1 / 2);
  });
});
