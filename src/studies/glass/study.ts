/**
 * The spin-glass study behind `ising glass`: the Edwards–Anderson ±J model on an Lx × Ly torus,
 * `samples` disorder samples (seeded couplings with a fraction p of antiferromagnetic bonds, or
 * one sample given), each with `realReplicas` independent tempering chains on one ladder (the
 * user's temperatures plus a high-temperature tail for ln Z). All samples × replicas × slots run in
 * one sampler (the batch dimension of the GPU). Per sample: e, c, ln Z/N, ⟨q²⟩, ⟨q⁴⟩ and the lowest
 * energy found; disorder averages with errors by the jackknife over samples.
 */

import type { GpuContext } from '../../gpu/device.ts';
import { ParameterError } from '../../params/errors.ts';
import { glassHighTemperatureLnZ, plaquetteSigns } from '../../physics/glass-series.ts';
import {
  MAX_GLASS_SITES,
  glassSpectrum,
  glassThermodynamics,
  groundStateEnergy,
} from '../../physics/glass-enumeration.ts';
import { CpuIsingSampler } from '../../models/ising/cpu-sampler.ts';
import { GpuIsingSampler } from '../../models/ising/gpu-sampler.ts';
import { disorderRunSeed, seededCouplings, type Couplings } from '../../models/ising/couplings.ts';
import type { IsingConfig } from '../../models/ising/config.ts';
import type { KernelChoice, KernelName } from '../../models/ising/kernels.ts';
import type { IsingSampler } from '../../models/ising/sampler.ts';
import { NO_CHECKPOINT, type Checkpointer } from '../checkpoint.ts';
import { samplerRunTask } from '../resumable-run.ts';
import { temperingPlan } from '../tempering/run.ts';
import { adaptLadder, initialLadder, tailLadder, type LadderSpec, type PilotRun } from '../tempering/ladder.ts';
import {
  analyseSamples,
  disorderAverage,
  lowestEnergies,
  type DisorderAverage,
  type GlassLayout,
  type GlassSampleObservables,
} from './analysis.ts';

export interface GlassStudyOptions {
  Lx: number;
  Ly: number;
  /** Fraction of antiferromagnetic bonds of seeded samples. */
  p: number;
  /** Number of seeded disorder samples (ignored with `couplings`). */
  samples: number;
  /** Index of the first seeded sample (a shard of a disorder average; default 0). */
  firstSample?: number;
  /** One given sample instead of seeded ones. */
  couplings?: Couplings;
  ladder: LadderSpec;
  /** Independent tempering chains per sample (≥ 2 for overlaps). */
  realReplicas: number;
  sweeps: number;
  thermalize: number;
  exchangeEvery: number;
  /** Tail slots for ln Z (undefined: as temper; 0: none, and no ln Z). */
  tail?: number;
  seed: number;
  /** Also enumerate every sample exactly (N ≤ MAX_GLASS_SITES) and report the exact values beside. */
  exact?: boolean;
  /** The device and its kernel (auto: the densest with bond bits that fits); undefined: the CPU reference. */
  device?: { ctx: GpuContext; kernel: KernelChoice };
  onProgress?: (done: number, total: number) => void;
  log?: (message: string) => void;
  checkpoint?: Checkpointer;
}

/** One disorder sample's results, per user temperature. */
export interface GlassSampleResult extends GlassSampleObservables {
  /** Disorder sample index (the couplings' Philox replica), or null for a given coupling file. */
  sample: number | null;
  /** Frustrated plaquettes (Π J around the plaquette = −1). */
  frustrated_plaquettes: number;
  /** The lowest energy per site seen by any replica of the sample (thermalisation included). */
  min_energy_found: number;
  /** With `exact`: the enumeration's values at the same temperatures, and the ground-state energy per site. */
  exact?: ExactSample;
}

export interface ExactSample {
  e: number[];
  c: number[];
  lnZ_per_site: number[];
  q2: number[];
  ql: number[];
  ground_state_energy: number;
}

/** The exact values of one sample at the user's temperatures. */
function exactSample(c: Couplings, temperatures: number[], J: number): ExactSample {
  const spec = glassSpectrum(c);
  const at = temperatures.map((T) => glassThermodynamics(spec, T, J));
  return {
    e: at.map((x) => x.e),
    c: at.map((x) => x.c),
    lnZ_per_site: at.map((x) => x.lnZPerSite),
    q2: at.map((x) => x.q2),
    ql: at.map((x) => x.ql),
    ground_state_energy: groundStateEnergy(spec, J),
  };
}

/** The study's result, field for field the JSON of `ising glass`. */
export interface GlassStudyResult {
  Lx: number;
  Ly: number;
  p: number | null;
  temperatures: number[];
  samples: GlassSampleResult[];
  average: DisorderAverage;
  swap_acceptance: number[];
  ladder: LadderSpec['kind'];
  pilots?: PilotRun[];
  tail_temperatures: number[];
  real_replicas: number;
  first_sample: number;
  sweeps: number;
  thermalize: number;
  exchange_every: number;
  seed: number;
  backend: 'gpu' | 'cpu';
  kernel: KernelName | null;
  adapter: string;
  seconds: number;
}

/** The coupling sets of the study: the given one, or seeded samples first … first + samples − 1. */
function disorderSamples(o: GlassStudyOptions): { couplings: Couplings[]; index: (number | null)[] } {
  if (o.couplings) return { couplings: [o.couplings], index: [null] };
  const first = o.firstSample ?? 0;
  const index = Array.from({ length: o.samples }, (_, s) => first + s);
  return { couplings: index.map((s) => seededCouplings(o.Lx, o.Ly, o.p, o.seed, s)), index };
}

