/** `ising bench`: the kernel benchmark suite of src/bench/suite.ts, from the command line. */

import { runBenchSuite } from '../../bench/suite.ts';
import { benchTempering, temperDefaults } from '../../bench/tempering.ts';
import { benchWeights } from '../../bench/weights.ts';
import { checkKernelFits, KERNEL_NAMES, kernelByName, type KernelName } from '../../models/ising/kernels.ts';
import { MAX_SQUARE_L } from '../../models/ising/config.ts';
import { MAX_CPU_SPINS } from '../../models/ising/cpu-sampler.ts';
import { checkLatticeFits } from '../../models/ising/gpu-sampler.ts';
import { defineFlags, UsageError, type ParsedFlags } from '../args.ts';
import { FLAGS, openCliDevice } from '../common.ts';

export const summary =
  "Throughput of the GPU kernels (spin updates per ns) at each lattice size, with the device's copy bandwidth, " +
  'its Philox rate and the CPU reference measured in the same run. Sweeps per measurement grow until one ' +
  'measurement takes --min-seconds. Default sizes: 64,256,1024 on a software adapter, 256,1024,4096,16384 on a GPU.';

export const flags = defineFlags({
  kernels: {
    type: 'string',
    default: 'all',
    help: `'all' or a comma-separated list of ${KERNEL_NAMES.join(', ')}`,
    metavar: 'all|k1,k2',
  },
  L: {
    type: 'intList',
    even: true,
    min: 2,
    max: MAX_SQUARE_L,
    help: 'comma-separated lattice sides',
    metavar: 'L1,L2,...',
  },
  replicas: FLAGS.replicas,
  T: { ...FLAGS.T, required: false, default: 2.269 },
  sweeps: { type: 'int', min: 1, max: 1e9, help: 'sweeps per measurement (default: grown until --min-seconds)' },
  repeats: { type: 'int', min: 1, max: 100, default: 3, help: 'measurements per size (median reported)' },
  'min-seconds': {
    type: 'float',
    above: 0,
    max: 60,
    default: 0.5,
    help: 'shortest measurement when sweeps are grown',
  },
  'cpu-L': {
    type: 'int',
    even: true,
    min: 2,
    max: Math.sqrt(MAX_CPU_SPINS),
    default: 64,
    help: 'lattice side of the CPU reference measurement',
  },
  seed: FLAGS.seed,
  adapter: FLAGS.adapter,
  quiet: FLAGS.quiet,
  'temper-L': {
    type: 'intList',
    even: true,
    min: 2,
    help: 'lattice sides of the tempering benchmark (default: 16,32 on a software adapter, 16,32,64,128 on a GPU)',
    metavar: 'L1,L2,...',
  },
  'temper-K': { type: 'int', min: 2, max: 256, help: 'temperature slots per chain (default 16 software, 32 GPU)' },
  'temper-chains': {
    type: 'intList',
    min: 1,
    help: 'chains (ladders) per run: K x chains lattices (default 8 software; 8,32,128 GPU)',
    metavar: 'R1,R2,...',
  },
  'temper-kernels': {
    type: 'string',
    default: 'checkerboard-u32,resident',
    help: "kernels of the tempering benchmark ('none' to skip; speed-ups are against the first)",
    metavar: 'k1,k2|none',
  },
  weights: {
    type: 'intList',
    min: 1,
    help: 'also time the perceptron weight-replica sampler: N (odd),P,R with R a multiple of 8 temperature slots (e.g. 101,202,64)',
    metavar: 'N,P,R',
  },
  json: FLAGS.json,
});

export const output =
  'output (--json): {"adapter","timing","copy_gbytes_per_s","philox_per_ns","cpu_reference_flips_per_ns",' +
  '"results":[{"kernel","L","replicas","flips_per_ns","gpu_ms","wall_ms","bytes_per_flip","gbytes_per_s",' +
  '"fraction_of_copy_bandwidth","speedup_vs_baseline","ops_per_flip":{"philox","neighbours","decision","total","philox_calls"},' +
  '"fraction_of_philox_ops"}...],"tempering"?:{"sizes","K","chains","rows":[{"kernel","L","K","chains","lattices",' +
  '"flips_per_ns","speedup_vs_first",...}]},"weights"?:{"N","P","replicas","K","gpu":{"weight_updates_per_ns",' +
  '"example_updates_per_ns","sweeps_per_s",...},"gpu_exchange":{...},"cpu_reference":{...},"gpu_vs_cpu","exchange_cost"}}';

