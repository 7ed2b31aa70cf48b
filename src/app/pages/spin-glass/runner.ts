/**
 * What the spin-glass page advances: two real replicas of one ±J sample at one temperature
 * (single-spin Metropolis; the sampler measures their overlap after every sweep), on the GPU
 * (GpuIsingSampler) or, without WebGPU, on the CPU reference in a Web Worker. Both give the same
 * RunResult and spins, so the page does not know which runs.
 */

import type { GpuContext } from '../../../gpu/device.ts';
import type { IsingConfig } from '../../../models/ising/config.ts';
import { disorderRunSeed, seededCouplings, type Couplings } from '../../../models/ising/couplings.ts';
import { GpuIsingSampler } from '../../../models/ising/gpu-sampler.ts';
import type { RunResult } from '../../../models/ising/sampler.ts';
import { WorkerChannel } from '../../shared/worker-channel.ts';
import type { FromGlassWorker, ToGlassWorker } from './cpu-worker.ts';
import type { GlassParams } from './params.ts';

/** Fraction of antiferromagnetic bonds: the Edwards–Anderson ±J spin glass. */
export const GLASS_P = 0.5;

export interface GlassRunner {
  readonly kind: 'gpu' | 'cpu';
  readonly sweepsDone: number;
  /** `sweeps` sweeps of both replicas, each measured (overlap, link overlap). */
  sweep(sweeps: number): Promise<RunResult>;
  /** The spins of both replicas now (±1, replica-major). */
  spins(): Promise<Int8Array>;
  /** Both replicas to temperature T from the next sweep on. */
  setTemperature(T: number): Promise<void>;
}

/** The sample's couplings and the sampler configuration (the same on both backends). */
export function glassConfig({ L, T, seed, sample }: GlassParams): { couplings: Couplings; config: IsingConfig } {
  const couplings = seededCouplings(L, L, GLASS_P, seed, sample);
  const config: IsingConfig = {
    Lx: L,
    Ly: L,
    replicas: 2,
    temperatures: [T],
    seed: disorderRunSeed(seed, sample),
    couplings: [couplings],
  };
  return { couplings, config };
}

export async function gpuGlass(ctx: GpuContext, config: IsingConfig): Promise<GlassRunner> {
  const sampler = await GpuIsingSampler.create(ctx, config, { kernel: 'checkerboard-u32' });
  return {
    kind: 'gpu',
    get sweepsDone() {
      return sampler.sweepsDone;
    },
    sweep: (sweeps) => sampler.run({ sweeps, measureEvery: 1 }),
    spins: () => sampler.spins(),
    setTemperature: async (T) => sampler.setParameters({ temperatures: [T] }),
  };
}

export async function cpuGlass(config: IsingConfig): Promise<GlassRunner> {
  let last: FromGlassWorker | undefined;
  const channel = new WorkerChannel<ToGlassWorker, FromGlassWorker>(
    new Worker(new URL('./cpu-worker.ts', import.meta.url), { type: 'module' }),
    (reply) => (last = reply),
  );
  await channel.request({ type: 'init', config });
  return {
    kind: 'cpu',
    get sweepsDone() {
      return last?.sweepsDone ?? 0;
    },
    sweep: async (sweeps) => (await channel.request({ type: 'sweep', sweeps })).result,
    spins: async () => (last ? last.spins.slice() : new Int8Array(0)),
    setTemperature: async (T) => {
      await channel.request({ type: 'temperature', T });
    },
  };
}
