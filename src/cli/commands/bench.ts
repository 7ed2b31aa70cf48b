/**
 * `ising bench`: spin updates per ns of each GPU kernel at each lattice size, read against
 * ceilings measured in the same run on the same device (copy bandwidth, Philox calls per ns) and
 * against the CPU reference. GPU time comes from timestamp queries around each batch's compute
 * pass (many sweeps per pass) where the adapter has them, wall time otherwise (labelled);
 * warm-up is excluded and the median of the repeats is reported.
 */

import { GpuLimitError } from '../../gpu/errors.ts';
import { bufferCopyBandwidth, philoxRate, shaderCopyBandwidth } from '../../gpu/microbench.ts';
import { CpuIsingSampler } from '../../models/ising/cpu-sampler.ts';
import { GpuIsingSampler } from '../../models/ising/gpu-sampler.ts';
import { KERNEL_NAMES, KERNELS, type KernelName } from '../../models/ising/kernels.ts';
import type { IsingSampler } from '../../models/ising/sampler.ts';
import { ParameterError } from '../../models/ising/spec.ts';
import { UsageError, type FlagSpecs } from '../args.ts';
import { FLAGS, openCliDevice } from '../common.ts';

export const summary =
  'Throughput of the GPU kernels (spin updates per ns) at each lattice size, with the device\'s copy bandwidth, ' +
  'its Philox rate and the CPU reference measured in the same run. Sweeps per measurement grow until one ' +
  'measurement takes --min-seconds. Default sizes: 64,256,1024 on a software adapter, 256,1024,4096,16384 on a GPU.';

export const flags: FlagSpecs = {
  kernels: { type: 'string', default: 'all', help: `'all' or a comma-separated list of ${KERNEL_NAMES.join(', ')}`, metavar: 'all|k1,k2' },
  L: { type: 'intList', even: true, min: 2, help: 'comma-separated lattice sides', metavar: 'L1,L2,...' },
  replicas: FLAGS.replicas,
  T: { ...FLAGS.T, required: false, default: 2.269 },
  sweeps: { type: 'int', min: 1, max: 1e9, help: 'sweeps per measurement (default: grown until --min-seconds)' },
  repeats: { type: 'int', min: 1, max: 100, default: 3, help: 'measurements per size (median reported)' },
  'min-seconds': { type: 'float', above: 0, default: 0.5, help: 'shortest measurement when sweeps are grown' },
  'cpu-L': { type: 'int', even: true, min: 2, default: 64, help: 'lattice side of the CPU reference measurement' },
  seed: FLAGS.seed,
  adapter: FLAGS.adapter,
  quiet: { type: 'bool', help: 'no progress on stderr' },
  json: FLAGS.json,
};

export const output =
  'output (--json): {"adapter","timing","copy_gbytes_per_s","philox_per_ns","cpu_reference_flips_per_ns",' +
  '"results":[{"kernel","L","replicas","flips_per_ns","gpu_ms","wall_ms","bytes_per_flip","gbytes_per_s",' +
  '"fraction_of_copy_bandwidth","speedup_vs_baseline"}...]}';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Timing {
  sweeps: number;
  /** Median seconds of one measurement: GPU (timestamps) and wall. */
  gpu?: number;
  wall: number;
}

/** Time `sweeps` sweeps of `sampler`, growing the count until a measurement takes minSeconds. */
async function timeSweeps(sampler: IsingSampler, fixed: number | undefined, repeats: number, minSeconds: number): Promise<Timing> {
  await sampler.run({ sweeps: 2, measureEvery: 0 }); // warm-up: pipelines, caches, first submission
  let sweeps = fixed ?? 1;
  const once = async (): Promise<{ gpu?: number; wall: number }> => {
    const t0 = performance.now();
    const r = await sampler.run({ sweeps, measureEvery: 0, timing: true });
    return { gpu: r.gpuSeconds, wall: (performance.now() - t0) / 1000 };
  };
  if (fixed === undefined) {
    for (let t = (await once()).wall; t < minSeconds && sweeps < 1 << 20; t = (await once()).wall) {
      sweeps *= Math.min(16, Math.max(2, Math.ceil(minSeconds / Math.max(t, 1e-3))));
    }
  }
  const runs: { gpu?: number; wall: number }[] = [];
  for (let i = 0; i < repeats; i++) runs.push(await once());
  const gpus = runs.map((r) => r.gpu).filter((g): g is number => g !== undefined && g > 0);
  return { sweeps, gpu: gpus.length === runs.length ? median(gpus) : undefined, wall: median(runs.map((r) => r.wall)) };
}

function parseKernels(spec: string): KernelName[] {
  if (spec === 'all') return [...KERNEL_NAMES];
  const names = spec.split(',');
  for (const n of names) {
    if (!(KERNEL_NAMES as readonly string[]).includes(n)) {
      throw new UsageError(`--kernels must be 'all' or a comma-separated list of ${KERNEL_NAMES.join(', ')}, got '${n}'`);
    }
  }
  return names as KernelName[];
}

