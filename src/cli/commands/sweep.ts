/**
 * `ising sweep`: parallel tempering for every lattice size × seed index, as independent jobs that
 * can be split over machines (--shard i/n: SLURM array tasks, Kubernetes indexed jobs) and that
 * resume after a crash: each finished job is appended to --out as one JSON line, and a rerun
 * skips the jobs already there.
 *
 * Each job is one call of the tempering study (as `ising temper`), all on one GPU device opened
 * before the first job. With --p the sweep is a disorder average: each job is one disorder sample
 * of the glass study (as `ising glass`; studies/scan/glass-jobs.ts).
 */

import fs from 'node:fs';
import os from 'node:os';
import { checkKernelFits, kernelByName, KERNELS } from '../../models/ising/kernels.ts';
import { MAX_CPU_SPINS } from '../../models/ising/cpu-sampler.ts';
import { MAX_SQUARE_L } from '../../models/ising/config.ts';
import { checkClusterKernel } from '../../models/ising/cluster/gpu-cluster.ts';
import type { GpuContext } from '../../gpu/device.ts';
import { writeFileAtomic } from '../../io/files.ts';
import { lockFile } from '../../io/lock.ts';
import { CheckpointSession } from '../../studies/checkpoint.ts';
import { CHECKPOINT_FLAGS, onStopSignals } from '../checkpoint.ts';
import { temperStudy } from '../../studies/tempering/study.ts';
import type { LadderSpec } from '../../studies/tempering/ladder.ts';
import { defineFlags, UsageError, type FlagSpec, type ParsedFlags } from '../args.ts';
import { checkOutput, FLAGS, openCliDevice, progressReporter } from '../common.ts';
import { checkLadderFlags, ladderOfFlags, flags as temperFlags } from './temper.ts';
import {
  isGlassSweep,
  MAX_SWEEP_SEEDS,
  MAX_SWEEP_SIZES,
  parseShard,
  shardJobs,
  sweepJobs,
  type AnyJob,
  type AnySweepParams,
  type GlassJob,
  type GlassSweepParams,
  type Job,
  type Shard,
  type SweepParams,
} from '../../studies/scan/jobs.ts';
import { glassLadders } from '../../studies/glass/study.ts';
import { glassSweepLadder, runGlassJob } from '../../studies/scan/glass-jobs.ts';
import {
  dedupe,
  formatRecord,
  otherSweep,
  readRecords,
  type GlassRecord,
  type TemperRecord,
} from '../../studies/scan/records.ts';

export const summary =
  'Parallel tempering (as `ising temper`) for every size in --L and every seed index 0..seeds-1, as independent ' +
  "jobs in a fixed order: job index = (position of L in --L) * seeds + seed_index. Each job's temper seed is " +
  'the first 52 bits of SHA-256("ising-sweep:<seed>:<L>:<seed_index>"), whatever the shard. --shard i/n runs the jobs ' +
  'with index % n == i. Every finished job is appended to --out as one JSON line; a rerun skips the jobs already ' +
  'there (a truncated last line from a crash is dropped), so an interrupted sweep resumes. Give each shard its own --out.\n' +
  'With --p: a disorder average of the +-J spin glass (as `ising glass --seed <seed> --samples <samples>`), one job ' +
  'per size and disorder sample: job index = (position of L in --L) * samples + sample. Each job runs exactly what ' +
  "`ising glass` runs for that sample (same couplings, same Monte Carlo words) and its line holds that sample's entry " +
  'of the glass JSON; `ising merge` combines the shards and `ising glass --from <merged> --L <L>` prints the disorder ' +
  'average, equal to the unsharded `ising glass` run.';

const DEFAULT_SEEDS = 4;
const DEFAULT_SAMPLES = 8;
const DEFAULT_REAL_REPLICAS = 2;

/**
 * A ferromagnet-only flag without its default, which `sweepParams` fills in: so that a disorder
 * sweep (--p) can tell it was given, and refuse it.
 */
function withoutDefault<F extends FlagSpec>(spec: F): Omit<F, 'default'> {
  const { default: value, ...rest } = spec;
  return { ...rest, help: `${spec.help} (default ${String(value)}; not with --p)` };
}

