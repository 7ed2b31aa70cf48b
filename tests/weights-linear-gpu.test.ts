/**
 * GPU (WGSL, f32) Metropolis sampler of the linear model against CpuLinearSampler: the same random
 * words and decisions, θ and H equal within f32 rounding over short runs (several workgroup sizes,
 * batch splits, slots, tune()); ⟨H⟩(β) of the GPU chains against the exact H_min + N/(2β); clear
 * refusals of bad input; `ising learn --model linear --backend gpu` beside the CPU reference.
 * Runs on SwiftShader when there is no GPU (tests/helpers/gpu.ts).
 *
 * Tolerance. Every proposal is d = δ z with δ computed in float64 on the host and rounded to f32
 * (relative error ≤ 2^-24) and z = Box–Muller in f32 (the shader's log/series and polynomial cos keep
 * z to ~1e-6 relative; sqrt and the products add a few 2^-24), so while the decisions agree each accepted
 * move differs from the CPU's by ≲ 2e-6·|d|, and each θ_i += d adds one f32 rounding (2^-24·|θ_i|).
 * Over ≤ 12 sweeps (≤ 12 moves per coordinate) that is ≲ 3e-5·max(|θ|, |d|), below the tolerance
 * 1e-4·(1 + |θ|) used here (θ and δ are O(1) in these problems; measured differences are ~5e-7).
 * A differing decision instead moves θ_i by a whole step |d| ~ δ ~ 0.3–2 and changes an accepted
 * count by one, so the checks (θ within 1e-4 after every sweep, accepted counts exactly equal)
 * fail on any differing decision. Decisions can legitimately differ only where the acceptance word lies
 * within the f32 error of the threshold (exp in f32, ΔH at the slightly different θ: relative ~1e-6 in
 * runs this short, probability ≲ 1e-6 per move; it grows to ~1e-5 over thousands of sweeps, where the
 * chains eventually part): over the ~2000 moves compared here that is ~1e-3, and the seeds are fixed,
 * so a failure means a bug.
 * Not vacuous: each run must accept some moves and reject others, and move θ by far more than the
 * tolerance.
 */
import { describe, expect, it } from 'vitest';
import { parseFlags } from '../src/cli/args.ts';
import * as learnCmd from '../src/cli/commands/learn.ts';
import { GpuLimitError } from '../src/gpu/errors.ts';
import { createLinearSampler } from '../src/studies/learning/backends.ts';
import { averageIndependent, seriesEstimate } from '../src/studies/learning/estimates.ts';
import { generateDataset } from '../src/models/weights/datasets.ts';
import { GpuLinearSampler, type GpuLinearOptions } from '../src/models/weights/gpu-linear-sampler.ts';
import {
  CpuLinearSampler,
  linearExact,
  linearProblem,
  type LinearProblem,
  type LinearSamplerConfig,
} from '../src/models/weights/linear.ts';
import { testGpu } from './helpers/gpu.ts';
import { expectSameFields } from './helpers/samplers.ts';
import { expectWithin } from './helpers/stats.ts';

const REL = 1e-4;

function problem(N: number, P: number, seed: number, lambda = 0.01, noise = 0.3) {
  return linearProblem(
    generateDataset({ N, P, inputs: 'gaussian', teacher: 'gaussian', labels: 'linear', noise, seed, index: 0 }),
    lambda,
  );
}

/** |a − b| ≤ REL·(1 + |b|) everywhere; returns the largest difference. */
function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, what: string): number {
  expect(a.length, what).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    const diff = Math.abs(a[i] - b[i]);
    worst = Math.max(worst, diff);
    expect(diff, `${what}[${i}]: gpu ${a[i]} vs cpu ${b[i]}`).toBeLessThanOrEqual(REL * (1 + Math.abs(b[i])));
  }
  return worst;
}

/** Each run sweep by sweep (or as given) on both; θ, H and accepted counts compared after each. */
async function compare(
  config: LinearSamplerConfig,
  runs: { sweeps: number; measureEvery?: number }[],
  options: GpuLinearOptions = {},
) {
  const ctx = await testGpu();
  const cpu = new CpuLinearSampler(config);
  const gpu = await GpuLinearSampler.create(ctx, config, options);
  const N = cpu.N;
  const R = cpu.replicas;
  let worst = 0;
  try {
    expectClose(await gpu.weights(), cpu.weights(), 'initial θ');
    const start = cpu.weights();
    let acc = 0;
    let proposed = 0;
    for (const opts of runs) {
      const a = cpu.run(opts);
      const b = await gpu.run(opts);
      expectSameFields(b, a, ['samples', 'replicas', 'proposed', 'accepted']);
      worst = Math.max(worst, expectClose(await gpu.weights(), cpu.weights(), 'θ'));
      expectClose(b.energy, a.energy, 'H');
      acc += a.accepted.reduce((s, v) => s + v, 0);
      proposed += a.proposed * R;
    }
    expect(gpu.sweepsDone).toBe(cpu.sweepsDone);
    // Not vacuous: moves were accepted and rejected, and θ moved far beyond the tolerance.
    expect(acc).toBeGreaterThan(0);
    expect(acc).toBeLessThan(proposed);
    const end = cpu.weights();
    for (let r = 0; r < R; r++) {
      let moved = 0;
      for (let i = 0; i < N; i++) moved = Math.max(moved, Math.abs(end[r * N + i] - start[r * N + i]));
      expect(moved, `replica ${r} moved`).toBeGreaterThan(1000 * REL);
    }
  } finally {
    gpu.destroy();
  }
  return worst;
}

