/**
 * The tempering benchmark of `ising bench`: spin updates per ns of replica-exchange runs (K
 * temperature slots × chains lattices, a measurement and an exchange dispatch after every sweep),
 * for each kernel, timed like the kernel rows (timestamps around each batch's pass where the adapter
 * has them). Exchanges are included in the time; the flips counted are the lattice updates.
 */

import type { GpuContext } from '../gpu/device.ts';
import { GpuLimitError } from '../gpu/errors.ts';
import { GpuIsingSampler } from '../models/ising/gpu-sampler.ts';
import type { KernelName } from '../models/ising/kernels.ts';
import { ParameterError } from '../params/errors.ts';
import { temperingPlan } from '../studies/tempering/run.ts';
import { geometricLadder } from '../tempering/ladder.ts';
import { timeGrowing } from './suite.ts';

export interface TemperBenchOptions {
  /** Lattice sides. */
  sizes: number[];
  /** Temperature slots per chain. */
  K: number;
  /** Chains (independent ladders): K·chains lattices in one sampler. */
  chains: number[];
  kernels: KernelName[];
  seed: number;
  sweeps?: number;
  repeats: number;
  minSeconds: number;
  log?: (line: string) => void;
}

/** Defaults: the grid on a GPU; on a software adapter the acceptance point (L = 32, K = 16, R = 8) and L = 16. */
export function temperDefaults(software: boolean): { sizes: number[]; K: number; chains: number[] } {
  return software ? { sizes: [16, 32], K: 16, chains: [8] } : { sizes: [16, 32, 64, 128], K: 32, chains: [8, 32, 128] };
}

/** One tempering row, or a skipped row when the kernel does not suit the lattice or device. */
async function benchOne(
  ctx: GpuContext,
  o: TemperBenchOptions,
  kernel: KernelName,
  L: number,
  chains: number,
): Promise<Record<string, unknown>> {
  const replicas = o.K * chains;
  const head = { kernel, L, K: o.K, chains, lattices: replicas };
  let sampler: GpuIsingSampler;
  try {
    const temperatures = geometricLadder(2.0, 2.6, o.K);
    sampler = await GpuIsingSampler.create(ctx, { Lx: L, Ly: L, replicas, temperatures, seed: o.seed }, { kernel });
  } catch (e) {
    if (!(e instanceof ParameterError || e instanceof GpuLimitError)) throw e;
    o.log?.(`tempering ${kernel} L=${L} chains=${chains}: skipped (${e.message})`);
    return { ...head, skipped: e.message };
  }
  const plan = temperingPlan(sampler, 1);
  const t = await timeGrowing(
    async (sweeps) => {
      const t0 = performance.now();
      const r = await sampler.run({ sweeps, tempering: plan, timing: true });
      return { gpu: r.gpuSeconds, wall: (performance.now() - t0) / 1000 };
    },
    o.sweeps,
    o.repeats,
    o.minSeconds,
  );
  sampler.destroy();
  const flipsPerNs = (L * L * replicas * t.sweeps) / ((t.gpu ?? t.wall) * 1e9);
  o.log?.(`tempering ${kernel.padEnd(16)} L=${L} K=${o.K} chains=${chains}: ${flipsPerNs.toPrecision(4)} flips/ns`);
  return {
    ...head,
    sweeps: t.sweeps,
    flips_per_ns: flipsPerNs,
    gpu_ms: t.gpu === undefined ? null : t.gpu * 1000,
    wall_ms: t.wall * 1000,
  };
}

/** All rows, with each kernel's speed-up over the first kernel listed (today's path) at the same point. */
export async function benchTempering(ctx: GpuContext, o: TemperBenchOptions): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (const L of o.sizes) {
    for (const chains of o.chains) {
      let first: number | undefined;
      for (const kernel of o.kernels) {
        const row = await benchOne(ctx, o, kernel, L, chains);
        const rate = row.flips_per_ns as number | undefined;
        if (kernel === o.kernels[0]) first = rate;
        rows.push({ ...row, speedup_vs_first: rate !== undefined && first !== undefined ? rate / first : null });
      }
    }
  }
  return rows;
}
