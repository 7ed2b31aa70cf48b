/**
 * The kernel benchmark suite, shared by `ising bench` (Node) and the browser bench page: spin
 * updates per ns of each GPU kernel at each lattice size, read against ceilings measured in the
 * same run on the same device (copy bandwidth, Philox calls per ns) and against the CPU
 * reference. GPU time comes from timestamp queries around each batch's compute pass (many sweeps
 * per pass) where the adapter has them, wall time otherwise (labelled); warm-up is excluded and
 * the median of the repeats is reported.
 */

import type { GpuContext } from '../gpu/device.ts';
import { GpuLimitError } from '../gpu/errors.ts';
import { bufferCopyBandwidth, generatorRate, shaderCopyBandwidth } from '../gpu/microbench.ts';
import { CpuIsingSampler } from '../models/ising/cpu-sampler.ts';
import { GpuIsingSampler } from '../models/ising/gpu-sampler.ts';
import { KERNELS, type KernelName } from '../models/ising/kernels.ts';
import { opsPerFlip, PHILOX_OPS, simdWidth } from './ops-model.ts';
import type { IsingSampler } from '../models/ising/sampler.ts';
import { ParameterError } from '../params/errors.ts';

/** What to measure. */
export interface BenchOptions {
  kernels: KernelName[];
  /** Lattice sides (default: 64,256,1024 on a software adapter, 256,1024,4096,16384 on a GPU). */
  sizes?: number[];
  replicas: number;
  T: number;
  seed: number;
  /** Sweeps per measurement; grown until a measurement takes minSeconds when absent. */
  sweeps?: number;
  repeats: number;
  minSeconds: number;
  cpuL: number;
  /** Progress lines. */
  log?: (line: string) => void;
  /** Each kernel's result row as soon as it is measured (the browser's table fills as the suite runs). */
  onRow?: (row: Record<string, unknown>) => void;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export interface Timing {
  sweeps: number;
  /** Median seconds of one measurement: GPU (timestamps) and wall. */
  gpu?: number;
  wall: number;
}

/** One timed measurement of `sweeps` sweeps: wall seconds, and GPU seconds where timestamps exist. */
export type TimedRun = (sweeps: number) => Promise<{ gpu?: number; wall: number }>;

/**
 * Time `once` after a warm-up of 2 sweeps (pipelines, caches, first submission): `fixed` sweeps,
 * or a count grown until one measurement takes minSeconds; the median of `repeats` measurements.
 */
export async function timeGrowing(
  once: TimedRun,
  fixed: number | undefined,
  repeats: number,
  minSeconds: number,
): Promise<Timing> {
  await once(2);
  let sweeps = fixed ?? 1;
  if (fixed === undefined) {
    for (let t = (await once(sweeps)).wall; t < minSeconds && sweeps < 1 << 20; t = (await once(sweeps)).wall) {
      sweeps *= Math.min(16, Math.max(2, Math.ceil(minSeconds / Math.max(t, 1e-3))));
    }
  }
  const runs: { gpu?: number; wall: number }[] = [];
  for (let i = 0; i < repeats; i++) runs.push(await once(sweeps));
  const gpus = runs.map((r) => r.gpu).filter((g): g is number => g !== undefined && g > 0);
  return { sweeps, gpu: gpus.length === runs.length ? median(gpus) : undefined, wall: median(runs.map((r) => r.wall)) };
}

/** Time sweeps of an Ising sampler (timestamps where the adapter has them). */
function timeSweeps(
  sampler: IsingSampler,
  fixed: number | undefined,
  repeats: number,
  minSeconds: number,
): Promise<Timing> {
  return timeGrowing(
    async (sweeps) => {
      const t0 = performance.now();
      const r = await sampler.run({ sweeps, measureEvery: 0, timing: true });
      return { gpu: r.gpuSeconds, wall: (performance.now() - t0) / 1000 };
    },
    fixed,
    repeats,
    minSeconds,
  );
}

/**
 * One kernel at one size: its throughput row (or a skipped row when it does not fit), whether it
 * was wall-timed, and its flips/ns.
 */
async function benchKernel(
  ctx: GpuContext,
  o: BenchOptions,
  name: KernelName,
  L: number,
  ref: { copy: number; philoxPerNs: number; baseline?: number },
): Promise<{ row: Record<string, unknown>; wall: boolean; flipsPerNs?: number }> {
  const R = o.replicas;
  const kernel = KERNELS[name];
  let sampler: GpuIsingSampler;
  try {
    sampler = await GpuIsingSampler.create(
      ctx,
      { Lx: L, Ly: L, replicas: R, temperatures: [o.T], seed: o.seed },
      { kernel: name },
    );
  } catch (e) {
    if (e instanceof ParameterError || e instanceof GpuLimitError) {
      o.log?.(`${name} L=${L}: skipped (${(e as Error).message})`);
      return { row: { kernel: name, L, replicas: R, skipped: (e as Error).message }, wall: false };
    }
    throw e;
  }
  const t = await timeSweeps(sampler, o.sweeps, o.repeats, o.minSeconds);
  sampler.destroy();
  const seconds = t.gpu ?? t.wall;
  const flipsPerNs = (L * L * R * t.sweeps) / (seconds * 1e9);
  const baseline = name === 'checkerboard-u32' ? flipsPerNs : ref.baseline;
  const gbps = kernel.bytesPerFlip * flipsPerNs; // B/ns = GB/s
  const ops = opsPerFlip(name, simdWidth(ctx.isSoftware));
  const row = {
    kernel: name,
    L,
    replicas: R,
    sweeps: t.sweeps,
    flips_per_ns: flipsPerNs,
    gpu_ms: t.gpu === undefined ? null : t.gpu * 1000,
    wall_ms: t.wall * 1000,
    bytes_per_flip: kernel.bytesPerFlip,
    gbytes_per_s: gbps,
    fraction_of_copy_bandwidth: gbps / ref.copy,
    flips_per_philox_ns: flipsPerNs / (4 * ref.philoxPerNs),
    speedup_vs_baseline: baseline === undefined ? null : flipsPerNs / baseline,
    // The ops model (src/bench/ops-model.ts) and the integer-op rate it implies, against Philox's.
    ops_per_flip: ops,
    fraction_of_philox_ops: (flipsPerNs * ops.total) / (ref.philoxPerNs * PHILOX_OPS),
  };
  o.log?.(
    `${name.padEnd(16)} L=${L} R=${R}: ${flipsPerNs.toPrecision(4)} flips/ns (${t.sweeps} sweeps, ${t.gpu !== undefined ? 'timestamps' : 'wall'})`,
  );
  return { row, wall: t.gpu === undefined, flipsPerNs };
}

/** Run the suite on `ctx`; returns the JSON-ready report. */
export async function runBenchSuite(ctx: GpuContext, o: BenchOptions): Promise<Record<string, unknown>> {
  const log = o.log ?? (() => {});
  const sizes = o.sizes ?? (ctx.isSoftware ? [64, 256, 1024] : [256, 1024, 4096, 16384]);
  const copyBytes = ctx.isSoftware ? 32 << 20 : 1 << 30;
  const shaderCopy = await shaderCopyBandwidth(ctx, copyBytes);
  const copy = shaderCopy.gbPerS;
  const bufferCopy = await bufferCopyBandwidth(ctx, copyBytes);
  log(
    `copy bandwidth (read + write): ${copy.toPrecision(4)} GB/s by a shader (${shaderCopy.timing}), ${bufferCopy.toPrecision(4)} GB/s by copyBufferToBuffer (wall)`,
  );
  const philox = await generatorRate(ctx, 'philox', ctx.isSoftware ? 1 << 14 : 1 << 22);
  log(`Philox4x32-10 ${philox.perNs.toPrecision(4)} calls/ns (${philox.timing})`);
  // The same probe with Threefry-4x32-20 (adds, rotations, XORs): the generator decision's data.
  const threefry = await generatorRate(ctx, 'threefry', ctx.isSoftware ? 1 << 14 : 1 << 22);
  log(`Threefry-4x32-20 ${threefry.perNs.toPrecision(4)} calls/ns (${threefry.timing})`);

  const results: Record<string, unknown>[] = [];
  let timing: 'timestamp' | 'wall' = ctx.hasTimestamps ? 'timestamp' : 'wall';
  for (const L of sizes) {
    let baseline: number | undefined;
    for (const name of o.kernels) {
      const r = await benchKernel(ctx, o, name, L, { copy, philoxPerNs: philox.perNs, baseline });
      results.push(r.row);
      o.onRow?.(r.row);
      if (r.wall) timing = 'wall';
      if (name === 'checkerboard-u32' && r.flipsPerNs !== undefined) baseline = r.flipsPerNs;
    }
  }
  const cpuL = o.cpuL;
  const cpu = new CpuIsingSampler({ Lx: cpuL, Ly: cpuL, temperatures: [o.T], seed: o.seed });
  const c = await timeSweeps(cpu, o.sweeps, o.repeats, o.minSeconds);
  const cpuFlipsPerNs = (cpuL * cpuL * c.sweeps) / (c.wall * 1e9);
  log(`cpu reference L=${cpuL}: ${cpuFlipsPerNs.toPrecision(4)} flips/ns`);
  return {
    adapter: ctx.adapterName,
    adapter_description: ctx.info.description,
    software_adapter: ctx.isSoftware,
    timing,
    temperature: o.T,
    copy_gbytes_per_s: copy,
    copy_timing: shaderCopy.timing,
    copy_buffer_gbytes_per_s: bufferCopy,
    philox_per_ns: philox.perNs,
    philox_timing: philox.timing,
    threefry_per_ns: threefry.perNs,
    cpu_reference_flips_per_ns: cpuFlipsPerNs,
    cpu_reference: { L: cpuL, sweeps: c.sweeps, flips_per_ns: cpuFlipsPerNs, timing: 'wall' },
    results,
  };
}