/** A config with random initial θ. */
const randomInit = (
  pr: LinearProblem,
  temperatures: number[],
  replicas: number,
  seed: number,
): LinearSamplerConfig => ({
  problem: pr,
  temperatures,
  replicas,
  seed,
  init: 'random',
});

describe('weights: GPU linear sampler follows the CPU reference within f32 rounding', () => {
  it('N = 20, P = 30, 3 temperatures × 2 replicas, random init: 5 sweeps one by one, then measured runs', async () => {
    const config = randomInit(problem(20, 30, 3), [0.3, 1, 3], 6, 9);
    const worst = await compare(config, [
      ...Array.from({ length: 5 }, () => ({ sweeps: 1 })),
      { sweeps: 7, measureEvery: 2 },
    ]);
    console.log(`largest |θ_gpu − θ_cpu| over the run: ${worst.toExponential(2)}`);
  });

  it('batch splits (1 sweep per dispatch, 3 ring samples, 4 sweeps per batch), zero init, seed above 2^32, explicit slots', async () => {
    await compare(
      {
        problem: problem(13, 21, 8, 0.1),
        temperatures: [0.5, 2],
        replicas: 5,
        slots: [1, 0, 1, 1, 0],
        seed: 2 ** 40 + 7,
      },
      [
        { sweeps: 9, measureEvery: 1 },
        { sweeps: 3, measureEvery: 0 },
      ],
      { sweepsPerDispatch: 1, ringSamples: 3, maxSweepsPerBatch: 4 },
    );
  });

  it('any workgroup size gives the same decisions (1 and 64 threads; P = 70 > 64)', async () => {
    for (const workgroupSize of [1, 64]) {
      await compare(
        { problem: problem(9, 70, 21), temperatures: [0.7, 1.4], replicas: 3, seed: 8, init: 'random' },
        [{ sweeps: 6, measureEvery: 3 }],
        {
          workgroupSize,
        },
      );
    }
  });

  it('tune() gives the CPU step scales; setSlots is honoured', async () => {
    const ctx = await testGpu();
    const config = randomInit(problem(11, 25, 5), [0.2, 1, 4], 3, 3);
    const cpu = new CpuLinearSampler(config);
    const gpu = await GpuLinearSampler.create(ctx, config);
    try {
      const ra = cpu.tune(3, 4);
      const rb = await gpu.tune(3, 4);
      // Same decisions ⇒ the same integer counts ⇒ the same float64 scale updates, bit for bit.
      expect(rb).toEqual(ra);
      expect(gpu.scale).toEqual(cpu.scale);
      expect(Array.from(cpu.scale).some((s) => s !== 2.4)).toBe(true);
      cpu.setSlots([2, 0, 1]);
      gpu.setSlots([2, 0, 1]);
      const a = cpu.run({ sweeps: 3 });
      const b = await gpu.run({ sweeps: 3 });
      expect(b.accepted).toEqual(a.accepted);
      expectClose(await gpu.weights(), cpu.weights(), 'θ');
      expectClose(b.energy, a.energy, 'H');
    } finally {
      gpu.destroy();
    }
  });
});

describe('weights: GPU linear sampler samples the exact Gibbs measure', () => {
  it('⟨H⟩(β) = H_min + N/(2β) at T = 0.1, 0.5, 2 (N = 10, P = 20, 2 chains per T, 6000 sweeps), 4σ', async () => {
    const ctx = await testGpu();
    const pr = problem(10, 20, 17);
    const ex = linearExact(pr);
    const temps = [0.1, 0.5, 2];
    const K = temps.length;
    const perT = 2;
    const gpu = await GpuLinearSampler.create(ctx, {
      problem: pr,
      temperatures: temps,
      replicas: K * perT,
      seed: 23,
      init: 'random',
    });
    try {
      await gpu.tune(10, 20);
      await gpu.run({ sweeps: 300, measureEvery: 0 });
      const M = 6000;
      const res = await gpu.run({ sweeps: M, measureEvery: 1 });
      const R = gpu.replicas;
      const acc = Array.from(res.accepted, (a) => a / res.proposed);
      console.log(`acceptance per replica after tuning: ${acc.map((a) => a.toFixed(2)).join(' ')}`);
      for (let k = 0; k < K; k++) {
        const chains = Array.from({ length: perT }, (_, c) => {
          const r = c * K + k;
          return seriesEstimate(Float64Array.from({ length: M }, (_, m) => res.energy[m * R + r]));
        });
        expectWithin(`<H>(T = ${temps[k]})`, averageIndependent(chains), ex.meanEnergy(1 / temps[k]));
      }
    } finally {
      gpu.destroy();
    }
  });
});