/** The user's temperatures (before an adaptive ladder re-spaces them) and the tail for ln Z (`tail` 0: none). */
export function glassLadders(ladder: LadderSpec, N: number, tail?: number): { user: number[]; tail: number[] } {
  const user = initialLadder(ladder);
  return { user, tail: tail === 0 ? [] : tailLadder(user[user.length - 1], 1, N, tail) };
}

/** Most lattices of one sampler (resolveConfig's bound on replicas). */
const MAX_REPLICAS = 65535;

const frustrated = (c: Couplings): number => plaquetteSigns(c).filter((e) => e < 0).length;

export async function glassStudy(o: GlassStudyOptions): Promise<GlassStudyResult> {
  const need = (ok: boolean, parameter: string, message: string) => {
    if (!ok) throw new ParameterError(parameter, message);
  };
  need(o.Lx >= 4 && o.Ly >= 4, 'L', `--L and --Ly must be >= 4 for the spin glass, got ${o.Lx}x${o.Ly}`);
  need(o.realReplicas >= 2, 'real-replicas', `--real-replicas must be >= 2 for overlaps, got ${o.realReplicas}`);
  need(
    !o.exact || o.Lx * o.Ly <= MAX_GLASS_SITES,
    'exact',
    `--exact needs L*Ly <= ${MAX_GLASS_SITES} (it enumerates every state), got ${o.Lx * o.Ly}`,
  );
  const { couplings, index } = disorderSamples(o);
  const S = couplings.length;
  const N = o.Lx * o.Ly;
  const J = 1;
  let { user, tail } = glassLadders(o.ladder, N, o.tail);
  const replicas = S * o.realReplicas * (user.length + tail.length);
  need(
    replicas <= MAX_REPLICAS,
    'samples',
    `--samples x --real-replicas x slots (${S} x ${o.realReplicas} x ${user.length + tail.length} with the tail) = ` +
      `${replicas} lattices, more than the ${MAX_REPLICAS} one sampler runs; give fewer samples per run (--first-sample shards)`,
  );
  let kernel: KernelName | null = null;
  const first = o.firstSample ?? 0;
  const make = async (temperatures: number[], seed: number): Promise<IsingSampler> => {
    const perSample = o.realReplicas * temperatures.length;
    const replicas = S * perSample;
    // Sample s's replicas draw as in a batch of samples 0, 1, …: shards run exactly their samples' part of it.
    const replicaBase = first * perSample;
    const config: IsingConfig = { Lx: o.Lx, Ly: o.Ly, replicas, temperatures, J, seed, couplings, replicaBase };
    if (!o.device) return new CpuIsingSampler(config);
    const gpu = await GpuIsingSampler.create(o.device.ctx, config, { kernel: o.device.kernel });
    kernel = gpu.kernel.name;
    return gpu;
  };
  need(
    (first + S) * o.realReplicas * (user.length + tail.length) <= 2 ** 32,
    'first-sample',
    `--first-sample ${first} is too large: the replicas of the last sample would be numbered beyond 2^32`,
  );
  const runSeed = disorderRunSeed(o.seed);
  const t0 = performance.now();
  let pilots: PilotRun[] = [];
  if (o.ladder.kind === 'adaptive') {
    const pilot = { sweeps: o.sweeps, every: o.exchangeEvery, seed: runSeed };
    ({ temperatures: user, pilots } = await adaptLadder(user, pilot, make, o.log, o.checkpoint));
  }
  const ladder = [...user, ...tail];
  const sampler = await make(ladder, runSeed);
  const plan = temperingPlan(sampler, o.exchangeEvery);
  const task = samplerRunTask(
    sampler,
    [
      { sweeps: o.thermalize, tempering: plan },
      { sweeps: o.sweeps, tempering: plan },
    ],
    { onProgress: o.onProgress },
  );
  const [warm, run] = await (o.checkpoint ?? NO_CHECKPOINT).task('main run', task);
  sampler.destroy();
  const layout: GlassLayout = { samples: S, realReplicas: o.realReplicas, user, tail, N, J };
  const tailTop = ladder.length - 1;
  const starts = couplings.map((c) => glassHighTemperatureLnZ(1 / ladder[tailTop], J, c));
  const perSample = analyseSamples(run, layout, starts);
  const lowest = lowestEnergies([warm, run], layout);
  return {
    Lx: o.Lx,
    Ly: o.Ly,
    p: o.couplings ? null : o.p,
    temperatures: user,
    samples: perSample.map((s, i) => ({
      sample: index[i],
      frustrated_plaquettes: frustrated(couplings[i]),
      ...s,
      min_energy_found: lowest[i],
      ...(o.exact ? { exact: exactSample(couplings[i], user, J) } : {}),
    })),
    average: disorderAverage(perSample, lowest, layout),
    swap_acceptance: Array.from(run.swapAccepted!, (a, k) => a / Math.max(1, run.swapAttempted![k])).slice(
      0,
      user.length - 1,
    ),
    ladder: o.ladder.kind,
    ...(pilots.length > 0 ? { pilots } : {}),
    tail_temperatures: tail,
    real_replicas: o.realReplicas,
    first_sample: first,
    sweeps: o.sweeps,
    thermalize: o.thermalize,
    exchange_every: o.exchangeEvery,
    seed: o.seed,
    backend: o.device ? 'gpu' : 'cpu',
    kernel,
    adapter: o.device ? o.device.ctx.adapterName : 'cpu reference',
    seconds: (performance.now() - t0) / 1000,
  };
}
