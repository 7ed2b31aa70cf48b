/**
 * The tempering study behind `ising temper` and `ising sweep`: parallel tempering of an L × L
 * lattice on a temperature ladder (plus a high-temperature tail), then ln Z/N by thermodynamic
 * integration and by the multiple histogram, curves reweighted between the ladder points and the
 * specific-heat peak. Typed options in, a typed (JSON-ready) result out; the caller opens the device.
 */

import type { GpuContext } from '../../gpu/device.ts';
import { checkParameter } from '../../params/errors.ts';
import { correlationLength, type Estimate } from '../../analysis/index.ts';
import { CpuIsingSampler } from '../../models/ising/cpu-sampler.ts';
import { MAX_SQUARE_L } from '../../models/ising/config.ts';
import { GpuIsingSampler } from '../../models/ising/gpu-sampler.ts';
import type { Algorithm } from '../../models/ising/config.ts';
import type { KernelChoice, KernelName } from '../../models/ising/kernels.ts';
import type { IsingSampler } from '../../models/ising/sampler.ts';
import { adaptLadder, initialLadder, tailLadder, type LadderSpec, type PilotRun } from './ladder.ts';
import { runTempering } from './run.ts';
import type { IsingSlotSeries } from '../series.ts';
import type { Checkpointer } from '../checkpoint.ts';
import { MIN_TEMPER_SWEEPS, temperAnalysis, type ReweightedRow } from './ladder-analysis.ts';

export interface TemperStudyOptions {
  L: number;
  ladder: LadderSpec;
  replicasPerT: number;
  sweeps: number;
  thermalize: number;
  exchangeEvery: number;
  /** Tail slots for ln Z (undefined: enough for 4th-order accuracy; 0: none, and no ln Z). */
  tail?: number;
  J: number;
  seed: number;
  /** Update between exchanges (default metropolis). */
  algorithm?: Algorithm;
  /** Also report the second-moment correlation length per temperature (xi, xi_over_L). */
  xi?: boolean;
  /** The device for the GPU sampler and its kernel (or auto); undefined: the CPU reference. */
  device?: { ctx: GpuContext; kernel: KernelChoice };
  /** The CPU reference follows this kernel's random mapping (default: per site). */
  cpuKernel?: KernelChoice;
  onProgress?: (done: number, total: number) => void;
  /** One line per pilot run of an adaptive ladder. */
  log?: (message: string) => void;
  /** Saves the pilots' and the main run's progress (--checkpoint). */
  checkpoint?: Checkpointer;
}

/** The study's result, field for field the JSON of `ising temper`. */
export interface TemperStudyResult {
  L: number;
  temperatures: number[];
  e: Estimate[];
  c: Estimate[];
  m_abs: Estimate[];
  m2: Estimate[];
  m4: Estimate[];
  chi: Estimate[];
  /** null where U₄ is 0/0 (every sample at m = 0). */
  binder: (Estimate | null)[];
  /** With the xi option: the second-moment correlation length and xi/L per temperature. */
  xi?: Estimate[];
  xi_over_L?: Estimate[];
  lnZ_per_site: (Estimate | null)[];
  lnZ_per_site_mh: (Estimate | null)[];
  reweighted: ReweightedRow[];
  c_peak: { T: Estimate; c: Estimate; at_boundary: boolean };
  tau_int_e: number[];
  swap_acceptance: number[];
  round_trips: number;
  ladder: LadderSpec['kind'];
  pilots?: PilotRun[];
  tail_temperatures: number[];
  tail_swap_acceptance: number[];
  replicas_per_T: number;
  sweeps: number;
  thermalize: number;
  exchange_every: number;
  J: number;
  seed: number;
  /** Present when not metropolis. */
  algorithm?: Algorithm;
  backend: 'gpu' | 'cpu';
  kernel: KernelName | null;
  adapter: string;
  seconds: number;
}