export const flags = defineFlags({
  L: {
    type: 'intList',
    even: true,
    min: 2,
    max: MAX_SQUARE_L,
    required: true,
    metavar: 'L1,L2,...',
    help: 'lattice sides (even), comma-separated',
  },
  seeds: {
    type: 'int',
    min: 1,
    max: MAX_SWEEP_SEEDS,
    help: `independent runs per size (seed indices 0..seeds-1; default ${DEFAULT_SEEDS})`,
  },
  p: {
    type: 'float',
    min: 0,
    max: 1,
    help: 'a disorder sweep of the +-J glass with this fraction of antiferromagnetic bonds (as ising glass --p; --p 0 is a +-J run with ferromagnetic bonds)',
  },
  samples: {
    type: 'int',
    min: 1,
    max: MAX_SWEEP_SEEDS,
    help: `with --p: disorder samples per size (samples 0..samples-1; default ${DEFAULT_SAMPLES})`,
  },
  'real-replicas': {
    type: 'int',
    min: 2,
    max: 16,
    help: `with --p: independent tempering chains per sample (default ${DEFAULT_REAL_REPLICAS})`,
  },
  shard: { type: 'string', metavar: 'i/n', help: 'run only the jobs with index % n == i (0 <= i < n); default: all' },
  out: {
    type: 'string',
    required: true,
    metavar: 'FILE.jsonl',
    help: 'JSON Lines file the finished jobs are appended to (read first to resume)',
  },
  Tmin: temperFlags.Tmin,
  Tmax: temperFlags.Tmax,
  K: temperFlags.K,
  ladder: temperFlags.ladder,
  'replicas-per-T': withoutDefault(temperFlags['replicas-per-T']),
  sweeps: temperFlags.sweeps,
  thermalize: temperFlags.thermalize,
  'exchange-every': temperFlags['exchange-every'],
  tail: temperFlags.tail,
  J: withoutDefault(temperFlags.J),
  algorithm: withoutDefault(temperFlags.algorithm),
  xi: { ...temperFlags.xi, help: `${temperFlags.xi.help} (not with --p)` },
  seed: {
    ...temperFlags.seed,
    help: "master seed: each job's seed is derived from it, L and the seed index (with --p: ising glass's --seed, one for all jobs)",
  },
  backend: temperFlags.backend,
  kernel: temperFlags.kernel,
  adapter: temperFlags.adapter,
  'checkpoint-every': {
    ...CHECKPOINT_FLAGS['checkpoint-every'],
    help: 'seconds between checkpoints of the job in progress (in <out>.checkpoint; a rerun resumes it)',
  },
  quiet: FLAGS.quiet,
  json: temperFlags.json,
});

export const output =
  'each line of --out: {"job":{"index","L","seed_index","seed"},"params":{...},"result":{...ising temper JSON},' +
  '"meta":{"backend","kernel","adapter","seconds","host","finished"}}; with --p: {"job":{"index","L","sample"},' +
  '"params":{...},"result":{...that sample\'s entry of ising glass "samples"},"meta":{..., "swap_acceptance"}}\n' +
  'output (--json): {"out","jobs_total","shard","jobs_in_shard","already_done","ran","all_jobs_in_out","seconds"}';

type SweepFlags = ParsedFlags<typeof flags>;

/** The sweep parameters of the flags (validated here, so that no job fails on them later). */
function sweepParams(o: SweepFlags): AnySweepParams {
  const L = o.L;
  if (L.length > MAX_SWEEP_SIZES)
    throw new UsageError(`--L must list at most ${MAX_SWEEP_SIZES} sizes, got ${L.length}`);
  const dup = L.find((x, i) => L.indexOf(x) !== i);
  if (dup !== undefined) throw new UsageError(`--L lists ${dup} twice`);
  if (o.p !== undefined) return glassParams(o, o.p);
  for (const f of ['samples', 'real-replicas'] as const)
    if (o[f] !== undefined) throw new UsageError(`--${f} needs --p (a disorder sweep of the spin glass)`);
  return temperParams({
    ...o,
    seeds: o.seeds ?? DEFAULT_SEEDS,
    'replicas-per-T': o['replicas-per-T'] ?? temperFlags['replicas-per-T'].default,
    J: o.J ?? temperFlags.J.default,
    algorithm: o.algorithm ?? temperFlags.algorithm.default,
  });
}