export async function bench(o: Record<string, unknown>): Promise<Record<string, unknown>> {
  const quiet = o.quiet === true;
  const kernels = parseKernels(o.kernels as string);
  const R = o.replicas as number;
  const T = o.T as number;
  const repeats = o.repeats as number;
  const minSeconds = o['min-seconds'] as number;
  const fixed = o.sweeps as number | undefined;
  const log = (s: string): void => {
    if (!quiet) process.stderr.write(`ising bench: ${s}\n`);
  };
  const ctx = await openCliDevice(o.adapter, quiet);
  const sizes = (o.L as number[] | undefined) ?? (ctx.isSoftware ? [64, 256, 1024] : [256, 1024, 4096, 16384]);

  const copyBytes = ctx.isSoftware ? 32 << 20 : 1 << 30;
  const shaderCopy = await shaderCopyBandwidth(ctx, copyBytes);
  const copy = shaderCopy.gbPerS;
  const bufferCopy = await bufferCopyBandwidth(ctx, copyBytes);
  log(`copy bandwidth (read + write): ${copy.toPrecision(4)} GB/s by a shader (${shaderCopy.timing}), ${bufferCopy.toPrecision(4)} GB/s by copyBufferToBuffer (wall)`);
  const philox = await philoxRate(ctx, ctx.isSoftware ? 1 << 14 : 1 << 22);
  log(`Philox4x32-10 ${philox.perNs.toPrecision(4)} calls/ns (${philox.timing})`);

  const results: Record<string, unknown>[] = [];
  let timing: 'timestamp' | 'wall' = ctx.hasTimestamps ? 'timestamp' : 'wall';
  for (const L of sizes) {
    let baseline: number | undefined;
    for (const name of kernels) {
      const kernel = KERNELS[name];
      let sampler: GpuIsingSampler;
      try {
        sampler = await GpuIsingSampler.create(ctx, { Lx: L, Ly: L, replicas: R, temperatures: [T], seed: o.seed as number }, { kernel: name });
      } catch (e) {
        if (e instanceof ParameterError || e instanceof GpuLimitError) {
          results.push({ kernel: name, L, replicas: R, skipped: (e as Error).message });
          log(`${name} L=${L}: skipped (${(e as Error).message})`);
          continue;
        }
        throw e;
      }
      const t = await timeSweeps(sampler, fixed, repeats, minSeconds);
      sampler.destroy();
      if (t.gpu === undefined) timing = 'wall';
      const seconds = t.gpu ?? t.wall;
      const flipsPerNs = (L * L * R * t.sweeps) / (seconds * 1e9);
      if (name === 'checkerboard-u32') baseline = flipsPerNs;
      const gbps = kernel.bytesPerFlip * flipsPerNs; // B/ns = GB/s
      results.push({
        kernel: name,
        L,
        replicas: R,
        sweeps: t.sweeps,
        flips_per_ns: flipsPerNs,
        gpu_ms: t.gpu === undefined ? null : t.gpu * 1000,
        wall_ms: t.wall * 1000,
        bytes_per_flip: kernel.bytesPerFlip,
        gbytes_per_s: gbps,
        fraction_of_copy_bandwidth: gbps / copy,
        flips_per_philox_ns: flipsPerNs / (4 * philox.perNs),
        speedup_vs_baseline: baseline === undefined ? null : flipsPerNs / baseline,
      });
      log(`${name.padEnd(16)} L=${L} R=${R}: ${flipsPerNs.toPrecision(4)} flips/ns (${t.sweeps} sweeps, ${t.gpu !== undefined ? 'timestamps' : 'wall'})`);
    }
  }
  const cpuL = o['cpu-L'] as number;
  const cpu = new CpuIsingSampler({ Lx: cpuL, Ly: cpuL, temperatures: [T], seed: o.seed as number });
  const c = await timeSweeps(cpu, fixed, repeats, minSeconds);
  const cpuFlipsPerNs = (cpuL * cpuL * c.sweeps) / (c.wall * 1e9);
  log(`cpu reference L=${cpuL}: ${cpuFlipsPerNs.toPrecision(4)} flips/ns`);
  ctx.destroy();
  return {
    adapter: ctx.adapterName,
    adapter_description: ctx.info.description,
    software_adapter: ctx.isSoftware,
    timing,
    temperature: T,
    copy_gbytes_per_s: copy,
    copy_timing: shaderCopy.timing,
    copy_buffer_gbytes_per_s: bufferCopy,
    philox_per_ns: philox.perNs,
    philox_timing: philox.timing,
    cpu_reference_flips_per_ns: cpuFlipsPerNs,
    cpu_reference: { L: cpuL, sweeps: c.sweeps, flips_per_ns: cpuFlipsPerNs, timing: 'wall' },
    results,
  };
}
