/** `ising run`: Monte Carlo of R replicas at one temperature, with error bars. */

import { analyzeIsing, correlationLength, zeroFieldSusceptibility } from '../../analysis/index.ts';
import { CpuIsingSampler } from '../../models/ising/cpu-sampler.ts';
import { GpuIsingSampler } from '../../models/ising/gpu-sampler.ts';
import type { IsingSampler } from '../../models/ising/sampler.ts';
import { isingSlotSeries } from '../../studies/series.ts';
import { NO_CHECKPOINT, type Checkpointer } from '../../studies/checkpoint.ts';
import { samplerRunTask } from '../../studies/resumable-run.ts';
import { defineFlags, UsageError, type ParsedFlags } from '../args.ts';
import { CHECKPOINT_FLAGS } from '../checkpoint.ts';
import { FLAGS, openCliDevice, progressReporter, SAMPLER_FLAGS } from '../common.ts';

export const summary =
  'Checkerboard Monte Carlo of R independent L x L lattices at temperature T; prints e, |m|, m^2, m^4, ' +
  'c, chi and the Binder cumulant with error bars (binning and jackknife over all replicas).';

/**
 * Most samples (sweeps × replicas) one run keeps: every sample stays in memory for the error
 * analysis, about 80 bytes each in all (measured: 1e7 samples, 0.81 GB), so a run stays under 1 GB.
 */
const MAX_SAMPLES = 1e7;

export const flags = defineFlags({
  L: FLAGS.L,
  Ly: FLAGS.Ly,
  T: FLAGS.T,
  J: FLAGS.J,
  h: FLAGS.h,
  sweeps: {
    type: 'int',
    min: 2,
    max: 1e9,
    default: 100000,
    help: 'measured sweeps (one sample per sweep, a sweep of wolff being one cluster; at least 2 for error bars)',
  },
  thermalize: { type: 'int', min: 0, max: 1e9, default: 10000, help: 'sweeps discarded before measuring' },
  replicas: FLAGS.replicas,
  algorithm: FLAGS.algorithm,
  init: FLAGS.init,
  xi: {
    type: 'bool',
    help: 'also measure the second-moment correlation length xi (structure factor at the smallest wavevectors; L x L only)',
  },
  ...SAMPLER_FLAGS,
  ...CHECKPOINT_FLAGS,
});

export const output =
  'output (--json): {"L","T","h","sweeps","replicas","algorithm","backend","adapter","e":{"mean","err"},"m_abs",' +
  '"m2","m4","c","chi","binder","tau_int_e","acceptance","seconds","flips_per_ns", ...}; "binder" is null where ' +
  'U4 is 0/0 (every sample at m = 0); with a cluster algorithm ' +
  'at h = 0 also "chi_m2" and "chi_m2_improved" (chi = beta N <m^2>, from m and from the cluster sizes); with --xi ' +
  '"xi" and "xi_over_L" (second-moment correlation length, jackknife errors); with wolff ' +
  '"mean_cluster_size" (spins flipped per cluster) and "sweep_equivalents" (spins flipped per site and replica), ' +
  'and flips_per_ns counts the spins flipped';

export async function run(o: ParsedFlags<typeof flags>, checkpoint: Checkpointer = NO_CHECKPOINT) {
  const Lx = o.L;
  const Ly = o.Ly ?? Lx;
  const { T, J, h, replicas: R, sweeps, thermalize, quiet } = o;
  if (o.xi && Ly !== Lx) throw new UsageError(`--xi needs a square lattice (--Ly = --L), got ${Lx} x ${Ly}`);
  if (sweeps * R > MAX_SAMPLES) {
    throw new UsageError(
      `--sweeps x --replicas must be at most ${MAX_SAMPLES} (every sample is kept for the error analysis), got ${sweeps} x ${R}`,
    );
  }
  const config = { Lx, Ly, replicas: R, J, h, temperatures: [T], algorithm: o.algorithm, seed: o.seed, init: o.init };
  let adapter = 'cpu reference';
  let sampler: IsingSampler;
  let kernel: string | null = null;
  if (o.backend === 'gpu') {
    const ctx = await openCliDevice(o.adapter, quiet);
    adapter = ctx.adapterName;
    const gpu = await GpuIsingSampler.create(ctx, config, { kernel: o.kernel, structureFactor: o.xi });
    kernel = gpu.kernel.name;
    if (!quiet) process.stderr.write(`ising run: kernel ${kernel}${o.kernel === 'auto' ? ' (auto)' : ''}\n`);
    sampler = gpu;
  } else {
    sampler = new CpuIsingSampler(config, { kernel: o.kernel });
  }
  const N = Lx * Ly;
  const t0 = performance.now();
  const progress = progressReporter('ising run', !quiet);
  const total = thermalize + sweeps;
  const phases = [
    { sweeps: thermalize, measureEvery: 0 },
    { sweeps, measureEvery: 1, structureFactor: o.xi },
  ];
  const [warm, result] = await checkpoint.task('run', samplerRunTask(sampler, phases, { onProgress: progress }));
  const seconds = (performance.now() - t0) / 1000;
  sampler.destroy();

  // One slot per replica: each replica is its own chain at T.
  const series = isingSlotSeries(result, 1, { J, h, N })[0];
  const stats = analyzeIsing(series, { beta: 1 / T, N });
  const chi0 =
    series.clusterMoments && h === 0
      ? zeroFieldSusceptibility(series.magnetization, series.clusterMoments, 1 / T, N)
      : undefined;
  const xi = series.structureFactor ? correlationLength(series.magnetization, series.structureFactor, Lx) : undefined;
  const flips = result.flips.reduce((a, b) => a + b, 0);
  return {
    L: Lx,
    ...(Ly !== Lx ? { Ly } : {}),
    T,
    J,
    h,
    sweeps,
    thermalize,
    replicas: R,
    algorithm: config.algorithm,
    init: config.init,
    seed: config.seed,
    backend: o.backend,
    kernel,
    adapter,
    e: stats.e,
    m_abs: stats.m_abs,
    m2: stats.m2,
    m4: stats.m4,
    c: stats.c,
    chi: stats.chi,
    binder: stats.binder,
    tau_int_e: stats.tau_int_e,
    tau_int_m_abs: stats.tau_int_m_abs,
    blocks: stats.blocks,
    ...(chi0 ? { chi_m2: chi0.direct, chi_m2_improved: chi0.improved } : {}),
    ...(xi ? { xi: xi.xi, xi_over_L: xi.xi_over_L } : {}),
    acceptance: flips / (sweeps * N * R),
    ...(config.algorithm === 'wolff'
      ? { mean_cluster_size: flips / (sweeps * R), sweep_equivalents: flips / (N * R) }
      : {}),
    seconds,
    // Spin updates attempted per nanosecond of wall time (thermalisation included).
    // Wolff touches one cluster per sweep: there it is the spins flipped (work in sweep-equivalents).
    flips_per_ns:
      (config.algorithm === 'wolff' ? flips + warm.flips.reduce((a, b) => a + b, 0) : total * N * R) / (seconds * 1e9),
    timing: 'wall',
  };
}
