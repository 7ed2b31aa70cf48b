/**
 * Validation and preparation of the runs of multipleHistogram: replicas, observable channels,
 * statistical inefficiency g = 2τ_int and the jackknife blocks of every replica.
 */
import { blockBoundaries } from '../jackknife.ts';
import { requireFiniteNumber, toReplicas } from './inputs.ts';
import type { Channel } from './points.ts';
import type { HistogramRun, ReplicaSeries } from './types.ts';

/** One run, checked, with its replicas split into blocks. */
export interface PreparedRun {
  beta: number;
  g: number;
  energy: ArrayLike<number>[];
  /** chans[c][r]: channel c, replica r (raw values, transformed on use). */
  chans: ArrayLike<number>[][];
  /** Block boundaries per replica (null when no blocks). */
  bounds: number[][] | null;
  /** Samples in each block (summed over replicas); length max(B, 1). */
  blockCounts: Float64Array;
  total: number;
  meanE: number;
}

const magnetizationOf = (run: HistogramRun): ReplicaSeries | undefined => run.magnetization ?? run.observables?.m;

/** The channels of the runs: user observables (names from run 0), then the magnetisation moments. */
export function channelsOf(runs: readonly HistogramRun[]): Channel[] {
  const channels: Channel[] = Object.keys(runs[0].observables ?? {}).map((name) => ({ name, kind: 'obs' as const }));
  if (magnetizationOf(runs[0]) !== undefined) {
    channels.push({ name: '|m|', kind: 'abs' }, { name: 'm^2', kind: 'm2' }, { name: 'm^4', kind: 'm4' });
  }
  return channels;
}

/** Checks every run against run 0's channels and cuts each replica into B blocks (B = 0: none). */
export function prepareRuns(runs: readonly HistogramRun[], channels: Channel[], B: number): PreparedRun[] {
  const obsNames = channels.filter((ch) => ch.kind === 'obs').map((ch) => ch.name);
  const hasM = channels.length > obsNames.length;
  return runs.map((run, k) => {
    const where = `multipleHistogram: run ${k}`;
    requireFiniteNumber(run.beta, `${where} beta`);
    let g = 1;
    if (run.tauInt !== undefined) {
      if (!(run.tauInt > 0) || !Number.isFinite(run.tauInt))
        throw new RangeError(`${where}: tauInt must be > 0, got ${run.tauInt}`);
      g = 2 * run.tauInt;
    }
    const energy = toReplicas(run.energy, `${where} energy`);
    const names = Object.keys(run.observables ?? {});
    if (names.length !== obsNames.length || names.some((nm) => !obsNames.includes(nm))) {
      throw new RangeError(`${where}: every run must provide the same observables (${obsNames.join(', ') || 'none'})`);
    }
    if ((magnetizationOf(run) !== undefined) !== hasM)
      throw new RangeError(`${where}: give the magnetisation for all runs or none`);
    const chans = channels.map((ch) => channelSeries(run, ch, energy, where));
    return { beta: run.beta, g, energy, chans, ...blocksOf(energy, B, where) };
  });
}

/** The replicas of one channel of a run, checked against the energy replicas. */
function channelSeries(run: HistogramRun, ch: Channel, energy: ArrayLike<number>[], where: string) {
  const src = ch.kind === 'obs' ? run.observables?.[ch.name] : magnetizationOf(run);
  const reps = toReplicas(src as ReplicaSeries, `${where} ${ch.name}`);
  if (reps.length !== energy.length)
    throw new RangeError(`${where}: ${ch.name} must have one series per energy replica`);
  reps.forEach((s, r) => {
    if (s.length !== energy[r].length)
      throw new RangeError(`${where}: ${ch.name} replica ${r} length differs from its energy series`);
  });
  return reps;
}

/** Block boundaries and counts of the energy replicas of one run, its sample count and mean energy. */
function blocksOf(energy: ArrayLike<number>[], B: number, where: string) {
  let total = 0;
  let sumE = 0;
  const blockCounts = new Float64Array(Math.max(B, 1));
  const bounds: number[][] | null = B > 0 ? [] : null;
  energy.forEach((s, r) => {
    if (s.length < Math.max(1, B)) {
      throw new RangeError(
        `${where} replica ${r}: ${s.length} samples, need at least ${Math.max(1, B)} (one per jackknife block)`,
      );
    }
    for (let i = 0; i < s.length; i++) {
      if (!Number.isFinite(s[i])) throw new RangeError(`${where} replica ${r}: energy ${i} is not finite`);
      sumE += s[i];
    }
    total += s.length;
    if (bounds) {
      const bd = blockBoundaries(s.length, B);
      bounds.push(bd);
      for (let b = 0; b < B; b++) blockCounts[b] += bd[b + 1] - bd[b];
    } else {
      blockCounts[0] += s.length;
    }
  });
  return { bounds, blockCounts, total, meanE: sumE / total };
}

/** Calls visit(E, blockIndex, run, replica, i) for every sample, block by block. */
export function forEachSample(
  prepared: readonly PreparedRun[],
  B: number,
  visit: (E: number, b: number, p: PreparedRun, r: number, i: number) => void,
): void {
  for (const p of prepared) {
    p.energy.forEach((s, r) => {
      if (p.bounds) {
        const bd = p.bounds[r];
        for (let b = 0; b < B; b++) for (let i = bd[b]; i < bd[b + 1]; i++) visit(s[i], b, p, r, i);
      } else {
        for (let i = 0; i < s.length; i++) visit(s[i], 0, p, r, i);
      }
    });
  }
}
