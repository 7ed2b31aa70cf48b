/** `ising temper`: parallel tempering on a temperature ladder, with ln Z by thermodynamic integration. */

import fs from 'node:fs';
import { CpuIsingSampler } from '../../models/ising/cpu-sampler.ts';
import { GpuIsingSampler } from '../../models/ising/gpu-sampler.ts';
import type { KernelName } from '../../models/ising/kernels.ts';
import type { IsingSampler } from '../../models/ising/sampler.ts';
import type { IsingConfig } from '../../models/ising/config.ts';
import { highTemperatureLnZ, lnZByIntegration } from '../../studies/tempering/free-energy.ts';
import { multipleHistogram, specificHeatPeakWithErrors, type Estimate } from '../../analysis/index.ts';
import {
  acceptanceSpread,
  equalizeLadder,
  geometricLadder,
  linearLadder,
  parseLadder,
} from '../../tempering/ladder.ts';
import { runTempering, type TemperRunResult } from '../../studies/tempering/run.ts';
import { UsageError, type FlagSpecs } from '../args.ts';
import { FLAGS, openCliDevice, progressReporter } from '../common.ts';
import type { GpuContext } from '../../gpu/device.ts';

export const summary =
  'Parallel tempering (replica exchange) of K temperatures x R replicas of an L x L lattice in one sampler, ' +
  'exchanges on the device. Prints e, c, |m|, chi, Binder U4 per temperature, ln Z/N by thermodynamic ' +
  'integration from beta = 0 (through a high-temperature tail of extra slots), swap acceptance and round trips.';

export const flags: FlagSpecs = {
  L: FLAGS.L,
  Tmin: { type: 'float', above: 0, required: true, help: 'lowest temperature of the ladder' },
  Tmax: { type: 'float', above: 0, required: true, help: 'highest temperature of the ladder' },
  K: { type: 'int', min: 2, max: 1024, required: true, help: 'number of temperatures (also read from a ladder file)' },
  ladder: {
    type: 'string',
    default: 'geometric',
    help: 'geometric, linear, adaptive (equal swap acceptance from pilot runs), or a file of temperatures',
    metavar: 'geometric|linear|adaptive|FILE',
  },
  'replicas-per-T': { type: 'int', min: 1, max: 4096, default: 1, help: 'independent ladders run together' },
  sweeps: { type: 'int', min: 2, max: 1e9, default: 20000, help: 'measured sweeps' },
  thermalize: { type: 'int', min: 0, max: 1e9, default: 2000, help: 'sweeps discarded first (with exchanges)' },
  'exchange-every': { type: 'int', min: 1, max: 1e6, default: 1, help: 'sweeps between exchange attempts' },
  tail: {
    type: 'int',
    min: 0,
    max: 256,
    help: 'extra high-temperature slots for ln Z (default: enough for 4th-order accuracy; 0: no ln Z)',
  },
  J: FLAGS.J,
  seed: FLAGS.seed,
  backend: FLAGS.backend,
  kernel: FLAGS.kernel,
  adapter: FLAGS.adapter,
  quiet: FLAGS.quiet,
  json: FLAGS.json,
};

export const output =
  'output (--json): {"L","temperatures":[...],"e":[{"mean","err"}...],"c":[...],"m_abs":[...],"chi":[...],"binder":[...],' +
  '"lnZ_per_site":[{"mean","err"}...],"swap_acceptance":[...K-1],"round_trips","adapter","seconds", ...}';

/** The temperatures of a --ladder file; a UsageError naming --ladder when it cannot be read. */
export function readLadderFile(file: string): number[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(
      `--ladder must be geometric, linear, adaptive or a readable file of temperatures, got '${file}'`,
    );
  }
  return parseLadder(text, file);
}

/** β of the hottest tail slot: the series start of the integration (|βJ| ≤ 0.05). */
const TAIL_BETA = 0.05;

