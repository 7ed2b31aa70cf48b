/**
 * Disorder sweeps (`ising sweep --p`): the job of disorder sample s runs the glass study of that
 * sample alone (first sample s, one sample). A glass study numbers a shard's replicas as in the
 * batch of all samples (IsingConfig.replicaBase) and seeds every run alike, so the job's result is
 * the "samples" entry s of `ising glass --seed <seed> --samples <samples>`, and the disorder
 * average of a sweep's records (`ising glass --from`) is that run's average, number for number.
 */

import type { GpuContext } from '../../gpu/device.ts';
import type { KernelChoice } from '../../models/ising/kernels.ts';
import type { Checkpointer } from '../checkpoint.ts';
import type { LadderSpec } from '../tempering/ladder.ts';
import { disorderAverage, type DisorderAverage } from '../glass/analysis.ts';
import { glassLadders, glassStudy, type GlassSampleResult, type GlassStudyResult } from '../glass/study.ts';
import type { GlassJob, GlassSweepParams } from './jobs.ts';
import { RecordError, type GlassRecord } from './records.ts';

/** The ladder of a disorder sweep (never adaptive: each job would re-space it for its own sample). */
export function glassSweepLadder(params: GlassSweepParams): LadderSpec {
  if (params.ladder_temperatures) return { kind: 'file', temperatures: params.ladder_temperatures };
  const kind = params.ladder === 'linear' ? 'linear' : 'geometric';
  return { kind, Tmin: params.Tmin, Tmax: params.Tmax, K: params.K };
}

/** The fields of a glass result that describe where and how fast it ran: they go to a record's `meta`. */
export type GlassRunMeta = Pick<GlassStudyResult, 'seconds' | 'adapter' | 'backend' | 'kernel' | 'swap_acceptance'>;

/** Run the job of one disorder sample: its "samples" entry of the `ising glass` JSON, and the run's meta. */
export async function runGlassJob(
  job: GlassJob,
  params: GlassSweepParams,
  device: { ctx: GpuContext; kernel: KernelChoice } | undefined,
  checkpoint: Checkpointer,
): Promise<{ result: GlassSampleResult; meta: GlassRunMeta }> {
  const r = await glassStudy({
    Lx: job.L,
    Ly: job.L,
    p: params.p,
    samples: 1,
    firstSample: job.sample,
    ladder: glassSweepLadder(params),
    realReplicas: params.real_replicas,
    sweeps: params.sweeps,
    thermalize: params.thermalize,
    exchangeEvery: params.exchange_every,
    tail: params.tail ?? undefined,
    seed: params.seed,
    device,
    checkpoint,
  });
  const { seconds, adapter, backend, kernel, swap_acceptance } = r;
  return { result: r.samples[0], meta: { seconds, adapter, backend, kernel, swap_acceptance } };
}

/** `ising glass --from`: the JSON of `ising glass` from a disorder sweep's records of one size. */
export type GlassFromResult = Omit<GlassStudyResult, keyof GlassRunMeta | 'pilots'> & {
  from: string;
  jobs: number;
};

/**
 * The disorder average of the records of size L (all samples 0 … samples − 1 must be there, in
 * job order as `dedupe` leaves them), as `ising glass` computes it from its samples.
 */
export function glassSweepAverage(records: readonly GlassRecord[], L: number, from: string): GlassFromResult {
  const params = records[0].params;
  if (!params.L.includes(L))
    throw new RecordError(`--L ${L} is not a size of the sweep in ${from} (sizes ${params.L.join(', ')})`);
  const mine = records.filter((r) => r.job.L === L).sort((a, b) => a.job.sample - b.job.sample);
  const have = new Set(mine.map((r) => r.job.sample));
  const missing = Array.from({ length: params.samples }, (_, s) => s).filter((s) => !have.has(s));
  if (missing.length > 0)
    throw new RecordError(
      `${from}: ${missing.length} of ${params.samples} samples of L=${L} missing (first: sample ${missing[0]}); ` +
        'run their shards and merge the files',
    );
  const N = L * L;
  const ladder = glassSweepLadder(params);
  const { user, tail } = glassLadders(ladder, N, params.tail ?? undefined);
  const samples = mine.map((r) => r.result);
  const layout = { samples: samples.length, realReplicas: params.real_replicas, user, tail, N, J: 1 };
  const average: DisorderAverage = disorderAverage(
    samples,
    samples.map((s) => s.min_energy_found),
    layout,
  );
  return {
    Lx: L,
    Ly: L,
    p: params.p,
    temperatures: user,
    samples,
    average,
    ladder: ladder.kind,
    tail_temperatures: tail,
    real_replicas: params.real_replicas,
    first_sample: 0,
    sweeps: params.sweeps,
    thermalize: params.thermalize,
    exchange_every: params.exchange_every,
    seed: params.seed,
    from,
    jobs: mine.length,
  };
}
