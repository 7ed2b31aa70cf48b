/**
 * Run result → per-slot series: the one place that turns a sampler's sample-major output (entry
 * t·R + r for sample t and replica r) into time series per temperature slot and chain.
 *
 * A run holds `chains` = R / K ladders of K slots; replica r belongs to chain floor(r / K). Which
 * replica sits at slot k of chain c during sample t comes from the run: an Ising run's
 * `permutations` (already [t·R + c·K + k] = replica), a weight run's `slotsAt` ([t·R + r] = slot of
 * r, inverted here), or fixed slots (no exchange; none given: replica c·K + k stays at slot k).
 */

import { energyPerSite } from '../models/ising/config.ts';
import type { RunResult } from '../models/ising/sampler.ts';

/** The shape of a run's samples: samples × replicas, in chains of slotsPerChain slots. */
export interface SlotLayout {
  samples: number;
  replicas: number;
  slotsPerChain: number;
}

/** Where the replicas are: permutations (slot → replica), slotsAt (replica → slot, per sample) or fixed slots. */
export type SlotSource =
  | { permutations: ArrayLike<number> }
  | { slotsAt: ArrayLike<number> }
  | { slots: ArrayLike<number> }
  | null;

/** [t·R + c·K + k] = the replica at slot k of chain c during sample t. */
export function replicaAtSlot(layout: SlotLayout, source: SlotSource): Uint32Array {
  const { samples, replicas: R, slotsPerChain: K } = layout;
  if (source && 'permutations' in source) return Uint32Array.from(source.permutations);
  const out = new Uint32Array(samples * R);
  for (let t = 0; t < samples; t++) {
    for (let r = 0; r < R; r++) {
      const slot = source === null ? r % K : 'slotsAt' in source ? source.slotsAt[t * R + r] : source.slots[r];
      out[t * R + Math.floor(r / K) * K + slot] = r;
    }
  }
  return out;
}

/**
 * Per slot and chain ([k][c]), the series of value(t·R + r) over the samples, r being the replica at
 * that slot at sample t (replicaAt from replicaAtSlot).
 */
export function slotSeries(
  layout: SlotLayout,
  replicaAt: ArrayLike<number>,
  value: (sampleIndex: number) => number,
): Float64Array[][] {
  const { samples, replicas: R, slotsPerChain: K } = layout;
  const chains = R / K;
  return Array.from({ length: K }, (_, k) =>
    Array.from({ length: chains }, (_, c) => {
      const x = new Float64Array(samples);
      for (let t = 0; t < samples; t++) x[t] = value(t * R + replicaAt[t * R + c * K + k]);
      return x;
    }),
  );
}

/** Energy and magnetisation per site of one slot, per chain. */
export interface IsingSlotSeries {
  energy: Float64Array[];
  magnetization: Float64Array[];
  /** Cluster algorithms: the improved M² estimate of each sample (RunResult.clusterMoments). */
  clusterMoments?: Float64Array[];
  /** Runs that measured it: F of each sample (RunResult.structureFactor). */
  structureFactor?: Float64Array[];
}

/**
 * An Ising run's series per slot ([k], each per chain): with `permutations` (tempering) the slots
 * of its ladders, without them every replica its own chain at one slot (slotsPerChain = 1).
 */
export function isingSlotSeries(
  run: RunResult,
  slotsPerChain: number,
  physics: { J: number; h: number; N: number },
): IsingSlotSeries[] {
  const { J, h, N } = physics;
  const layout = { samples: run.samples, replicas: run.replicas, slotsPerChain };
  const replicaAt = replicaAtSlot(layout, run.permutations ? { permutations: run.permutations } : null);
  const energy = slotSeries(layout, replicaAt, (i) => energyPerSite(run.bonds[i], run.magnetization[i], J, h, N));
  const magnetization = slotSeries(layout, replicaAt, (i) => run.magnetization[i] / N);
  const optional = (values: Float64Array | undefined) =>
    values ? slotSeries(layout, replicaAt, (i) => values[i]) : undefined;
  const clusterMoments = optional(run.clusterMoments);
  const structureFactor = optional(run.structureFactor);
  return energy.map((e, k) => ({
    energy: e,
    magnetization: magnetization[k],
    ...(clusterMoments ? { clusterMoments: clusterMoments[k] } : {}),
    ...(structureFactor ? { structureFactor: structureFactor[k] } : {}),
  }));
}