describe('weights: GPU linear sampler refuses bad input clearly', () => {
  it('N beyond workgroup memory: GpuLimitError naming maxComputeWorkgroupStorageSize', async () => {
    const ctx = await testGpu();
    const limit = ctx.device.limits.maxComputeWorkgroupStorageSize;
    const N = Math.floor(limit / 12) + 1;
    const err = await GpuLinearSampler.create(ctx, { problem: problem(N, 2, 1), temperatures: [1] }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GpuLimitError);
    expect((err as GpuLimitError).limit).toBe('maxComputeWorkgroupStorageSize');
    expect(String(err)).toMatch(/maxComputeWorkgroupStorageSize.*N <= \d+/);
  });

  it('invalid configs and options: RangeError naming the problem', async () => {
    const ctx = await testGpu();
    const pr = problem(4, 6, 2);
    await expect(GpuLinearSampler.create(ctx, { problem: pr, temperatures: [1, -2] })).rejects.toThrow(RangeError);
    await expect(GpuLinearSampler.create(ctx, { problem: pr, temperatures: [1], replicas: 0 })).rejects.toThrow(
      /replicas/,
    );
    await expect(GpuLinearSampler.create(ctx, { problem: pr, temperatures: [1], seed: -1 })).rejects.toThrow(/seed/);
    await expect(
      GpuLinearSampler.create(ctx, { problem: pr, temperatures: [1], init: new Float64Array(3) }),
    ).rejects.toThrow(/init/);
    await expect(
      GpuLinearSampler.create(ctx, { problem: pr, temperatures: [1] }, { workgroupSize: 3 }),
    ).rejects.toThrow(/workgroupSize/);
    // No data on a coordinate and λ = 0: an improper Gibbs measure (the CPU would divide by zero).
    const empty = { ...problem(3, 0, 1), lambda: 0 };
    await expect(GpuLinearSampler.create(ctx, { problem: empty, temperatures: [1] })).rejects.toThrow(/A_00.*improper/);
    await expect(createLinearSampler('tpu', { problem: pr, temperatures: [1] })).rejects.toThrow(
      /backend 'tpu'.*linear/,
    );
    const gpu = await GpuLinearSampler.create(ctx, { problem: pr, temperatures: [1, 2] });
    try {
      await expect(gpu.run({ sweeps: -1 })).rejects.toThrow(/sweeps/);
      expect(() => gpu.setSlots([5])).toThrow(RangeError);
    } finally {
      gpu.destroy();
    }
  });
});

describe('ising learn --model linear --backend gpu', () => {
  it('agrees with --backend cpu (same seed) and names the adapter', async () => {
    const args = (
      '--model linear --N 8 --alpha 2 --Tmin 0.2 --Tmax 2 --K 3 --inputs gaussian --noise 0.3 ' +
      '--sweeps 400 --thermalize 100 --seed 6 --exact --json --quiet'
    ).split(' ');
    const learn = async (backend: string) =>
      (await learnCmd.learn(parseFlags('learn', learnCmd.flags, [...args, '--backend', backend]))) as Record<
        string,
        any
      >;
    const gpu = await learn('gpu');
    const cpu = await learn('cpu');
    console.log(`ising learn --model linear --backend gpu ran on ${gpu.adapter}`);
    expect(gpu.backend).toBe('gpu');
    expect(cpu.backend).toBe('cpu');
    expect(cpu.adapter).toBe('cpu reference');
    expect(gpu.adapter).not.toBe('cpu reference');
    expect(Object.keys(gpu).sort()).toEqual(Object.keys(cpu).sort());
    expect(gpu.exact).toEqual(cpu.exact);
    // Same decisions give equal numbers up to f32 rounding; a rare near-threshold decision may part the
    // chains over these ~10^4 moves, so each estimate must agree to 1e-4 or within 4 combined error bars.
    for (const key of ['mean_energy', 'gen_error', 'overlap_teacher', 'lnZ', 'free_energy']) {
      (gpu[key] as { mean: number; err: number }[]).forEach((g, k) => {
        const c = cpu[key][k] as { mean: number; err: number };
        const tol = Math.max(REL * (1 + Math.abs(c.mean)), 4 * Math.hypot(g.err, c.err));
        expect(Math.abs(g.mean - c.mean), `${key}[${k}]: gpu ${g.mean} vs cpu ${c.mean}`).toBeLessThanOrEqual(tol);
      });
    }
  });
});