/** The flags of a ferromagnet sweep, with the defaults of the flags `withoutDefault` took. */
type TemperSweepFlags = SweepFlags & Required<Pick<SweepFlags, 'seeds' | 'replicas-per-T' | 'J' | 'algorithm'>>;

function temperParams(o: TemperSweepFlags): SweepParams {
  const L = o.L;
  checkLadderFlags(o);
  if (o.backend === 'gpu' && o.kernel !== 'auto') {
    try {
      checkClusterKernel(o.algorithm, kernelByName(o.kernel));
    } catch (e) {
      throw new UsageError(`--algorithm ${o.algorithm} does not suit --kernel ${o.kernel}: ${(e as Error).message}`);
    }
    checkKernelSizes(o.kernel, L);
  }
  const ladder = ladderOfFlags(o);
  const K = ladder.kind === 'file' ? ladder.temperatures.length : o.K;
  checkCpuSpins(o, Math.max(...L) ** 2 * K * o['replicas-per-T'], 'L^2 x K x replicas-per-T');
  return {
    L: [...L],
    seeds: o.seeds,
    Tmin: o.Tmin,
    Tmax: o.Tmax,
    K,
    ladder: ladder.kind,
    ...(ladder.kind === 'file' ? { ladder_temperatures: ladder.temperatures } : {}),
    replicas_per_T: o['replicas-per-T'],
    sweeps: o.sweeps,
    thermalize: o.thermalize,
    exchange_every: o['exchange-every'],
    tail: o.tail ?? null,
    J: o.J,
    seed: o.seed,
    ...(o.algorithm !== 'metropolis' ? { algorithm: o.algorithm } : {}),
    ...(o.xi ? { xi: true } : {}),
  };
}

/** Every size in --L suits --kernel. */
function checkKernelSizes(kernel: string, L: readonly number[]): void {
  for (const side of L) {
    try {
      checkKernelFits(kernelByName(kernel), side);
    } catch (e) {
      throw new UsageError(`--L ${side} does not suit --kernel ${kernel}: ${(e as Error).message}`);
    }
  }
}

/** The CPU reference holds the lattices of a job. */
function checkCpuSpins(o: SweepFlags, spins: number, what: string): void {
  if (o.backend === 'cpu' && spins > MAX_CPU_SPINS)
    throw new UsageError(
      `--L ${Math.max(...o.L)} needs ${spins} spins (${what}), more than the CPU reference's ${MAX_CPU_SPINS}; use the GPU`,
    );
}

/** The parameters of a disorder sweep (--p): the flags of `ising glass`, one job per size and sample. */
function glassParams(o: SweepFlags, p: number): GlassSweepParams {
  for (const f of ['seeds', 'replicas-per-T', 'J', 'algorithm'] as const)
    if (o[f] !== undefined)
      throw new UsageError(`--${f} does not go with --p (a disorder sweep runs --samples disorder samples per size)`);
  if (o.xi) throw new UsageError('--xi does not go with --p (the spin-glass study measures overlaps, not xi)');
  if (o.ladder === 'adaptive')
    throw new UsageError(
      '--ladder adaptive does not go with --p: each job would re-space the ladder for its own sample (give geometric, linear or a file)',
    );
  const small = o.L.find((side) => side < 4);
  if (small !== undefined) throw new UsageError(`--L ${small} is too small for the spin glass (at least 4)`);
  if (o.backend === 'gpu' && o.kernel !== 'auto') {
    if (!KERNELS[kernelByName(o.kernel).name].packCouplings)
      throw new UsageError(
        `--kernel ${o.kernel} has no ±J couplings (use auto, checkerboard-u32, packed-u8, msc-4bit or msc-1bit)`,
      );
    checkKernelSizes(o.kernel, o.L);
  }
  checkLadderFlags({ ...o, J: 1 });
  const ladder = ladderOfFlags(o);
  const params: GlassSweepParams = {
    L: [...o.L],
    p,
    samples: o.samples ?? DEFAULT_SAMPLES,
    Tmin: o.Tmin,
    Tmax: o.Tmax,
    K: ladder.kind === 'file' ? ladder.temperatures.length : o.K,
    ladder: ladder.kind,
    ...(ladder.kind === 'file' ? { ladder_temperatures: ladder.temperatures } : {}),
    real_replicas: o['real-replicas'] ?? DEFAULT_REAL_REPLICAS,
    sweeps: o.sweeps,
    thermalize: o.thermalize,
    exchange_every: o['exchange-every'],
    tail: o.tail ?? null,
    seed: o.seed,
  };
  for (const side of o.L) {
    const slots = params.K + glassLadders(glassSweepLadder(params), side * side, o.tail).tail.length;
    const chains = params.real_replicas;
    if (params.samples * chains * slots > 2 ** 32)
      throw new UsageError(
        `--samples ${params.samples} x ${chains} chains x ${slots} slots numbers replicas beyond 2^32`,
      );
    checkCpuSpins(o, side * side * chains * slots, 'L^2 x real-replicas x slots with the tail');
  }
  return params;
}

