/**
 * ±J couplings (the Edwards–Anderson spin glass): the GPU kernel with couplings and the CPU
 * reference give the same lattices, bond sums Σ J_ij s_i s_j, overlaps and tempering swaps, bit for
 * bit; the bond sums equal a direct evaluation; kernels without couplings refuse them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CpuIsingSampler } from '../src/models/ising/cpu-sampler.ts';
import { GpuIsingSampler } from '../src/models/ising/gpu-sampler.ts';
import { seededCouplings, type Couplings } from '../src/models/ising/couplings.ts';
import type { IsingConfig } from '../src/models/ising/config.ts';
import type { IsingSampler, RunResult } from '../src/models/ising/sampler.ts';
import { temperingPlan } from '../src/studies/tempering/run.ts';
import { KERNEL_NAMES, KERNELS, type KernelChoice } from '../src/models/ising/kernels.ts';
import { testGpu } from './helpers/gpu.ts';

const made: IsingSampler[] = [];
afterAll(() => made.forEach((s) => s.destroy()));

async function pair(
  config: IsingConfig,
  kernel: KernelChoice = 'checkerboard-u32',
): Promise<[IsingSampler, IsingSampler]> {
  const gpu = await GpuIsingSampler.create(await testGpu(), config, { kernel });
  const cpu = new CpuIsingSampler(config);
  made.push(gpu, cpu);
  return [gpu, cpu];
}

/** Tempered runs of both samplers from the same state: every integer output equal. */
async function expectSameTemperedRun(gpu: IsingSampler, cpu: IsingSampler, sweeps: number): Promise<RunResult> {
  const plan = temperingPlan(cpu);
  const g = await gpu.run({ sweeps, tempering: plan });
  const r = await cpu.run({ sweeps, tempering: plan });
  for (const k of [
    'bonds',
    'magnetization',
    'overlap',
    'linkOverlap',
    'flips',
    'permutations',
    'swapAccepted',
  ] as const)
    expect(g[k], k).toEqual(r[k]);
  expect(await gpu.spins()).toEqual(await cpu.spins());
  return r;
}

const samples = (Lx: number, Ly: number, p: number, seed: number, n: number): Couplings[] =>
  Array.from({ length: n }, (_, s) => seededCouplings(Lx, Ly, p, seed, s));

/** Σ J_ij s_i s_j over right and down bonds, straight from the definition. */
function bondSum(spins: Int8Array, c: Couplings, offset: number): number {
  const { Lx, Ly, right, down } = c;
  let b = 0;
  for (let y = 0; y < Ly; y++) {
    for (let x = 0; x < Lx; x++) {
      const s = spins[offset + y * Lx + x];
      b += s * right[y * Lx + x] * spins[offset + y * Lx + ((x + 1) % Lx)];
      b += s * down[y * Lx + x] * spins[offset + ((y + 1) % Ly) * Lx + x];
    }
  }
  return b;
}

