/**
 * GPU kernels vs the CPU reference: same seed and parameters → the same lattices, the same
 * integer bond sums and magnetisations, and the same flip counts, bit for bit.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CpuIsingSampler } from '../src/models/ising/cpu-sampler.ts';
import { GpuIsingSampler } from '../src/models/ising/gpu-sampler.ts';
import { KERNEL_NAMES, KERNELS, type KernelName } from '../src/models/ising/kernels.ts';
import { ParameterError } from '../src/params/errors.ts';
import type { IsingConfig } from '../src/models/ising/config.ts';
import type { IsingSampler, RunResult } from '../src/models/ising/sampler.ts';
import { testGpu } from './helpers/gpu.ts';

const made: IsingSampler[] = [];
afterAll(() => made.forEach((s) => s.destroy()));

async function pair(
  config: IsingConfig,
  kernel: KernelName = 'checkerboard-u32',
): Promise<[IsingSampler, IsingSampler]> {
  const gpu = await GpuIsingSampler.create(await testGpu(), config, { kernel });
  // The CPU reference follows the kernel's random mapping (per site, or bit planes).
  const cpu = new CpuIsingSampler(config, { kernel });
  made.push(gpu, cpu);
  return [gpu, cpu];
}

function firstMismatch(a: Int8Array, b: Int8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

function expectSameRun(g: RunResult, c: RunResult): void {
  expect(g.samples).toBe(c.samples);
  expect(g.bonds).toEqual(c.bonds);
  expect(g.magnetization).toEqual(c.magnetization);
  expect(g.flips).toEqual(c.flips);
}

async function expectSameSpins(gpu: IsingSampler, cpu: IsingSampler): Promise<void> {
  expect(firstMismatch(await gpu.spins(), await cpu.spins())).toBe(-1);
}

const cases: (IsingConfig & { sweeps: number; name: string })[] = [
  {
    name: '6x6 Metropolis, 3 temperatures',
    Lx: 6,
    Ly: 6,
    replicas: 3,
    temperatures: [1.5, 2.269, 3.5],
    seed: 1,
    sweeps: 1500,
  },
  {
    name: '2x2 heat-bath, h = 0.7',
    Lx: 2,
    Ly: 2,
    replicas: 4,
    temperatures: [0.8, 2, 4, 9],
    h: 0.7,
    algorithm: 'heatbath',
    seed: 7,
    sweeps: 3000,
  },
  {
    name: '10x6 heat-bath, h = -0.3, J = 0.8',
    Lx: 10,
    Ly: 6,
    replicas: 2,
    temperatures: [2.1, 2.6],
    h: -0.3,
    J: 0.8,
    algorithm: 'heatbath',
    seed: 123456789,
    sweeps: 1200,
  },
  {
    name: '18x14 Metropolis, h = 0.25, cold start',
    Lx: 18,
    Ly: 14,
    replicas: 5,
    temperatures: [1.9, 2.3, 2.7, 3.1, 5],
    h: 0.25,
    init: 'cold',
    seed: 99,
    sweeps: 800,
  },
  {
    name: '30x30 Metropolis near Tc, seed 2^40',
    Lx: 30,
    Ly: 30,
    replicas: 2,
    temperatures: [2.269185314],
    seed: 2 ** 40 + 3,
    sweeps: 400,
  },
  {
    name: '64x64 heat-bath, h = 0.1, 2 replicas',
    Lx: 64,
    Ly: 64,
    replicas: 2,
    temperatures: [2.0, 2.4],
    h: 0.1,
    algorithm: 'heatbath',
    seed: 5,
    sweeps: 150,
  },
  {
    name: '2x8 antiferromagnet J = -1, h = 0.5',
    Lx: 2,
    Ly: 8,
    replicas: 3,
    temperatures: [1, 2, 3],
    J: -1,
    h: 0.5,
    seed: 11,
    sweeps: 2000,
  },
];

describe('GPU sampler equals the CPU reference bit for bit', () => {
  for (const { name, sweeps, ...config } of cases) {
    it(name, async () => {
      const [gpu, cpu] = await pair(config);
      await expectSameSpins(gpu, cpu); // initial state
      // Unmeasured thermalisation, then a measured run, as the CLI does.
      expectSameRun(
        await gpu.run({ sweeps: Math.floor(sweeps / 3), measureEvery: 0 }),
        await cpu.run({ sweeps: Math.floor(sweeps / 3), measureEvery: 0 }),
      );
      const g = await gpu.run({ sweeps, measureEvery: 1 });
      const c = await cpu.run({ sweeps, measureEvery: 1 });
      expectSameRun(g, c);
      await expectSameSpins(gpu, cpu);
      expect(await gpu.observe()).toEqual(await cpu.observe());
      expect(gpu.sweepsDone).toBe(cpu.sweepsDone);
      // Something actually happened: flips were accepted.
      expect(g.flips.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    });
  }

  it('many batches with sparse measurement (measureEvery = 7 over 2600 sweeps)', async () => {
    const [gpu, cpu] = await pair({ Lx: 8, Ly: 4, replicas: 3, temperatures: [2.5], h: 0.2, seed: 3 });
    expectSameRun(await gpu.run({ sweeps: 2600, measureEvery: 7 }), await cpu.run({ sweeps: 2600, measureEvery: 7 }));
    await expectSameSpins(gpu, cpu);
  });

  it('given initial spins, then slot swaps and parameter changes mid-run', async () => {
    const Lx = 12;
    const Ly = 10;
    const R = 4;
    const init = new Int8Array(R * Lx * Ly);
    for (let i = 0; i < init.length; i++) init[i] = (i * 2654435761) % 7 < 3 ? 1 : -1;
    const [gpu, cpu] = await pair({ Lx, Ly, replicas: R, temperatures: [1.8, 2.2, 2.6, 3.0], init, seed: 17 });
    expect(await gpu.spins()).toEqual(init);
    for (const s of [gpu, cpu]) await s.run({ sweeps: 100 });
    for (const s of [gpu, cpu]) s.setSlots([3, 1, 0, 2]);
    expectSameRun(await gpu.run({ sweeps: 200 }), await cpu.run({ sweeps: 200 }));
    for (const s of [gpu, cpu]) expect(() => s.setParameters({ temperatures: [2.0, 2.5] })).toThrow(/slots/);
    for (const s of [gpu, cpu])
      s.setParameters({ h: 0.4, algorithm: 'heatbath', temperatures: [2.0, 2.5], slots: [1, 1, 0, 0] });
    expectSameRun(await gpu.run({ sweeps: 200 }), await cpu.run({ sweeps: 200 }));
    await expectSameSpins(gpu, cpu);
  });

  it('a restored state (spins and sweep counter) continues exactly like the original', async () => {
    for (const kernel of ['checkerboard-u32', 'msc-4bit'] as const) {
      const config = { Lx: 64, Ly: 8, replicas: 2, temperatures: [2.2, 2.6], h: 0.1, seed: 21 };
      const [a] = await pair(config, kernel);
      await a.run({ sweeps: 37 });
      const saved = { spins: await a.spins(), sweepsDone: a.sweepsDone };
      const later = await a.run({ sweeps: 25 });
      for (const other of [
        await GpuIsingSampler.create(await testGpu(), { ...config, seed: 21 }, { kernel }),
        new CpuIsingSampler({ ...config, seed: 21 }),
      ]) {
        made.push(other);
        other.restore(saved);
        expect(await other.spins()).toEqual(saved.spins);
        expectSameRun(await other.run({ sweeps: 25 }), later);
        await expectSameSpins(other, a);
      }
      expect(() => a.restore({ spins: new Int8Array(3) })).toThrow(/spins must have/);
    }
  });

  it('different seeds give different trajectories', async () => {
    const a = await GpuIsingSampler.create(await testGpu(), { Lx: 16, Ly: 16, temperatures: [2.5], seed: 1 });
    const b = await GpuIsingSampler.create(await testGpu(), { Lx: 16, Ly: 16, temperatures: [2.5], seed: 2 });
    made.push(a, b);
    await a.run({ sweeps: 10 });
    await b.run({ sweeps: 10 });
    expect(firstMismatch(await a.spins(), await b.spins())).toBeGreaterThanOrEqual(0);
  });
});

describe('every kernel equals the CPU reference bit for bit', () => {
  // Lx a multiple of 64 suits every packing (msc-1bit needs Lx/2 to hold whole 32-bit words).
  const kernelCases: (IsingConfig & { sweeps: number; name: string })[] = [
    {
      name: '64x6 Metropolis, 3 temperatures, h = 0.2',
      Lx: 64,
      Ly: 6,
      replicas: 3,
      temperatures: [1.5, 2.269, 3.5],
      h: 0.2,
      seed: 4,
      sweeps: 300,
    },
    {
      name: '128x10 heat-bath, J = 0.7, h = -0.4, 2 replicas',
      Lx: 128,
      Ly: 10,
      replicas: 2,
      temperatures: [1.6, 2.9],
      J: 0.7,
      h: -0.4,
      algorithm: 'heatbath',
      seed: 2 ** 33 + 1,
      sweeps: 200,
    },
    {
      name: '64x2 antiferromagnet, cold start',
      Lx: 64,
      Ly: 2,
      replicas: 2,
      temperatures: [1, 4],
      J: -1,
      h: 0.5,
      init: 'cold',
      seed: 8,
      sweeps: 400,
    },
    { name: '192x14 at Tc', Lx: 192, Ly: 14, replicas: 1, temperatures: [2.269185314], seed: 31, sweeps: 150 },
  ];
  for (const kernel of KERNEL_NAMES) {
    for (const { name, sweeps, ...config } of kernelCases) {
      it(`${kernel}: ${name}`, async () => {
        const [gpu, cpu] = await pair(config, kernel);
        await expectSameSpins(gpu, cpu);
        expectSameRun(await gpu.run({ sweeps, measureEvery: 1 }), await cpu.run({ sweeps, measureEvery: 1 }));
        await expectSameSpins(gpu, cpu);
        expect(await gpu.observe()).toEqual(await cpu.observe());
      });
    }

    it(`${kernel}: given spins round-trip through the packing, then slot swaps`, async () => {
      const Lx = 64;
      const Ly = 4;
      const R = 2;
      const init = new Int8Array(R * Lx * Ly);
      for (let i = 0; i < init.length; i++) init[i] = (i * 2654435761) % 5 < 2 ? 1 : -1;
      const [gpu, cpu] = await pair({ Lx, Ly, replicas: R, temperatures: [2.0, 3.0], init, seed: 6 }, kernel);
      expect(await gpu.spins()).toEqual(init);
      expect(await gpu.observe()).toEqual(await cpu.observe());
      for (const s of [gpu, cpu]) s.setSlots([1, 0]);
      expectSameRun(await gpu.run({ sweeps: 120, measureEvery: 3 }), await cpu.run({ sweeps: 120, measureEvery: 3 }));
      await expectSameSpins(gpu, cpu);
    });
  }

  it('a lattice side that does not suit a packing is refused, naming Lx and the multiple', async () => {
    const ctx = await testGpu();
    for (const kernel of ['packed-u8', 'msc-4bit', 'msc-1bit'] as const) {
      const m = KERNELS[kernel].lxMultiple;
      await expect(GpuIsingSampler.create(ctx, { Lx: m + 2, Ly: 4, temperatures: [2] }, { kernel })).rejects.toThrow(
        ParameterError,
      );
      await expect(GpuIsingSampler.create(ctx, { Lx: m + 2, Ly: 4, temperatures: [2] }, { kernel })).rejects.toThrow(
        new RegExp(`Lx must be a multiple of ${m} for kernel ${kernel}`),
      );
    }
    await expect(
      GpuIsingSampler.create(ctx, { Lx: 64, Ly: 4, temperatures: [2] }, { kernel: 'nope' as KernelName }),
    ).rejects.toThrow(/kernel must be one of/);
  });
});
