/**
 * `ising bench`: spin updates per nanosecond of the GPU checkerboard kernel at several lattice
 * sizes, with the CPU reference measured in the same run for a side-by-side ratio.
 * Times are wall-clock over whole batches (submission to readback), warm-up excluded; the
 * median of the repeats is reported.
 */

import { CpuIsingSampler } from '../../models/ising/cpu-sampler.ts';
import { GpuIsingSampler } from '../../models/ising/gpu-sampler.ts';
import type { IsingSampler } from '../../models/ising/sampler.ts';
import type { FlagSpecs } from '../args.ts';
import { FLAGS, openCliDevice } from '../common.ts';

export const summary =
  'Throughput of the checkerboard Metropolis kernel (spin updates per ns) at each lattice size, and of the ' +
  'CPU reference in the same run. Sweeps per measurement grow until one measurement takes --min-seconds.';

export const flags: FlagSpecs = {
  L: { type: 'intList', even: true, min: 2, default: [64, 256, 1024], help: 'comma-separated lattice sides', metavar: 'L1,L2,...' },
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
  'output (--json): {"adapter","timing","results":[{"kernel","L","replicas","sweeps","flips_per_ns","wall_ms"}...],' +
  '"cpu_reference_flips_per_ns","gpu_over_cpu":[...]}';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median seconds per sweep of `sampler`, growing the sweep count until a run takes minSeconds. */
async function timeSweeps(
  sampler: IsingSampler,
  fixed: number | undefined,
  repeats: number,
  minSeconds: number,
): Promise<{ sweeps: number; secondsPerSweep: number }> {
  await sampler.run({ sweeps: 2, measureEvery: 0 }); // warm-up: pipelines, caches, first submission
  let sweeps = fixed ?? 1;
  const timeRun = async (): Promise<number> => {
    const t0 = performance.now();
    await sampler.run({ sweeps, measureEvery: 0 });
    return (performance.now() - t0) / 1000;
  };
  if (fixed === undefined) {
    for (let t = await timeRun(); t < minSeconds && sweeps < 1 << 20; t = await timeRun()) {
      sweeps *= Math.min(16, Math.max(2, Math.ceil(minSeconds / Math.max(t, 1e-3))));
    }
  }
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) times.push(await timeRun());
  return { sweeps, secondsPerSweep: median(times) / sweeps };
}

export async function bench(o: Record<string, unknown>): Promise<Record<string, unknown>> {
  const quiet = o.quiet === true;
  const R = o.replicas as number;
  const T = o.T as number;
  const repeats = o.repeats as number;
  const minSeconds = o['min-seconds'] as number;
  const fixed = o.sweeps as number | undefined;
  const log = (s: string): void => {
    if (!quiet) process.stderr.write(`ising bench: ${s}\n`);
  };
  const ctx = await openCliDevice(o.adapter, quiet);
  const results: Record<string, unknown>[] = [];
  for (const L of o.L as number[]) {
    const sampler = await GpuIsingSampler.create(ctx, { Lx: L, Ly: L, replicas: R, temperatures: [T], seed: o.seed as number });
    const { sweeps, secondsPerSweep } = await timeSweeps(sampler, fixed, repeats, minSeconds);
    sampler.destroy();
    const flipsPerNs = (L * L * R) / (secondsPerSweep * 1e9);
    results.push({ kernel: 'checkerboard-u32', L, replicas: R, sweeps, flips_per_ns: flipsPerNs, wall_ms: secondsPerSweep * sweeps * 1000 });
    log(`checkerboard-u32 L=${L} R=${R}: ${flipsPerNs.toPrecision(4)} flips/ns (${sweeps} sweeps)`);
  }
  const cpuL = o['cpu-L'] as number;
  const cpu = new CpuIsingSampler({ Lx: cpuL, Ly: cpuL, temperatures: [T], seed: o.seed as number });
  const c = await timeSweeps(cpu, fixed, repeats, minSeconds);
  const cpuFlipsPerNs = (cpuL * cpuL) / (c.secondsPerSweep * 1e9);
  log(`cpu reference L=${cpuL}: ${cpuFlipsPerNs.toPrecision(4)} flips/ns`);
  ctx.destroy();
  return {
    adapter: ctx.adapterName,
    adapter_description: ctx.info.description,
    software_adapter: ctx.isSoftware,
    timing: 'wall',
    temperature: T,
    results,
    cpu_reference: { L: cpuL, sweeps: c.sweeps, flips_per_ns: cpuFlipsPerNs },
    cpu_reference_flips_per_ns: cpuFlipsPerNs,
    gpu_over_cpu: results.map((r) => (r.flips_per_ns as number) / cpuFlipsPerNs),
  };
}