/** Parse --shard. */
function shardOption(value: string | undefined): Shard | undefined {
  if (value === undefined) return undefined;
  const shard = parseShard(value);
  if (!shard) throw new UsageError(`--shard must be i/n with integers 0 <= i < n (e.g. 0/10), got '${value}'`);
  return shard;
}

/** The jobs already in --out (same sweep; a truncated last line is dropped), or a new empty file. */
function jobsDone(out: string, params: AnySweepParams, log: (msg: string) => void): Set<number> {
  const done = new Set<number>();
  if (!fs.existsSync(out)) {
    fs.writeFileSync(out, ''); // an empty shard still leaves its (empty) file for the merge
    return done;
  }
  const read = readRecords(out, '--out');
  const other = otherSweep(read.records, params);
  if (other) {
    throw new UsageError(
      `--out ${out} holds a different sweep (${other.where}: parameters differ in: ${other.keys.join(', ')}); ` +
        'give the same flags to resume it, or another --out file',
    );
  }
  for (const { record } of dedupe(read.records).unique) done.add(record.job.index);
  if (read.truncated !== null) {
    writeFileAtomic(out, read.completeText);
    log(`dropped a truncated last line (${read.truncated.length} bytes, from an interrupted run) from ${out}`);
  }
  return done;
}

/**
 * The checkpoint session of a job (file <out>.checkpoint): resumed when the file holds this job of
 * this sweep, new otherwise (a checkpoint of another job or sweep is left to be overwritten).
 */
function jobSession(job: AnyJob, params: AnySweepParams, o: SweepFlags, log: (m: string) => void): CheckpointSession {
  const file = `${o.out}.checkpoint`;
  const identity = { command: 'sweep', params: { ...params, job: job.index } };
  const every = o['checkpoint-every'];
  if (!fs.existsSync(file)) return CheckpointSession.open(file, identity, every, false);
  try {
    const session = CheckpointSession.open(file, identity, every, true);
    log(`job ${job.index}: resuming from ${file}`);
    return session;
  } catch (e) {
    log(`job ${job.index}: not resuming from ${file} (${(e as Error).message})`);
    return CheckpointSession.open(file, identity, every, false);
  }
}

/** Run one job (a tempering study, or one disorder sample's glass study) and append its record to --out. */
async function runJob(
  job: AnyJob,
  params: AnySweepParams,
  o: SweepFlags,
  ctx: GpuContext | undefined,
  session: CheckpointSession,
): Promise<void> {
  const host = { host: os.hostname() };
  if (isGlassSweep(params)) {
    const device = ctx && { ctx, kernel: o.kernel };
    const { result, meta } = await runGlassJob(job as GlassJob, params, device, session);
    const record: GlassRecord = { job: job as GlassJob, params, result, meta: { ...meta, ...host, finished: now() } };
    fs.appendFileSync(o.out, formatRecord(record));
  } else {
    await runTemperJob(job as Job, params, o, ctx, session);
  }
  fs.rmSync(session.file, { force: true });
}

const now = () => new Date().toISOString();

