/** `ising glass`: the Edwards–Anderson ±J spin glass, tempering per disorder sample and real replica. */

import { writeFileAtomic } from '../../io/files.ts';
import { MAX_LADDER_TEMPERATURES } from '../../tempering/ladder.ts';
import { couplingsJson, readCouplingsFile, seededCouplings, type Couplings } from '../../models/ising/couplings.ts';
import { plaquetteSigns } from '../../physics/glass-series.ts';
import { glassStudy, type GlassStudyResult } from '../../studies/glass/study.ts';
import { glassSweepAverage, type GlassFromResult } from '../../studies/scan/glass-jobs.ts';
import { checkSameSweep, dedupe, glassRecords, readRecords } from '../../studies/scan/records.ts';
import { NO_CHECKPOINT, type Checkpointer } from '../../studies/checkpoint.ts';
import { CHECKPOINT_FLAGS } from '../checkpoint.ts';
import { defineFlags, UsageError, type ParsedFlags } from '../args.ts';
import { checkOutput, FLAGS, openCliDevice, progressReporter, SAMPLER_FLAGS } from '../common.ts';
import { checkLadderFlags, ladderOfFlags, TEMPERING_RUN_FLAGS } from './temper.ts';

export const summary =
  'Edwards-Anderson +-J spin glass: disorder samples x real replicas x temperatures in one sampler, tempering ' +
  'within each replica. Per sample e, c, ln Z/N, <q^2>, <q^4>, link overlap <q_l>, P(q) per temperature and the ' +
  'lowest energy found; ' +
  'disorder averages with jackknife errors over samples, the Binder ratio g and chi_SG.';

const DEFAULT_SAMPLES = 8;
const DEFAULT_P = 0.5;

export const flags = defineFlags({
  L: FLAGS.L,
  Ly: FLAGS.Ly,
  p: {
    type: 'float',
    min: 0,
    max: 1,
    help: `fraction of antiferromagnetic bonds of seeded samples (default ${DEFAULT_P})`,
  },
  samples: { type: 'int', min: 1, max: 4096, help: `disorder samples (default ${DEFAULT_SAMPLES})` },
  'first-sample': {
    type: 'int',
    min: 0,
    max: 2 ** 32 - 4097,
    default: 0,
    help: 'index of the first seeded sample (a shard of a disorder average); it and --seed seed the Monte Carlo run',
  },
  couplings: { type: 'string', metavar: 'FILE', help: 'one sample from a JSON file {"Lx","Ly","right","down"}' },
  from: {
    type: 'string',
    metavar: 'FILE.jsonl',
    help: 'no run: the disorder average of size --L from the records of `ising sweep --p` (merged shards), as ising glass prints it; the other run flags come from the file',
  },
  'write-couplings': {
    type: 'string',
    metavar: 'FILE',
    help: 'write the couplings of seeded sample --first-sample to FILE (same format) and stop',
  },
  Tmin: { type: 'float', above: 0, default: 0.5, help: 'lowest temperature of the ladder' },
  Tmax: { type: 'float', above: 0, default: 3, help: 'highest temperature of the ladder' },
  K: { type: 'int', min: 2, max: MAX_LADDER_TEMPERATURES, default: 8, help: 'number of temperatures' },
  ladder: {
    type: 'string',
    default: 'geometric',
    help: 'geometric, linear, adaptive (equal swap acceptance from pilot runs), or a file of temperatures',
    metavar: 'geometric|linear|adaptive|FILE',
  },
  exact: { type: 'bool', help: 'also enumerate every sample (L*Ly <= 20) and print the exact values beside' },
  'real-replicas': { type: 'int', min: 2, max: 16, default: 2, help: 'independent tempering chains per sample' },
  ...TEMPERING_RUN_FLAGS,
  ...SAMPLER_FLAGS,
  ...CHECKPOINT_FLAGS,
});

export const output =
  'output (--json): {"Lx","Ly","p","temperatures":[...],"samples":[{"sample","frustrated_plaquettes","e":[{"mean","err"}...],' +
  '"c","lnZ_per_site","q2","q4","ql","p_q":[[N+1 bins]...],"p_q_err" (the error of each bin, jackknife over time blocks),"min_energy_found","exact" (--exact):{"e","c","lnZ_per_site","q2","ql","ground_state_energy"}}...],"average":{"e","c","lnZ_per_site","q2",' +
  '"q4","ql","g","chi_sg","f_std","p_q","min_energy_found"},"swap_acceptance":[...],"seconds", ...}; with --write-couplings: ' +
  '{"couplings_written","sample","Lx","Ly","p","frustrated_plaquettes"}; with --from: the same as a run without ' +
  '"swap_acceptance","pilots","backend","kernel","adapter","seconds", plus "from" and "jobs"';

/** What --write-couplings reports. */
export interface CouplingsWritten {
  couplings_written: string;
  sample: number;
  Lx: number;
  Ly: number;
  p: number;
  frustrated_plaquettes: number;
}

