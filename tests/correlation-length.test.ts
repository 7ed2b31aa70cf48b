/**
 * The second-moment correlation length: the structure factor F of every sample is the same double
 * on the GPU (line sums reduced by every kernel variant and after cluster steps) and the CPU, and
 * ξ = sqrt(χ/F − 1)/(2 sin(π/L)) of a run agrees with its exact value on the 4x4 torus (enumeration)
 * and the 6x6 torus (row transfer matrix) within 4 of its own jackknife error bars, for a
 * single-spin and a cluster sampler, in single runs and per temperature of a tempering run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { correlationLength } from '../src/analysis/index.ts';
import type { IsingConfig } from '../src/models/ising/config.ts';
import { CpuIsingSampler } from '../src/models/ising/cpu-sampler.ts';
import { GpuIsingSampler } from '../src/models/ising/gpu-sampler.ts';
import { KERNEL_NAMES, type KernelName } from '../src/models/ising/kernels.ts';
import type { IsingSampler } from '../src/models/ising/sampler.ts';
import { enumerateSecondMoment, transferSecondMoment } from '../src/physics/index.ts';
import { isingSlotSeries } from '../src/studies/series.ts';
import { temperStudy, type TemperStudyOptions } from '../src/studies/tempering/study.ts';
import { testGpu } from './helpers/gpu.ts';
import { expectSameFields } from './helpers/samplers.ts';
import { argv, expectRefusedQuickly, ising } from './helpers/cli.ts';
import { expectWithin } from './helpers/stats.ts';

const made: IsingSampler[] = [];
afterAll(() => made.forEach((s) => s.destroy()));

describe('structure factor: GPU equals CPU', () => {
  const cases: [KernelName, IsingConfig][] = [
    ...KERNEL_NAMES.filter((k) => k !== 'resident').map((k): [KernelName, IsingConfig] => [
      k,
      { Lx: 64, Ly: 6, replicas: 2, temperatures: [2.2, 3.0], h: 0.1, seed: 3 },
    ]),
    ['checkerboard-u32', { Lx: 10, Ly: 6, replicas: 3, temperatures: [2.4], algorithm: 'swendsen-wang', seed: 4 }],
    ['checkerboard-u32', { Lx: 12, Ly: 12, replicas: 2, temperatures: [2.3], algorithm: 'wolff', seed: 5 }],
  ];
  for (const [kernel, config] of cases) {
    it(`${kernel}, ${config.algorithm ?? 'metropolis'}, ${config.Lx}x${config.Ly}`, async () => {
      const gpu = await GpuIsingSampler.create(await testGpu(), config, { kernel });
      const cpu = new CpuIsingSampler(config, { kernel }); // the kernel's random mapping
      made.push(gpu, cpu);
      const g = await gpu.run({ sweeps: 40, measureEvery: 2, structureFactor: true });
      const c = await cpu.run({ sweeps: 40, measureEvery: 2, structureFactor: true });
      expectSameFields(g, c, ['bonds', 'magnetization', 'structureFactor']);
      expect(c.structureFactor!.length).toBe(20 * (config.replicas ?? 1));
      expect(c.structureFactor!.some((f) => f > 0)).toBe(true);
      expect((await cpu.run({ sweeps: 2 })).structureFactor).toBeUndefined();
    });
  }
});

it('the resident kernel refuses the structure factor, naming the kernel; auto leaves it out', async () => {
  const config = { Lx: 16, Ly: 16, temperatures: [2.3], seed: 6 };
  const resident = await GpuIsingSampler.create(await testGpu(), config, { kernel: 'resident' });
  made.push(resident);
  await expect(resident.run({ sweeps: 2, structureFactor: true })).rejects.toThrow(/resident cannot measure/);
  const auto = await GpuIsingSampler.create(await testGpu(), config, { kernel: 'auto', structureFactor: true });
  made.push(auto);
  expect(auto.kernel.name).toBe('msc-planes');
});

describe('second-moment correlation length against exact values (4x4, 6x6)', () => {
  it('the exact values: uncorrelated spins at T → ∞ give χ = F = 1 and ξ = 0', () => {
    const hot = enumerateSecondMoment(4, 1e9);
    expect(hot.chi).toBeCloseTo(1, 6);
    expect(hot.F).toBeCloseTo(1, 6);
    expect(hot.xi).toBeLessThan(1e-3);
  });

  it('the row transfer matrix gives the enumeration values (two independent computations)', () => {
    for (const [T, J, h] of [
      [2.5, 1, 0],
      [2.0, 1, 0.3],
      [3.0, -1, 0.1],
      [1.2, 0.7, 0],
    ]) {
      const a = enumerateSecondMoment(4, T, J, h);
      const b = transferSecondMoment(4, T, J, h);
      expect(b.chi / a.chi - 1).toBeCloseTo(0, 10);
      expect(b.F / a.F - 1).toBeCloseTo(0, 10);
    }
  });

  // 4x4 against enumeration, 6x6 against the transfer matrix.
  for (const [L, algorithm, T, sweeps] of [
    [4, 'swendsen-wang', 2.0, 4000],
    [4, 'swendsen-wang', 2.5, 4000],
    [4, 'swendsen-wang', 3.5, 4000],
    [4, 'heatbath', 2.5, 8000],
    [6, 'swendsen-wang', 2.0, 4000],
    [6, 'swendsen-wang', 2.269185314, 4000],
    [6, 'swendsen-wang', 3.0, 4000],
  ] as const) {
    it(`${L}x${L}, ${algorithm} at T = ${T}: xi within 4 sigma`, async () => {
      const R = 8;
      const config = { Lx: L, Ly: L, replicas: R, temperatures: [T], algorithm, seed: 12 };
      const sampler = new CpuIsingSampler(config);
      await sampler.run({ sweeps: 200, measureEvery: 0 });
      const run = await sampler.run({ sweeps, measureEvery: 1, structureFactor: true });
      const series = isingSlotSeries(run, 1, { J: 1, h: 0, N: L * L })[0];
      const { xi, xi_over_L } = correlationLength(series.magnetization, series.structureFactor!, L);
      const exact = L === 4 ? enumerateSecondMoment(4, T) : transferSecondMoment(L, T);
      expectWithin('xi', xi, exact.xi);
      expect(xi_over_L.mean).toBeCloseTo(xi.mean / L, 12);
    });
  }
});

describe('ising run --xi', () => {
  it('reports xi and xi_over_L with error bars, and refuses a rectangle', async () => {
    const r = await ising(
      argv('run --L 8 --T 2.5 --sweeps 400 --thermalize 50 --replicas 2 --backend cpu --xi --json'),
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.xi.err).toBeGreaterThan(0);
    expect(out.xi_over_L.mean).toBeCloseTo(out.xi.mean / 8, 12);
    await expectRefusedQuickly(argv('run --L 8 --Ly 4 --T 2.5 --xi --quiet'), /--xi needs a square lattice/);
  });
});

describe('xi/L at Tc', () => {
  it('32x32 (Swendsen-Wang) against the universal value 0.9050488 (Salas & Sokal 2000)', async () => {
    // Its finite-size correction at L = 32 is O(L^-2), far below this run's error bar.
    const config = { Lx: 32, Ly: 32, replicas: 4, temperatures: [2 / Math.log(1 + Math.SQRT2)], seed: 21 };
    const sampler = new CpuIsingSampler({ ...config, algorithm: 'swendsen-wang' });
    await sampler.run({ sweeps: 200, measureEvery: 0 });
    const run = await sampler.run({ sweeps: 4000, measureEvery: 1, structureFactor: true });
    const series = isingSlotSeries(run, 1, { J: 1, h: 0, N: 32 * 32 })[0];
    expectWithin('xi/L', correlationLength(series.magnetization, series.structureFactor!, 32).xi_over_L, 0.9050488292);
  });
});

describe('tempering with --xi', () => {
  const base: TemperStudyOptions = {
    L: 4,
    ladder: { kind: 'geometric', Tmin: 2.0, Tmax: 3.5, K: 3 },
    replicasPerT: 8,
    sweeps: 3000,
    thermalize: 100,
    exchangeEvery: 1,
    tail: 0,
    J: 1,
    seed: 8,
    algorithm: 'swendsen-wang',
    xi: true,
  };

  it('xi per temperature against enumeration (CPU), and the same on the GPU', async () => {
    const cpu = await temperStudy(base);
    cpu.temperatures.forEach((T, k) => {
      expectWithin(`xi(T=${T.toFixed(3)})`, cpu.xi![k], enumerateSecondMoment(4, T).xi);
    });
    const short = { ...base, sweeps: 100 };
    const gpu = await temperStudy({ ...short, device: { ctx: await testGpu(), kernel: 'checkerboard-u32' } });
    expectSameFields(gpu, await temperStudy(short), ['xi', 'xi_over_L', 'e']);
    expect((await temperStudy({ ...short, xi: false })).xi).toBeUndefined();
  });
});

describe('ising sweep --xi and ising fss', () => {
  it('the xi/L crossing of L = 4 and 6 agrees with the exact one (enumeration and transfer matrix)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ising-xi-fss-'));
    const out = path.join(dir, 'xi.jsonl');
    const sweep = `sweep --L 4,6 --seeds 2 --out ${out} --Tmin 2.1 --Tmax 2.4 --K 7 --ladder linear --replicas-per-T 4`;
    const r = await ising([
      ...argv(`${sweep} --sweeps 3000 --thermalize 100 --tail 0 --algorithm swendsen-wang --xi --backend cpu --quiet`),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const f = await ising(['fss', out, '--json', '--quiet']);
    expect(f.code, f.stderr).toBe(0);
    const fss = JSON.parse(f.stdout);
    expect(fss.per_L[0].xi_over_L).toHaveLength(7);
    // The exact crossing T*: xi(6)/6 = xi(4)/4, by bisection on the exact curves.
    const D = (T: number): number => transferSecondMoment(6, T).xi / 6 - enumerateSecondMoment(4, T).xi / 4;
    let [a, b] = [2.1, 2.4];
    for (let i = 0; i < 50; i++) [a, b] = D(a) * D((a + b) / 2) <= 0 ? [a, (a + b) / 2] : [(a + b) / 2, b];
    expectWithin('T_cross(xi/L, 4 and 6)', fss.xi_over_L_crossings[0].T_cross, a);
    fs.rmSync(dir, { recursive: true });
  });
});