/** High-temperature slots above Tmax down to β = TAIL_BETA/|J|, spaced for swaps on N sites. */
export function tailLadder(Tmax: number, J: number, N: number, count?: number): number[] {
  const betaEnd = TAIL_BETA / Math.abs(J);
  const betaTop = 1 / Tmax;
  if (betaTop <= betaEnd) return [];
  const n = count ?? Math.max(4, Math.ceil(Math.log(betaTop / betaEnd) / Math.log(1 + 2.5 / Math.sqrt(N))));
  return Array.from({ length: n }, (_, i) => 1 / (betaTop * (betaEnd / betaTop) ** ((i + 1) / n)));
}

export async function temper(o: Record<string, unknown>): Promise<Record<string, unknown>> {
  const L = o.L as number;
  const Tmin = o.Tmin as number;
  const Tmax = o.Tmax as number;
  const J = o.J as number;
  const quiet = o.quiet === true;
  const perT = o['replicas-per-T'] as number;
  const sweeps = o.sweeps as number;
  const thermalize = o.thermalize as number;
  const every = o['exchange-every'] as number;
  const ladderKind = o.ladder as string;
  if (!(Tmax > Tmin)) throw new UsageError(`--Tmax must be greater than --Tmin (${Tmin}), got ${Tmax}`);
  if (J === 0) throw new UsageError('--J must not be 0 for tempering (all temperatures would be the same)');

  let user: number[];
  if (ladderKind === 'geometric' || ladderKind === 'adaptive') user = geometricLadder(Tmin, Tmax, o.K as number);
  else if (ladderKind === 'linear') user = linearLadder(Tmin, Tmax, o.K as number);
  else user = readLadderFile(ladderKind);
  const K = user.length;
  const N = L * L;
  const tail = o.tail === 0 ? [] : tailLadder(user[K - 1], J, N, o.tail as number | undefined);

  let ctx: GpuContext | undefined;
  let adapter = 'cpu reference';
  if (o.backend === 'gpu') {
    ctx = await openCliDevice(o.adapter, quiet);
    adapter = ctx.adapterName;
  }
  const make = async (temperatures: number[], seed: number): Promise<IsingSampler> => {
    const config: IsingConfig = {
      Lx: L,
      Ly: L,
      replicas: temperatures.length * perT,
      temperatures,
      J,
      h: 0,
      seed,
      algorithm: 'metropolis',
    };
    return ctx ? GpuIsingSampler.create(ctx, config, { kernel: o.kernel as KernelName }) : new CpuIsingSampler(config);
  };
  const t0 = performance.now();
  const pilots: { temperatures: number[]; swap_acceptance: number[]; spread: number }[] = [];
  if (ladderKind === 'adaptive') {
    // Pilot runs on the user ladder alone; each re-spaces the temperatures for equal acceptance.
    const pilotSweeps = Math.max(500, Math.floor(sweeps / 10));
    for (let round = 0; round < 4; round++) {
      const pilot = await make(user, (o.seed as number) + 1000 + round);
      const r = await runTempering(pilot, { sweeps: pilotSweeps, thermalize: Math.floor(pilotSweeps / 5), every });
      pilot.destroy();
      pilots.push({
        temperatures: user,
        swap_acceptance: r.swapAcceptance,
        spread: acceptanceSpread(r.swapAcceptance),
      });
      if (!quiet)
        process.stderr.write(
          `ising temper: pilot ${round + 1}: acceptance spread ${acceptanceSpread(r.swapAcceptance).toFixed(3)}\n`,
        );
      user = equalizeLadder(user, r.swapAcceptance);
    }
  }
  const ladder = [...user, ...tail];
  const sampler = await make(ladder, o.seed as number);
  const progress = progressReporter('ising temper', !quiet);
  const r: TemperRunResult = await runTempering(sampler, {
    sweeps,
    thermalize,
    every,
    ends: [0, K - 1],
    onProgress: progress,
  });
  sampler.destroy();
  const seconds = (performance.now() - t0) / 1000;
  ctx?.destroy();

  // ln Z/N: integrate e from the hottest slot (series start) down the ladder to each temperature.
  let lnZ: ({ mean: number; err: number } | null)[] = user.map(() => null);
  if (tail.length > 0) {
    const order = ladder.map((T, i) => ({ beta: 1 / T, i })).sort((a, b) => a.beta - b.beta);
    const integrated = lnZByIntegration(
      order.map((x) => x.beta),
      order.map((x) => r.observables[x.i].e),
      order.map((x) => r.observables[x.i].c),
      J,
      order.map((x) => r.series[x.i].energy),
    );
    const bySlot = new Map(order.map((x, j) => [x.i, integrated[j]]));
    lnZ = user.map((_, k) => bySlot.get(k)!);
  }
  // Multiple histogram over the whole ladder (tail included): ln Z relative to the hottest slot,
  // anchored there by the high-temperature series; smooth curves between the user's temperatures.
  const hottest = ladder.reduce((best, T, i) => (T > ladder[best] ? i : best), 0);
  const order = [hottest, ...ladder.map((_, i) => i).filter((i) => i !== hottest)];
  const mh = multipleHistogram(
    order.map((i) => ({
      beta: 1 / ladder[i],
      energy: r.series[i].energy.map((e) => e.map((x) => x * N)),
      magnetization: r.series[i].magnetization,
      tauInt: r.observables[i].tau_int_e,
    })),
    { N, blocks: 16 },
  );
  const anchor = tail.length > 0 ? highTemperatureLnZ(1 / ladder[hottest], J) : null;
  const lnZMH: (Estimate | null)[] = user.map((T) => {
    if (anchor === null) return null;
    const p = mh.estimate(1 / T);
    return { mean: anchor + p.lnZ.mean / N, err: p.lnZ.err / N };
  });
  const between: number[] = [];
  for (let k = 0; k + 1 < K; k++)
    for (const f of [0.25, 0.5, 0.75]) between.push(user[k] + f * (user[k + 1] - user[k]));
  const reweighted = between.map((T) => {
    const p = mh.estimate(1 / T);
    return { T, e: p.e, c: p.c, m_abs: p.m_abs, chi: p.chi, binder: p.binder };
  });
  const peak = specificHeatPeakWithErrors((b) => mh.at(b), mh.jackknifeCurves, user[0], user[K - 1]);
  const pick = (key: 'e' | 'c' | 'm_abs' | 'm2' | 'm4' | 'chi' | 'binder') => user.map((_, k) => r.observables[k][key]);
  return {
    L,
    temperatures: user,
    e: pick('e'),
    c: pick('c'),
    m_abs: pick('m_abs'),
    m2: pick('m2'),
    m4: pick('m4'),
    chi: pick('chi'),
    binder: pick('binder'),
    lnZ_per_site: lnZ,
    lnZ_per_site_mh: lnZMH,
    reweighted,
    c_peak: { T: peak.T, c: peak.c, at_boundary: peak.atBoundary },
    tau_int_e: user.map((_, k) => r.observables[k].tau_int_e),
    swap_acceptance: r.swapAcceptance.slice(0, K - 1),
    round_trips: r.roundTrips,
    ladder: ladderKind === 'geometric' || ladderKind === 'linear' || ladderKind === 'adaptive' ? ladderKind : 'file',
    ...(pilots.length > 0 ? { pilots } : {}),
    tail_temperatures: tail,
    tail_swap_acceptance: r.swapAcceptance.slice(K - 1),
    replicas_per_T: perT,
    sweeps,
    thermalize,
    exchange_every: every,
    J,
    seed: o.seed,
    backend: o.backend,
    kernel: o.backend === 'gpu' ? o.kernel : null,
    adapter,
    seconds,
  };
}
