/**
 * What the spin-glass page advances: two real replicas of one ±J sample, each a tempering chain of
 * K temperatures from T up (replica exchange inside each chain after every sweep, single-spin
 * Metropolis; K = 1: Metropolis at T alone). The sampler measures each replica's overlap with its
 * partner (the other chain's replica at the same temperature) after every sweep. On the GPU
 * (GpuIsingSampler) or, without WebGPU, on the CPU reference in a Web Worker; both give the same
 * RunResult, spins and slots, so the page does not know which runs.
 */

import type { GpuContext } from '../../../gpu/device.ts';
import type { IsingConfig } from '../../../models/ising/config.ts';
import { disorderRunSeed, seededCouplings, type Couplings } from '../../../models/ising/couplings.ts';
import { GpuIsingSampler } from '../../../models/ising/gpu-sampler.ts';
import type { RunResult } from '../../../models/ising/sampler.ts';
import { WorkerChannel } from '../../shared/worker-channel.ts';
import { ChainSweeper } from './chains.ts';
import type { FromGlassWorker, ToGlassWorker } from './cpu-worker.ts';
import { glassLadder, type GlassParams } from './params.ts';

/** Fraction of antiferromagnetic bonds: the Edwards–Anderson ±J spin glass. */
export const GLASS_P = 0.5;

export interface GlassRunner {
  readonly kind: 'gpu' | 'cpu';
  readonly sweepsDone: number;
  /** `sweeps` sweeps of both chains, each measured (overlaps) and followed by an exchange attempt. */
  sweep(sweeps: number): Promise<RunResult>;
  /** The spins of all 2K replicas now (±1, replica-major). */
  spins(): Promise<Int8Array>;
  /** The temperature slot of each replica now. */
  slots(): readonly number[];
  /** A new ladder (same K) from the next sweep on. */
  setTemperatures(temperatures: number[]): Promise<void>;
}

/** The sample's couplings and the sampler configuration (the same on both backends). */
export function glassConfig({ L, T, K, seed, sample }: GlassParams): { couplings: Couplings; config: IsingConfig } {
  const couplings = seededCouplings(L, L, GLASS_P, seed, sample);
  const config: IsingConfig = {
    Lx: L,
    Ly: L,
    replicas: 2 * K,
    temperatures: glassLadder(T, K),
    seed: disorderRunSeed(seed),
    couplings: [couplings],
    // Sample s draws as in \`ising glass\`: its replicas follow those of samples 0…s−1.
    replicaBase: sample * 2 * K,
  };
  return { couplings, config };
}

export async function gpuGlass(ctx: GpuContext, config: IsingConfig): Promise<GlassRunner> {
  const sampler = await GpuIsingSampler.create(ctx, config, { kernel: 'checkerboard-u32' });
  const chains = new ChainSweeper(sampler);
  return {
    kind: 'gpu',
    get sweepsDone() {
      return sampler.sweepsDone;
    },
    sweep: (sweeps) => chains.sweep(sweeps),
    spins: () => sampler.spins(),
    slots: () => sampler.config.slots,
    setTemperatures: async (temperatures) => chains.setTemperatures(temperatures),
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
    slots: () => last?.slots ?? [],
    setTemperatures: async (temperatures) => {
      await channel.request({ type: 'temperatures', temperatures });
    },
  };
}
