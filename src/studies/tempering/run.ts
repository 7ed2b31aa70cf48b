/**
 * A parallel-tempering run on any Ising sampler (GPU or CPU): thermalise and measure with
 * exchanges on the device, then sort the measurements by temperature through the permutation
 * series and analyse each temperature (estimators with error bars), the swap acceptance per
 * pair, and the round trips between the ends of the ladder.
 */

import { analyzeIsing, type IsingObservables } from '../../analysis/index.ts';
import type { IsingSampler } from '../../models/ising/sampler.ts';
import { isingSlotSeries, type IsingSlotSeries } from '../series.ts';
import { swapTables } from '../../tempering/swap-tables.ts';
import { roundTrips } from '../../tempering/round-trips.ts';
import type { TemperingPlan } from '../../tempering/exchange.ts';
import { NO_CHECKPOINT, type Checkpointer } from '../checkpoint.ts';
import { samplerRunTask } from '../resumable-run.ts';

export interface TemperRunOptions {
  sweeps: number;
  thermalize: number;
  /** Exchange every this many sweeps (default 1). */
  every?: number;
  /** Round trips are counted between these slots (default 0 and K − 1). */
  ends?: [number, number];
  /** Also measure the structure factor (series[k].structureFactor). */
  structureFactor?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** Where the run saves its state between chunks, and its task name there. */
  checkpoint?: { session: Checkpointer; key: string };
}

export interface TemperRunResult {
  temperatures: number[];
  /** Observables at each temperature slot. */
  observables: IsingObservables[];
  /** Per slot, per chain: the energy per site and magnetisation per site of each sample (for reweighting). */
  series: IsingSlotSeries[];
  /** Accepted / attempted swaps per adjacent pair (K − 1), over the measured sweeps. */
  swapAcceptance: number[];
  /** Completed bottom → top → bottom trips, summed over replicas, over thermalisation and measurement. */
  roundTrips: number;
  samples: number;
}

/** The swap plan of a sampler's current ladder (h must be 0). */
export function temperingPlan(sampler: IsingSampler, every = 1): TemperingPlan {
  const { temperatures, J, Lx, Ly } = sampler.config;
  return { every, tables: swapTables(temperatures, J, 4 * Lx * Ly) };
}

export async function runTempering(sampler: IsingSampler, o: TemperRunOptions): Promise<TemperRunResult> {
  const { temperatures, replicas: R, Lx, Ly, J, h } = sampler.config;
  const K = temperatures.length;
  const N = Lx * Ly;
  const plan = temperingPlan(sampler, o.every ?? 1);
  const [bottom, top] = o.ends ?? [0, K - 1];
  const phases = [
    { sweeps: o.thermalize, tempering: plan },
    { sweeps: o.sweeps, tempering: plan, structureFactor: o.structureFactor },
  ];
  const { session, key } = o.checkpoint ?? { session: NO_CHECKPOINT, key: 'tempering' };
  const [warm, run] = await session.task(key, samplerRunTask(sampler, phases, { onProgress: o.onProgress }));
  const perms = run.permutations!;
  const series = isingSlotSeries(run, K, { J, h, N });
  const observables = temperatures.map((T, k) => analyzeIsing(series[k], { beta: 1 / T, N }));
  // Trips that straddle thermalisation and measurement count too: one series over both.
  const history = new Uint32Array(warm.permutations!.length + perms.length);
  history.set(warm.permutations!);
  history.set(perms, warm.permutations!.length);
  const trips = roundTrips(history, R, K, bottom, top).reduce((a, b) => a + b, 0);
  return {
    temperatures: [...temperatures],
    observables,
    series,
    swapAcceptance: Array.from(run.swapAccepted!, (a, k) => a / Math.max(1, run.swapAttempted![k])),
    roundTrips: trips,
    samples: run.samples,
  };
}