export async function temperStudy(o: TemperStudyOptions): Promise<TemperStudyResult> {
  checkParameter(o.J !== 0, 'J', 'must not be 0 for tempering (all temperatures would be the same)');
  // Before the tail ladder, whose length grows as L: L = 2.5e9 asked for 10^9 slots.
  checkParameter(
    Number.isInteger(o.L) && o.L >= 2 && o.L <= MAX_SQUARE_L,
    'L',
    `must be at most ${MAX_SQUARE_L} (L^2 <= 2^31 sites), got ${o.L}`,
  );
  checkParameter(
    o.sweeps >= MIN_TEMPER_SWEEPS,
    'sweeps',
    `must be at least ${MIN_TEMPER_SWEEPS} (one per jackknife block of the reweighting), got ${o.sweeps}`,
  );
  const algorithm = o.algorithm ?? 'metropolis';
  let user = initialLadder(o.ladder);
  const N = o.L * o.L;
  const tail = o.tail === 0 ? [] : tailLadder(user[user.length - 1], o.J, N, o.tail);
  let kernel: KernelName | null = null;
  const make = async (temperatures: number[], seed: number): Promise<IsingSampler> => {
    const config = { Lx: o.L, Ly: o.L, replicas: temperatures.length * o.replicasPerT, temperatures };
    const full = { ...config, J: o.J, h: 0, seed, algorithm };
    if (!o.device) return new CpuIsingSampler(full, { kernel: o.cpuKernel });
    const options = { kernel: o.device.kernel, structureFactor: o.xi };
    const gpu = await GpuIsingSampler.create(o.device.ctx, full, options);
    if (kernel === null) o.log?.(`kernel ${gpu.kernel.name}${o.device.kernel === 'auto' ? ' (auto)' : ''}`);
    kernel = gpu.kernel.name;
    return gpu;
  };
  const t0 = performance.now();
  let pilots: PilotRun[] = [];
  if (o.ladder.kind === 'adaptive') {
    const pilot = { sweeps: o.sweeps, every: o.exchangeEvery, seed: o.seed };
    ({ temperatures: user, pilots } = await adaptLadder(user, pilot, make, o.log, o.checkpoint));
  }
  const K = user.length;
  const ladder = [...user, ...tail];
  const sampler = await make(ladder, o.seed);
  const run = await runTempering(sampler, {
    sweeps: o.sweeps,
    thermalize: o.thermalize,
    every: o.exchangeEvery,
    ends: [0, K - 1],
    structureFactor: o.xi,
    onProgress: o.onProgress,
    checkpoint: o.checkpoint && { session: o.checkpoint, key: 'main run' },
  });
  sampler.destroy();
  const seconds = (performance.now() - t0) / 1000;
  const a = temperAnalysis(run, { user, tail, J: o.J, N });
  const pick = (key: 'e' | 'c' | 'm_abs' | 'm2' | 'm4' | 'chi') => user.map((_, k) => run.observables[k][key]);
  return {
    L: o.L,
    temperatures: user,
    e: pick('e'),
    c: pick('c'),
    m_abs: pick('m_abs'),
    m2: pick('m2'),
    m4: pick('m4'),
    chi: pick('chi'),
    binder: user.map((_, k) => run.observables[k].binder),
    ...(o.xi ? correlationLengths(run.series.slice(0, K), o.L) : {}),
    lnZ_per_site: a.lnZ,
    lnZ_per_site_mh: a.lnZMultipleHistogram,
    reweighted: a.reweighted,
    c_peak: a.cPeak,
    tau_int_e: user.map((_, k) => run.observables[k].tau_int_e),
    swap_acceptance: run.swapAcceptance.slice(0, K - 1),
    round_trips: run.roundTrips,
    ladder: o.ladder.kind,
    ...(pilots.length > 0 ? { pilots } : {}),
    tail_temperatures: tail,
    tail_swap_acceptance: run.swapAcceptance.slice(K - 1),
    replicas_per_T: o.replicasPerT,
    sweeps: o.sweeps,
    thermalize: o.thermalize,
    exchange_every: o.exchangeEvery,
    J: o.J,
    seed: o.seed,
    ...(algorithm !== 'metropolis' ? { algorithm } : {}),
    backend: o.device ? 'gpu' : 'cpu',
    kernel,
    adapter: o.device ? o.device.ctx.adapterName : 'cpu reference',
    seconds,
  };
}

/** ξ and ξ/L of each temperature from its measured structure factor. */
function correlationLengths(series: IsingSlotSeries[], L: number): { xi: Estimate[]; xi_over_L: Estimate[] } {
  const each = series.map((s) => correlationLength(s.magnetization, s.structureFactor!, L));
  return { xi: each.map((x) => x.xi), xi_over_L: each.map((x) => x.xi_over_L) };
}
