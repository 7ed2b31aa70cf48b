/**
 * GPU cluster kernels against the CPU twin: the same seed and parameters give the same lattices,
 * integer bond sums, magnetisations and flip counts after k Swendsen–Wang sweeps or Wolff steps,
 * bit for bit (canonical labels make the cluster spins independent of the GPU's scheduling).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CpuIsingSampler } from '../src/models/ising/cpu-sampler.ts';
import { GpuIsingSampler } from '../src/models/ising/gpu-sampler.ts';
import type { IsingConfig } from '../src/models/ising/config.ts';
import type { IsingSampler } from '../src/models/ising/sampler.ts';
import { ParameterError } from '../src/params/errors.ts';
import { samplerRunTask } from '../src/studies/resumable-run.ts';
import { testGpu } from './helpers/gpu.ts';
import { expectSameFields, makeSampler } from './helpers/samplers.ts';

const made: IsingSampler[] = [];
afterAll(() => made.forEach((s) => s.destroy()));

async function pair(config: IsingConfig): Promise<[IsingSampler, IsingSampler]> {
  const gpu = await GpuIsingSampler.create(await testGpu(), config);
  const cpu = new CpuIsingSampler(config);
  made.push(gpu, cpu);
  return [gpu, cpu];
}

const RUN_FIELDS = ['samples', 'bonds', 'magnetization', 'flips', 'clusterMoments'] as const;

const cases: (IsingConfig & { sweeps: number; name: string })[] = [
  {
    name: 'SW 6x6, 3 temperatures',
    Lx: 6,
    Ly: 6,
    replicas: 3,
    temperatures: [1.5, 2.269, 3.5],
    algorithm: 'swendsen-wang',
    seed: 1,
    sweeps: 40,
  },
  {
    name: 'SW 10x6, h = 0.3, J = 0.8',
    Lx: 10,
    Ly: 6,
    replicas: 2,
    temperatures: [2.1, 2.6],
    J: 0.8,
    h: 0.3,
    algorithm: 'swendsen-wang',
    seed: 123456789,
    sweeps: 40,
  },
  {
    name: 'SW 12x12 antiferromagnet J = -1, h = -0.5, cold start',
    Lx: 12,
    Ly: 12,
    replicas: 2,
    temperatures: [1.2, 2.5],
    J: -1,
    h: -0.5,
    init: 'cold',
    algorithm: 'swendsen-wang',
    seed: 2 ** 40 + 3,
    sweeps: 30,
  },
  {
    name: 'SW 16x8 at Tc',
    Lx: 16,
    Ly: 8,
    replicas: 1,
    temperatures: [2.269185314],
    algorithm: 'swendsen-wang',
    seed: 9,
    sweeps: 30,
  },
  {
    name: 'SW 64x64 at Tc, 2 replicas (several workgroups)',
    Lx: 64,
    Ly: 64,
    replicas: 2,
    temperatures: [2.269185314, 2.269185314],
    algorithm: 'swendsen-wang',
    seed: 2024,
    sweeps: 15,
  },
  {
    name: 'Wolff 10x10, 2 temperatures',
    Lx: 10,
    Ly: 10,
    replicas: 4,
    temperatures: [2.0, 3.0],
    algorithm: 'wolff',
    seed: 5,
    sweeps: 60,
  },
  {
    name: 'Wolff 6x14 antiferromagnet J = -0.7',
    Lx: 6,
    Ly: 14,
    replicas: 2,
    temperatures: [1.0, 2.2],
    J: -0.7,
    algorithm: 'wolff',
    seed: 77,
    sweeps: 60,
  },
  {
    name: 'Wolff 48x40 near Tc',
    Lx: 48,
    Ly: 40,
    replicas: 2,
    temperatures: [2.3],
    algorithm: 'wolff',
    seed: 3,
    sweeps: 40,
  },
];

describe('GPU cluster updates equal the CPU twin bit for bit', () => {
  for (const { name, sweeps, ...config } of cases) {
    it(name, async () => {
      const [gpu, cpu] = await pair(config);
      expectSameFields(
        await gpu.run({ sweeps: 5, measureEvery: 0 }),
        await cpu.run({ sweeps: 5, measureEvery: 0 }),
        RUN_FIELDS,
      );
      const g = await gpu.run({ sweeps, measureEvery: 1 });
      const c = await cpu.run({ sweeps, measureEvery: 1 });
      expectSameFields(g, c, RUN_FIELDS);
      expect(await gpu.spins()).toEqual(await cpu.spins());
      expect(g.flips.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    });
  }

  it('a switch from Metropolis to Swendsen–Wang to Wolff mid-run, with slot swaps', async () => {
    const config = { Lx: 8, Ly: 6, replicas: 2, temperatures: [2.0, 2.8], h: 0.2, seed: 13 };
    const [gpu, cpu] = await pair(config);
    for (const s of [gpu, cpu]) await s.run({ sweeps: 20 });
    for (const s of [gpu, cpu]) s.setParameters({ algorithm: 'swendsen-wang', slots: [1, 0] });
    expectSameFields(await gpu.run({ sweeps: 15 }), await cpu.run({ sweeps: 15 }), RUN_FIELDS);
    for (const s of [gpu, cpu]) s.setParameters({ algorithm: 'wolff', h: 0 });
    expectSameFields(await gpu.run({ sweeps: 15 }), await cpu.run({ sweeps: 15 }), RUN_FIELDS);
    expect(await gpu.spins()).toEqual(await cpu.spins());
  });

  // Stripes of equal spins at T = 0.05 (every satisfied bond active): the clusters are the stripes,
  // so Σ q² = stripes · size² exactly. Each size² mod 2^32 exceeds 2^31, so the kernels' 64-bit sum
  // must carry: within a thread (4 width-1 columns, roots 0..3), within a workgroup (width-4
  // columns, roots 0, 4, 8, 12) and across workgroups (two 100-row bands of a 512-wide lattice).
  for (const [Lx, Ly, stripe, vertical] of [
    [4, 50000, 1, true],
    [16, 25600, 4, true],
    [512, 200, 100, false],
  ] as const) {
    it(`Σ q² of ${Lx}x${Ly} in stripes of ${stripe} carries past 2^32 exactly`, async () => {
      const init = new Int8Array(Lx * Ly);
      for (let i = 0; i < init.length; i++) {
        const along = vertical ? i % Lx : Math.floor(i / Lx);
        init[i] = Math.floor(along / stripe) % 2 === 0 ? 1 : -1;
      }
      const config = { Lx, Ly, temperatures: [0.05], algorithm: 'swendsen-wang' as const, init, seed: 4 };
      const [gpu, cpu] = await pair(config);
      const g = await gpu.run({ sweeps: 1 });
      const size = stripe * (vertical ? Ly : Lx);
      const stripes = (vertical ? Lx : Ly) / stripe;
      expect(stripes * ((size * size) % 2 ** 32)).toBeGreaterThan(2 ** 32); // the low words wrap
      const expected = stripes * size * size;
      expect(g.clusterMoments).toEqual(Float64Array.of(expected));
      expectSameFields(g, await cpu.run({ sweeps: 1 }), RUN_FIELDS);
    });
  }

  for (const backend of ['cpu', 'gpu'] as const) {
    it(`a chunked run (checkpoints) equals one run, cluster moments and F included (${backend})`, async () => {
      const config = { Lx: 8, Ly: 6, replicas: 2, temperatures: [2.3], algorithm: 'wolff' as const, seed: 19 };
      const phases = [
        { sweeps: 9, measureEvery: 0 },
        { sweeps: 40, measureEvery: 2, structureFactor: true },
      ];
      const one = await makeSampler(backend, config);
      const expected = [await one.run(phases[0]), await one.run(phases[1])];
      const chunked = await makeSampler(backend, config);
      made.push(one, chunked);
      const task = samplerRunTask(chunked, phases, { chunkSweeps: 6 });
      while (await task.advance());
      const [, got] = task.result();
      expectSameFields(got, expected[1], [...RUN_FIELDS, 'structureFactor']);
      expect(got.structureFactor?.length).toBe(40);
    });
  }

  it('the bit-packed kernels refuse cluster algorithms, naming the kernel', async () => {
    const config = { Lx: 64, Ly: 4, temperatures: [2], algorithm: 'wolff' as const };
    const create = GpuIsingSampler.create(await testGpu(), config, { kernel: 'msc-1bit' });
    await expect(create).rejects.toThrow(ParameterError);
    await expect(GpuIsingSampler.create(await testGpu(), config, { kernel: 'packed-u8' })).rejects.toThrow(
      /runs on kernel checkerboard-u32 only/,
    );
  });
});