/** Run one job with the tempering study and append its record to --out. */
async function runTemperJob(
  job: Job,
  params: SweepParams,
  o: SweepFlags,
  ctx: GpuContext | undefined,
  session: CheckpointSession,
): Promise<void> {
  const ladder: LadderSpec = params.ladder_temperatures
    ? { kind: 'file', temperatures: params.ladder_temperatures }
    : {
        kind: o.ladder === 'linear' ? 'linear' : o.ladder === 'adaptive' ? 'adaptive' : 'geometric',
        Tmin: params.Tmin,
        Tmax: params.Tmax,
        K: params.K,
      };
  const { seconds, adapter, backend, kernel, ...result } = await temperStudy({
    L: job.L,
    ladder,
    replicasPerT: params.replicas_per_T,
    sweeps: params.sweeps,
    thermalize: params.thermalize,
    exchangeEvery: params.exchange_every,
    tail: params.tail ?? undefined,
    J: params.J,
    seed: job.seed,
    algorithm: params.algorithm,
    xi: params.xi,
    device: ctx && { ctx, kernel: o.kernel },
    cpuKernel: o.kernel,
    checkpoint: session,
  });
  const meta = { seconds, adapter, backend, kernel, host: os.hostname(), finished: now() };
  const record: TemperRecord = { job, params, result, meta };
  fs.appendFileSync(o.out, formatRecord(record));
}

export async function sweep(o: SweepFlags): Promise<SweepSummary> {
  const params = sweepParams(o);
  const shard = shardOption(o.shard);
  checkOutput('--out', o.out);
  const running: Running = { session: null };
  const release = lockOutput(o.out, running);
  try {
    return await runSweep(o, params, shard, running);
  } finally {
    release();
  }
}

/** The job in progress, which a stop signal asks to save and stop. */
interface Running {
  session: CheckpointSession | null;
}

/**
 * Hold the lock of --out while the sweep runs, so that two runs cannot append to one file. A
 * SIGTERM or SIGINT (a scheduler's stop, Ctrl-C) makes the job in progress save its state in
 * <out>.checkpoint and stop (exit 143, 130), so the rerun resumes inside it; between jobs it
 * releases the lock and exits at once.
 */
function lockOutput(out: string, running: Running): () => void {
  let unlock: () => void;
  try {
    unlock = lockFile(out);
  } catch (e) {
    throw new UsageError(`--out: ${(e as Error).message}`);
  }
  const stopHandlers = onStopSignals(
    () => running.session,
    (signal) => {
      unlock();
      process.stderr.write(`ising sweep: stopped by ${signal} between jobs; the finished jobs are in ${out}\n`);
    },
  );
  return () => {
    stopHandlers();
    unlock();
  };
}

async function runSweep(
  o: SweepFlags,
  params: AnySweepParams,
  shard: Shard | undefined,
  running: Running,
): Promise<SweepSummary> {
  const t0 = performance.now();
  const log = (msg: string) => {
    if (!o.quiet) process.stderr.write(`ising sweep: ${msg}\n`);
  };
  const jobs = sweepJobs(params);
  const mine = shardJobs(jobs, shard);
  const done = jobsDone(o.out, params, log);
  const todo = mine.filter((j) => !done.has(j.index));
  log(
    `${jobs.length} jobs (${params.L.length} sizes x ${isGlassSweep(params) ? `${params.samples} disorder samples` : `${params.seeds} seeds`})` +
      (shard ? `, shard ${shard.i}/${shard.n}: ${mine.length}` : '') +
      `; ${mine.length - todo.length} already in ${o.out}, ${todo.length} to run`,
  );
  const progress = progressReporter(`ising sweep${shard ? ` [shard ${shard.i}/${shard.n}]` : ''} jobs`, !o.quiet);
  const ctx = o.backend === 'gpu' && todo.length > 0 ? await openCliDevice(o.adapter, true) : undefined;
  let ran = 0;
  try {
    for (const job of todo) {
      running.session = jobSession(job, params, o, log);
      await runJob(job, params, o, ctx, running.session);
      running.session = null;
      // Let a pending SIGTERM/SIGINT run its handler: a CPU job never yields to the event loop.
      await new Promise((go) => setImmediate(go));
      ran++;
      progress(ran, todo.length);
    }
  } finally {
    ctx?.destroy();
  }
  return {
    out: o.out,
    jobs_total: jobs.length,
    shard: shard ? `${shard.i}/${shard.n}` : null,
    jobs_in_shard: mine.length,
    already_done: mine.length - todo.length,
    ran,
    all_jobs_in_out: done.size + ran === jobs.length,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** What `ising sweep` prints. */
export interface SweepSummary {
  out: string;
  jobs_total: number;
  shard: string | null;
  jobs_in_shard: number;
  already_done: number;
  ran: number;
  all_jobs_in_out: boolean;
  seconds: number;
}