/** The ±J flags of `ising compare`: seeded couplings (one sample per replica) or a file's (all replicas). */
export const COUPLING_FLAGS = defineFlags({
  p: {
    type: 'float',
    min: 0,
    max: 1,
    help: '±J couplings: one seeded sample per replica with this fraction of antiferromagnetic bonds',
  },
  couplings: {
    type: 'string',
    metavar: 'FILE',
    help: '±J couplings of every replica from a coupling file (as ising glass)',
  },
});

/** The couplings of --p or --couplings (undefined: the ferromagnet). */
export function couplingsOfFlags(
  o: { p?: number; couplings?: string; seed: number; replicas: number },
  Lx: number,
  Ly: number,
): Couplings[] | undefined {
  if (o.p !== undefined && o.couplings !== undefined) throw new UsageError('give --p or --couplings, not both');
  if (o.p !== undefined) return Array.from({ length: o.replicas }, (_, s) => seededCouplings(Lx, Ly, o.p!, o.seed, s));
  if (o.couplings === undefined) return undefined;
  const c = readCouplingsFile(o.couplings);
  if (c.Lx !== Lx || c.Ly !== Ly)
    throw new UsageError(`--couplings ${o.couplings} is for a ${c.Lx}x${c.Ly} lattice, --L/--Ly give ${Lx}x${Ly}`);
  return [c];
}

export type GlassCommandResult = GlassStudyResult | CouplingsWritten | GlassFromResult;

const frustrated = (c: Couplings): number => plaquetteSigns(c).filter((e) => e < 0).length;

/** The coupling file of --couplings, checked against --L/--Ly and the flags it replaces. */
function fileCouplings(o: ParsedFlags<typeof flags>, Ly: number): Couplings | undefined {
  if (o.couplings === undefined) return undefined;
  for (const f of ['p', 'samples', 'write-couplings'] as const)
    if (o[f] !== undefined) throw new UsageError(`--${f} does not go with --couplings (one sample from the file)`);
  return couplingsOfFlags({ couplings: o.couplings, seed: o.seed, replicas: 1 }, o.L, Ly)![0];
}

/** --from: the disorder average of a disorder sweep's records of size --L. */
function fromSweep(o: ParsedFlags<typeof flags>, file: string): GlassFromResult {
  for (const f of ['p', 'samples', 'couplings', 'Ly', 'tail', 'checkpoint'] as const)
    if (o[f] !== undefined) throw new UsageError(`--${f} does not go with --from (the sweep's records hold the run)`);
  if (o.exact || o['first-sample'] !== 0)
    throw new UsageError("--exact and --first-sample do not go with --from (the sweep's records hold the run)");
  const read = readRecords(file, '--from');
  if (read.truncated !== null && !o.quiet)
    process.stderr.write(
      `ising glass: ${file}: skipped a truncated last line (an interrupted sweep; rerun its shard)\n`,
    );
  if (read.records.length === 0) throw new UsageError(`--from: no sweep records in ${file}`);
  checkSameSweep(read.records);
  const records = glassRecords(
    dedupe(read.records).unique.map((l) => l.record),
    '--from',
  );
  return glassSweepAverage(records, o.L, file);
}

export async function glass(
  o: ParsedFlags<typeof flags>,
  checkpoint: Checkpointer = NO_CHECKPOINT,
): Promise<GlassCommandResult> {
  const Ly = o.Ly ?? o.L;
  const p = o.p ?? DEFAULT_P;
  const out = o['write-couplings'];
  if (out !== undefined) {
    checkOutput('--write-couplings', out);
    const c = seededCouplings(o.L, Ly, p, o.seed, o['first-sample']);
    writeFileAtomic(out, couplingsJson(c));
    return { couplings_written: out, sample: o['first-sample'], Lx: o.L, Ly, p, frustrated_plaquettes: frustrated(c) };
  }
  if (o.from !== undefined) return fromSweep(o, o.from);
  const couplings = fileCouplings(o, Ly);
  checkLadderFlags({ ...o, J: 1 });
  const ladder = ladderOfFlags(o);
  const ctx = o.backend === 'gpu' ? await openCliDevice(o.adapter, o.quiet) : undefined;
  try {
    return await glassStudy({
      Lx: o.L,
      Ly,
      p,
      samples: o.samples ?? DEFAULT_SAMPLES,
      firstSample: o['first-sample'],
      couplings,
      ladder,
      realReplicas: o['real-replicas'],
      sweeps: o.sweeps,
      thermalize: o.thermalize,
      exchangeEvery: o['exchange-every'],
      tail: o.tail,
      seed: o.seed,
      exact: o.exact,
      device: ctx && { ctx, kernel: o.kernel },
      onProgress: progressReporter('ising glass', !o.quiet),
      log: o.quiet ? undefined : (m) => process.stderr.write(`ising glass: ${m}\n`),
      checkpoint,
    });
  } finally {
    ctx?.destroy();
  }
}