describe('±J couplings: GPU checkerboard-u32 equals the CPU reference', () => {
  const cases = [
    { name: '6x6, p = 0.5, 2 samples x 2 real replicas x 3 T', Lx: 6, Ly: 6, S: 2, n: 2, T: [0.8, 1.4, 2.5], seed: 3 },
    { name: '10x6, p = 0.5, 3 samples x 2 real replicas x 2 T', Lx: 10, Ly: 6, S: 3, n: 2, T: [1.1, 3], seed: 91 },
    {
      name: '16x16, p = 0.3, 1 sample x 3 real replicas x 2 T',
      Lx: 16,
      Ly: 16,
      S: 1,
      n: 3,
      T: [1.5, 1.6],
      seed: 5,
      p: 0.3,
    },
  ];
  for (const c of cases) {
    it(`${c.name}: lattices, bonds, overlaps, swaps`, async () => {
      const couplings = samples(c.Lx, c.Ly, c.p ?? 0.5, c.seed, c.S);
      const K = c.T.length;
      const config = { Lx: c.Lx, Ly: c.Ly, replicas: c.S * c.n * K, temperatures: c.T, seed: c.seed, couplings };
      const [gpu, cpu] = await pair(config);
      const r = await expectSameTemperedRun(gpu, cpu, 300);
      const spins = await cpu.spins();
      // The reported bond sum is Σ J_ij s_i s_j of the final lattices.
      const N = c.Lx * c.Ly;
      const last = (r.samples - 1) * config.replicas;
      for (let rep = 0; rep < config.replicas; rep++) {
        expect(r.bonds[last + rep]).toBe(bondSum(spins, couplings[Math.floor(rep / (c.n * K))], rep * N));
      }
      // Swaps happened and some overlaps are neither ±N (the test sees the pairing).
      expect(r.swapAccepted!.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      expect(r.overlap!.some((q) => Math.abs(q) !== N)).toBe(true);
    });
  }

  it('fixed slots, heat bath, measuring every 3rd sweep', async () => {
    const couplings = samples(8, 4, 0.5, 12, 2);
    const config = {
      Lx: 8,
      Ly: 4,
      replicas: 8,
      temperatures: [0.7, 1.9],
      slots: [1, 0, 0, 1, 0, 1, 1, 0],
      algorithm: 'heatbath' as const,
      seed: 12,
      couplings,
    };
    const [gpu, cpu] = await pair(config);
    const g = await gpu.run({ sweeps: 400, measureEvery: 3 });
    const r = await cpu.run({ sweeps: 400, measureEvery: 3 });
    expect(g.bonds).toEqual(r.bonds);
    expect(g.overlap).toEqual(r.overlap);
    expect(g.linkOverlap).toEqual(r.linkOverlap);
    expect(await gpu.spins()).toEqual(await cpu.spins());
  });

  it('a change of the number of temperatures mid-run moves the overlap partners on both backends alike', async () => {
    const config = { Lx: 6, Ly: 4, replicas: 8, temperatures: [1, 2], seed: 21, couplings: samples(6, 4, 0.5, 21, 1) };
    const [gpu, cpu] = await pair(config);
    await gpu.run({ sweeps: 20 });
    await cpu.run({ sweeps: 20 });
    const change = { temperatures: [0.9, 1.3, 1.8, 2.4], slots: [3, 2, 1, 0, 0, 1, 2, 3] };
    gpu.setParameters(change);
    cpu.setParameters(change);
    const g = await gpu.run({ sweeps: 50 });
    const r = await cpu.run({ sweeps: 50 });
    expect(g.overlap).toEqual(r.overlap);
    expect(g.bonds).toEqual(r.bonds);
  });

  it('p = 0 gives the ferromagnet exactly (lattices and bond sums of the sampler without couplings)', async () => {
    const couplings = samples(6, 6, 0, 4, 1);
    const base = { Lx: 6, Ly: 6, replicas: 2, temperatures: [2.2, 2.4], seed: 4 };
    const glass = new CpuIsingSampler({ ...base, couplings });
    const ferro = new CpuIsingSampler(base);
    const a = await glass.run({ sweeps: 200 });
    const b = await ferro.run({ sweeps: 200 });
    expect(a.bonds).toEqual(b.bonds);
    expect(await glass.spins()).toEqual(await ferro.spins());
  });

  const withBonds = KERNEL_NAMES.filter((k) => KERNELS[k].packCouplings);
  const without = KERNEL_NAMES.filter((k) => !KERNELS[k].packCouplings);

  it('kernels with bit-plane decisions refuse couplings (GPU and CPU twin); auto picks one with bond bits', async () => {
    expect(withBonds).toEqual(['checkerboard-u32', 'packed-u8', 'msc-4bit', 'msc-1bit']);
    const config = { Lx: 64, Ly: 8, replicas: 2, temperatures: [1.2], seed: 3, couplings: samples(64, 8, 0.5, 3, 2) };
    for (const kernel of without) {
      const err = await GpuIsingSampler.create(await testGpu(), config, { kernel }).catch((e) => e);
      expect(String(err.message)).toContain(`kernel ${kernel} has no ±J couplings`);
      expect(() => new CpuIsingSampler(config, { kernel })).toThrow(/has no ±J couplings/);
    }
    const [gpu, cpu] = await pair(config, 'auto');
    expect((gpu as GpuIsingSampler).kernel.name).toBe('msc-1bit');
    await expectSameTemperedRun(gpu, cpu, 40);
  });

  for (const kernel of withBonds.filter((k) => k !== 'checkerboard-u32')) {
    it(`${kernel}: the bond bits beside the spin words give the CPU's lattices, bonds and overlaps`, async () => {
      const Lx = Math.max(2 * KERNELS[kernel].lxMultiple, 16);
      const couplings = samples(Lx, 6, 0.5, 31, 2);
      const T = [0.9, 1.6];
      const config = { Lx, Ly: 6, replicas: 8, temperatures: T, seed: 31, couplings, algorithm: 'heatbath' as const };
      const [gpu, cpu] = await pair(config, kernel);
      await expectSameTemperedRun(gpu, cpu, 120);
    });
  }

  it('couplings with a cluster update are refused, naming the algorithm', () => {
    const couplings = samples(4, 4, 0.5, 1, 1);
    for (const algorithm of ['wolff', 'swendsen-wang'] as const)
      expect(() => new CpuIsingSampler({ Lx: 4, Ly: 4, temperatures: [1], couplings, algorithm })).toThrow(
        /algorithm with ±J couplings must be metropolis or heatbath/,
      );
  });

  it('couplings of another lattice or a sample count that does not divide the replicas are refused', () => {
    const c = samples(4, 4, 0.5, 1, 1);
    expect(() => new CpuIsingSampler({ Lx: 6, Ly: 6, temperatures: [1], couplings: c })).toThrow(/4x4 lattice/);
    const three = samples(4, 4, 0.5, 1, 3);
    expect(() => new CpuIsingSampler({ Lx: 4, Ly: 4, replicas: 4, temperatures: [1], couplings: three })).toThrow(
      /dividing 4 replicas/,
    );
  });
});
