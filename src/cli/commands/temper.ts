/** `ising temper`: parallel tempering on a temperature ladder, with ln Z by thermodynamic integration. */

import { MAX_LADDER_TEMPERATURES } from '../../tempering/ladder.ts';
import { MAX_SQUARE_L } from '../../models/ising/config.ts';
import { readLadderFile, type LadderSpec } from '../../studies/tempering/ladder.ts';
import { MIN_TEMPER_SWEEPS } from '../../studies/tempering/ladder-analysis.ts';
import { temperStudy, type TemperStudyResult } from '../../studies/tempering/study.ts';
import { NO_CHECKPOINT, type Checkpointer } from '../../studies/checkpoint.ts';
import { CHECKPOINT_FLAGS } from '../checkpoint.ts';
import { defineFlags, UsageError, type ParsedFlags } from '../args.ts';
import { FLAGS, openCliDevice, progressReporter, SAMPLER_FLAGS } from '../common.ts';

export const summary =
  'Parallel tempering (replica exchange) of K temperatures x R replicas of an L x L lattice in one sampler, ' +
  'exchanges on the device. Prints e, c, |m|, chi, Binder U4 per temperature, ln Z/N by thermodynamic ' +
  'integration from beta = 0 (through a high-temperature tail of extra slots), swap acceptance and round trips.';

/** The run flags of a tempering study (temper, glass): sweeps, thermalisation, exchanges, tail. */
export const TEMPERING_RUN_FLAGS = defineFlags({
  sweeps: {
    type: 'int',
    min: MIN_TEMPER_SWEEPS,
    max: 1e9,
    default: 20000,
    help: `measured sweeps (at least ${MIN_TEMPER_SWEEPS}: one per jackknife block of the reweighting)`,
  },
  thermalize: { type: 'int', min: 0, max: 1e9, default: 2000, help: 'sweeps discarded first (with exchanges)' },
  'exchange-every': { type: 'int', min: 1, max: 1e6, default: 1, help: 'sweeps between exchange attempts' },
  tail: {
    type: 'int',
    min: 0,
    max: 256,
    help: 'extra high-temperature slots for ln Z (default: enough for 4th-order accuracy; 0: no ln Z)',
  },
});

export const flags = defineFlags({
  L: { ...FLAGS.L, max: MAX_SQUARE_L },
  Tmin: { type: 'float', above: 0, required: true, help: 'lowest temperature of the ladder' },
  Tmax: { type: 'float', above: 0, required: true, help: 'highest temperature of the ladder' },
  K: {
    type: 'int',
    min: 2,
    max: MAX_LADDER_TEMPERATURES,
    required: true,
    help: 'number of temperatures (also read from a ladder file)',
  },
  ladder: {
    type: 'string',
    default: 'geometric',
    help: 'geometric, linear, adaptive (equal swap acceptance from pilot runs), or a file of temperatures',
    metavar: 'geometric|linear|adaptive|FILE',
  },
  'replicas-per-T': { type: 'int', min: 1, max: 4096, default: 1, help: 'independent ladders run together' },
  ...TEMPERING_RUN_FLAGS,
  J: FLAGS.J,
  algorithm: FLAGS.algorithm,
  xi: {
    type: 'bool',
    help: 'also report the second-moment correlation length xi and xi/L per temperature (structure factor)',
  },
  ...SAMPLER_FLAGS,
  ...CHECKPOINT_FLAGS,
});

export const output =
  'output (--json): {"L","temperatures":[...],"e":[{"mean","err"}...],"c":[...],"m_abs":[...],"chi":[...],"binder":[...],' +
  '"lnZ_per_site":[{"mean","err"}...],"swap_acceptance":[...K-1],"round_trips","adapter","seconds", ...}; ' +
  'a "binder" entry is null where U4 is 0/0 (every sample at m = 0)';

/** The flag checks temper and sweep share: a ladder going up, and a coupling. */
export function checkLadderFlags(o: { Tmin: number; Tmax: number; J: number }): void {
  if (!(o.Tmax > o.Tmin)) throw new UsageError(`--Tmax must be greater than --Tmin (${o.Tmin}), got ${o.Tmax}`);
  if (o.J === 0) throw new UsageError('--J must not be 0 for tempering (all temperatures would be the same)');
}

/** The ladder of --ladder: a spacing between --Tmin and --Tmax with --K temperatures, or a file's. */
export function ladderOfFlags(o: { ladder: string; Tmin: number; Tmax: number; K: number }): LadderSpec {
  const { ladder: kind, Tmin, Tmax, K } = o;
  if (kind === 'geometric' || kind === 'linear' || kind === 'adaptive') return { kind, Tmin, Tmax, K };
  return { kind: 'file', temperatures: readLadderFile(kind) };
}

export async function temper(
  o: ParsedFlags<typeof flags>,
  checkpoint: Checkpointer = NO_CHECKPOINT,
): Promise<TemperStudyResult> {
  checkLadderFlags(o);
  const ladder = ladderOfFlags(o);
  const ctx = o.backend === 'gpu' ? await openCliDevice(o.adapter, o.quiet) : undefined;
  try {
    return await temperStudy({
      L: o.L,
      ladder,
      replicasPerT: o['replicas-per-T'],
      sweeps: o.sweeps,
      thermalize: o.thermalize,
      exchangeEvery: o['exchange-every'],
      tail: o.tail,
      J: o.J,
      seed: o.seed,
      algorithm: o.algorithm,
      xi: o.xi,
      device: ctx && { ctx, kernel: o.kernel },
      cpuKernel: o.kernel,
      onProgress: progressReporter('ising temper', !o.quiet),
      log: o.quiet ? undefined : (m) => process.stderr.write(`ising temper: ${m}\n`),
      checkpoint,
    });
  } finally {
    ctx?.destroy();
  }
}
