/**
 * IsingConfig.replicaBase: a batch that is a slice of a larger one (the disorder samples of one
 * shard) draws the larger batch's words for its replicas and chains, so it runs exactly that
 * slice: lattices, bond sums, overlaps and tempering swaps, on the CPU (per-site and bit-plane
 * decisions) and on the GPU kernels (each against its CPU twin).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CpuIsingSampler } from '../src/models/ising/cpu-sampler.ts';
import { GpuIsingSampler } from '../src/models/ising/gpu-sampler.ts';
import { seededCouplings } from '../src/models/ising/couplings.ts';
import type { IsingConfig } from '../src/models/ising/config.ts';
import type { IsingSampler, RunResult } from '../src/models/ising/sampler.ts';
import type { KernelName } from '../src/models/ising/kernels.ts';
import { temperingPlan } from '../src/studies/tempering/run.ts';
import { testGpu } from './helpers/gpu.ts';

const made: IsingSampler[] = [];
afterAll(() => made.forEach((s) => s.destroy()));

/** Samples × real replicas × K temperatures; the slice is samples [first, first + count). */
interface Layout {
  Lx: number;
  Ly: number;
  T: number[];
  n: number;
  seed: number;
  glass: boolean;
}

function config(l: Layout, first: number, count: number): IsingConfig {
  const per = l.n * l.T.length;
  const couplings = l.glass
    ? Array.from({ length: count }, (_, s) => seededCouplings(l.Lx, l.Ly, 0.5, l.seed, first + s))
    : undefined;
  const base = { Lx: l.Lx, Ly: l.Ly, temperatures: l.T, seed: l.seed, algorithm: 'heatbath' as const };
  return { ...base, replicas: count * per, replicaBase: first * per, ...(couplings ? { couplings } : {}) };
}

async function tempered(s: IsingSampler, sweeps: number): Promise<{ run: RunResult; spins: Int8Array }> {
  made.push(s);
  const run = await s.run({ sweeps, tempering: temperingPlan(s) });
  return { run, spins: await s.spins() };
}

/** The part of a full batch's run that belongs to replicas [from, from + R), renumbered from 0. */
function slice(full: { run: RunResult; spins: Int8Array }, from: number, R: number, N: number) {
  const { run } = full;
  const per = <T extends ArrayLike<number>>(x: T | undefined, shift = 0) =>
    x &&
    Array.from({ length: run.samples }, (_, k) =>
      Array.from(x).slice(k * run.replicas + from, k * run.replicas + from + R),
    )
      .flat()
      .map((v) => v - shift);
  return {
    bonds: per(run.bonds),
    magnetization: per(run.magnetization),
    overlap: per(run.overlap),
    permutations: per(run.permutations, from),
    spins: Array.from(full.spins.slice(from * N, (from + R) * N)),
  };
}

const swaps = (run: RunResult): number => run.swapAccepted!.reduce((a, b) => a + b, 0);

const own = ({ run, spins }: { run: RunResult; spins: Int8Array }) => ({
  bonds: Array.from(run.bonds),
  magnetization: Array.from(run.magnetization),
  overlap: run.overlap && Array.from(run.overlap),
  permutations: run.permutations && Array.from(run.permutations),
  spins: Array.from(spins),
});

describe('replicaBase: a slice of a batch runs exactly that slice', () => {
  const cases: { name: string; l: Layout; kernel?: KernelName }[] = [
    { name: '±J, per-site words, 6x6', l: { Lx: 6, Ly: 6, T: [1.3, 1.45, 1.6], n: 2, seed: 7, glass: true } },
    {
      name: 'ferromagnet, bit-plane words, 8x8',
      l: { Lx: 8, Ly: 8, T: [2.2, 2.35], n: 2, seed: 11, glass: false },
      kernel: 'msc-planes',
    },
  ];
  for (const c of cases) {
    it(`${c.name}: samples 1..2 of 0..3 on the CPU`, async () => {
      const N = c.l.Lx * c.l.Ly;
      const per = c.l.n * c.l.T.length;
      const full = await tempered(new CpuIsingSampler(config(c.l, 0, 4), { kernel: c.kernel }), 60);
      const part = await tempered(new CpuIsingSampler(config(c.l, 1, 2), { kernel: c.kernel }), 60);
      expect(own(part)).toEqual(slice(full, per, 2 * per, N));
      expect(swaps(part.run)).toBeGreaterThan(0); // the chains' words were used
    });
  }

  it('a base that is not whole chains, or numbers replicas beyond 2^32, is refused naming replicaBase', () => {
    const l = { Lx: 4, Ly: 4, T: [1, 2], n: 2, seed: 1, glass: true };
    expect(() => new CpuIsingSampler({ ...config(l, 1, 1), replicaBase: 3 })).toThrow(/replicaBase.*multiple of the 2/);
    expect(() => new CpuIsingSampler({ ...config(l, 1, 1), replicaBase: 2 ** 32 - 2 })).toThrow(/replicaBase/);
    const wolff = { Lx: 4, Ly: 4, temperatures: [2], replicaBase: 1, algorithm: 'wolff' as const };
    expect(() => new CpuIsingSampler(wolff)).toThrow(/replicaBase.*wolff/);
  });

  const gpuCases: { kernel: KernelName; l: Layout }[] = [
    { kernel: 'checkerboard-u32', l: { Lx: 6, Ly: 4, T: [1.5, 1.6], n: 2, seed: 5, glass: true } },
    { kernel: 'packed-u8', l: { Lx: 16, Ly: 4, T: [1.5, 1.6], n: 2, seed: 5, glass: true } },
    { kernel: 'msc-1bit', l: { Lx: 128, Ly: 4, T: [1.5, 1.6], n: 2, seed: 5, glass: true } },
    { kernel: 'msc-planes', l: { Lx: 64, Ly: 4, T: [2.3, 2.35], n: 2, seed: 5, glass: false } },
  ];
  for (const c of gpuCases) {
    it(`GPU ${c.kernel}: samples 2..3 with their base equal the CPU twin's`, async () => {
      const cfg = config(c.l, 2, 2);
      const gpu = await tempered(await GpuIsingSampler.create(await testGpu(), cfg, { kernel: c.kernel }), 30);
      const cpu = await tempered(new CpuIsingSampler(cfg, { kernel: c.kernel }), 30);
      expect(own(gpu)).toEqual(own(cpu));
      expect(Array.from(gpu.run.swapAccepted!)).toEqual(Array.from(cpu.run.swapAccepted!));
      expect(swaps(cpu.run)).toBeGreaterThan(0);
    });
  }
});