/** Temperature slots per chain of the weights benchmark. */
const WEIGHTS_K = 8;

function parseWeights(xs: number[] | undefined): { N: number; P: number; R: number } | undefined {
  if (xs === undefined) return undefined;
  if (xs.length !== 3) throw new UsageError(`--weights must be three integers N,P,R, got ${xs.join(',')}`);
  const [N, P, R] = xs;
  if (N % 2 === 0) throw new UsageError(`--weights: N must be odd (the perceptron has no ties), got ${N}`);
  if (R % WEIGHTS_K !== 0)
    throw new UsageError(
      `--weights: R must be a multiple of ${WEIGHTS_K} (chains of ${WEIGHTS_K} temperature slots), got ${R}`,
    );
  return { N, P, R };
}

function parseKernels(spec: string, flag = '--kernels', all = 'all'): KernelName[] {
  if (spec === all) return all === 'all' ? [...KERNEL_NAMES] : [];
  return spec.split(',').map((n) => {
    const kernel = KERNEL_NAMES.find((k) => k === n);
    if (!kernel)
      throw new UsageError(
        `${flag} must be '${all}' or a comma-separated list of ${KERNEL_NAMES.join(', ')}, got '${n}'`,
      );
    return kernel;
  });
}

/**
 * Refuse --kernels and --L when no kernel suits any size (the run would only skip): by the kernels'
 * layouts, and once the device is open by its limits (`fits`).
 */
function checkSomethingRuns(
  kernels: readonly KernelName[],
  sizes: readonly number[] | undefined,
  fits: (kernel: KernelName, L: number) => void = (k, L) => checkKernelFits(kernelByName(k), L),
): void {
  if (!sizes) return;
  const reasons = kernels.flatMap((k) =>
    sizes.map((L) => {
      try {
        fits(k, L);
        return null;
      } catch (e) {
        return `${k} at L = ${L}: ${(e as Error).message}`;
      }
    }),
  );
  if (reasons.every((r) => r !== null)) throw new UsageError(`--L and --kernels: nothing could run (${reasons[0]})`);
}

export async function bench(o: ParsedFlags<typeof flags>) {
  const quiet = o.quiet;
  const kernels = parseKernels(o.kernels);
  const weights = parseWeights(o.weights);
  const temperKernels = parseKernels(o['temper-kernels'], '--temper-kernels', 'none');
  checkSomethingRuns(kernels, o.L);
  const ctx = await openCliDevice(o.adapter, quiet);
  try {
    checkSomethingRuns(kernels, o.L, (k, L) => {
      checkKernelFits(kernelByName(k), L);
      checkLatticeFits(ctx.device, L, L, o.replicas, kernelByName(k));
    });
    const log = (line: string): void => {
      if (!quiet) process.stderr.write(`ising bench: ${line}\n`);
    };
    const report = await runBenchSuite(ctx, {
      kernels,
      sizes: o.L,
      replicas: o.replicas,
      T: o.T,
      seed: o.seed,
      sweeps: o.sweeps,
      repeats: o.repeats,
      minSeconds: o['min-seconds'],
      cpuL: o['cpu-L'],
      log,
    });
    if (weights) {
      const o2 = {
        ...weights,
        K: WEIGHTS_K,
        seed: o.seed,
        repeats: o.repeats,
        minSeconds: o['min-seconds'],
        log,
      };
      report.weights = await benchWeights(ctx, o2);
    }
    if (temperKernels.length > 0) {
      const d = temperDefaults(ctx.isSoftware);
      const t = { sizes: o['temper-L'] ?? d.sizes, K: o['temper-K'] ?? d.K, chains: o['temper-chains'] ?? d.chains };
      const common = { seed: o.seed, sweeps: o.sweeps, repeats: o.repeats, minSeconds: o['min-seconds'], log };
      report.tempering = { ...t, rows: await benchTempering(ctx, { ...t, kernels: temperKernels, ...common }) };
    }
    return report;
  } finally {
    ctx.destroy();
  }
}
