/**
 * What the tempering page accumulates from its runs, without the DOM or the GPU: the measured
 * e and m sorted by temperature slot (through the permutation series), the swap counts per pair,
 * and the permutation series itself for the round-trip count.
 *
 * Memory stays bounded on a long run:
 * - per-slot series keep at most `maxSamplesPerSlot` samples; past that the older half is
 *   dropped (the estimates then describe the latest window);
 * - the permutation series is compacted losslessly for round trips: the count depends on the past
 *   only through each replica's last visit to the bottom and whether it reached the top since,
 *   so the rows holding those visits (≤ 2 per replica) reproduce the state (permutation-series.ts).
 */

import type { RunResult } from '../../../models/ising/sampler.ts';
import { isingSlotSeries } from '../../../studies/series.ts';
import { PermutationSeries } from './permutation-series.ts';

/** A Float64Array that grows by doubling and can drop its oldest entries. */
class GrowableSeries {
  private data: Float64Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Float64Array(Math.max(1, capacity));
  }

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }

  /** Drop the `n` oldest entries. */
  dropFront(n: number): void {
    n = Math.min(n, this.length);
    this.data.copyWithin(0, n, this.length);
    this.length -= n;
  }

  /** A view of entries [from, length) (valid until the next push or drop). */
  view(from = 0): Float64Array {
    return this.data.subarray(Math.min(from, this.length), this.length);
  }
}

export interface AccumulatorOptions {
  /** Coupling (energy per site e = −J·bonds/N at h = 0). */
  J?: number;
  /** Most samples kept per slot; past that the older half is dropped (default 2^17). */
  maxSamplesPerSlot?: number;
  /** Fraction of all samples taken that is discarded as burn-in (default 0.2). */
  burnInFraction?: number;
  /** Permutation samples kept before compaction (default 2^16). */
  maxPermutationSamples?: number;
}

/** Per-slot measurements, swap counts and round trips of one ladder (replicas = K). */
export class TemperingAccumulator {
  readonly energy: GrowableSeries[];
  readonly magnetization: GrowableSeries[];
  readonly accepted: Float64Array;
  readonly attempted: Float64Array;
  readonly permutations: PermutationSeries;
  /** Samples per slot taken in all. */
  taken = 0;
  /** Samples per slot dropped from the front (memory cap). */
  dropped = 0;
  private readonly J: number;
  private readonly maxSamples: number;
  /** Fraction of all samples taken that is discarded as burn-in. */
  readonly burnInFraction: number;

  constructor(
    readonly K: number,
    readonly N: number,
    options: AccumulatorOptions = {},
  ) {
    this.J = options.J ?? 1;
    this.maxSamples = options.maxSamplesPerSlot ?? 1 << 17;
    this.burnInFraction = options.burnInFraction ?? 0.2;
    this.energy = Array.from({ length: K }, () => new GrowableSeries());
    this.magnetization = Array.from({ length: K }, () => new GrowableSeries());
    this.accepted = new Float64Array(K - 1);
    this.attempted = new Float64Array(K - 1);
    this.permutations = new PermutationSeries(K, K, options.maxPermutationSamples ?? 1 << 16);
  }

  /** Take in one tempering run's result (measured every sweep, one chain of K replicas). */
  add(run: RunResult): void {
    const { K, N, J } = this;
    const R = run.replicas;
    if (R !== K) throw new RangeError(`the accumulator takes one ladder of ${K} replicas, got ${R}`);
    const perms = run.permutations;
    if (!perms || !run.swapAccepted || !run.swapAttempted)
      throw new RangeError('the run has no tempering data (permutations, swap counts)');
    isingSlotSeries(run, K, { J, h: 0, N }).forEach((slot, k) => {
      for (const e of slot.energy[0]) this.energy[k].push(e);
      for (const m of slot.magnetization[0]) this.magnetization[k].push(m);
    });
    this.taken += run.samples;
    for (let k = 0; k < K - 1; k++) {
      this.accepted[k] += run.swapAccepted[k];
      this.attempted[k] += run.swapAttempted[k];
    }
    this.permutations.append(perms);
    const held = this.energy[0].length;
    if (held > this.maxSamples) {
      const n = held - Math.floor(this.maxSamples / 2);
      for (let k = 0; k < K; k++) {
        this.energy[k].dropFront(n);
        this.magnetization[k].dropFront(n);
      }
      this.dropped += n;
    }
  }

  /** Index of the first sample after burn-in, among those held. */
  get firstUsed(): number {
    return Math.max(0, Math.floor(this.burnInFraction * this.taken) - this.dropped);
  }

  /** Samples per slot that the estimates use. */
  get usedSamples(): number {
    return Math.max(0, this.energy[0].length - this.firstUsed);
  }

  /** The series analyzeIsing takes for slot k (one replica: the slot's own time series). */
  slotSeries(k: number): { energy: Float64Array[]; magnetization: Float64Array[] } {
    const from = this.firstUsed;
    return { energy: [this.energy[k].view(from)], magnetization: [this.magnetization[k].view(from)] };
  }

  /** Accepted / attempted swaps per adjacent pair (NaN before any attempt). */
  acceptance(): number[] {
    return Array.from(this.accepted, (a, k) => (this.attempted[k] > 0 ? a / this.attempted[k] : NaN));
  }

  roundTrips(): number {
    return this.permutations.roundTrips();
  }
}
