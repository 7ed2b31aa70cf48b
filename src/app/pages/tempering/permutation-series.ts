/**
 * The permutation series of a tempering run (which replica sits at which slot, sample by sample),
 * kept in bounded memory for the round-trip count: old rows are compacted losslessly.
 */

import { roundTrips } from '../../../tempering/round-trips.ts';

const sum = (a: readonly number[]): number => a.reduce((x, y) => x + y, 0);

/**
 * Rows of a permutation series (samples × replicas, [t·replicas + c·K + k] = replica at slot k of
 * chain c) that leave roundTrips in the same per-replica state as the whole series: for each
 * replica, the row of its last visit to `bottom` and the first row after it that has it at `top`.
 * Kept in their original order. (A replica's state is "never at the bottom", "at the bottom last",
 * or "reached the top since the bottom"; each is decided by exactly those two rows.)
 */
export function compactForTrips(
  permutations: Uint32Array,
  replicas: number,
  K: number,
  bottom = 0,
  top = K - 1,
): Uint32Array {
  const samples = permutations.length / replicas;
  const lastBottom = new Int32Array(replicas).fill(-1);
  const topAfter = new Int32Array(replicas).fill(-1);
  for (let t = 0; t < samples; t++) {
    for (let c = 0; c < replicas / K; c++) {
      const base = t * replicas + c * K;
      const atTop = permutations[base + top];
      if (lastBottom[atTop] >= 0 && topAfter[atTop] < 0) topAfter[atTop] = t;
      const atBottom = permutations[base + bottom];
      lastBottom[atBottom] = t;
      topAfter[atBottom] = -1;
    }
  }
  const rows = [...new Set([...lastBottom, ...topAfter].filter((t) => t >= 0))].sort((a, b) => a - b);
  const out = new Uint32Array(rows.length * replicas);
  rows.forEach((t, i) => {
    out.set(permutations.subarray(t * replicas, (t + 1) * replicas), i * replicas);
  });
  return out;
}

/** Permutation series of one run of replicas, with a round-trip count that survives compaction. */
export class PermutationSeries {
  /** Trips counted before the prefix's state was taken over. */
  private base = 0;
  /** Compacted rows carrying the replicas' round-trip state. */
  private prefix: Uint32Array;
  private prefixTrips = 0;
  private tail: Uint32Array;
  private tailLength = 0;
  /** Samples appended in all (before any compaction). */
  samples = 0;

  constructor(
    readonly replicas: number,
    readonly K: number,
    private readonly maxTailSamples = 1 << 16,
  ) {
    this.prefix = new Uint32Array(0);
    this.tail = new Uint32Array(replicas * 1024);
  }

  append(permutations: Uint32Array): void {
    const need = this.tailLength + permutations.length;
    if (need > this.tail.length) {
      const next = new Uint32Array(Math.max(need, 2 * this.tail.length));
      next.set(this.tail.subarray(0, this.tailLength));
      this.tail = next;
    }
    this.tail.set(permutations, this.tailLength);
    this.tailLength += permutations.length;
    this.samples += permutations.length / this.replicas;
    if (this.tailLength / this.replicas > this.maxTailSamples) this.compact();
  }

  /** The series as roundTrips sees it: compacted prefix, then the samples since. */
  private series(): Uint32Array {
    if (this.prefix.length === 0) return this.tail.subarray(0, this.tailLength);
    const s = new Uint32Array(this.prefix.length + this.tailLength);
    s.set(this.prefix);
    s.set(this.tail.subarray(0, this.tailLength), this.prefix.length);
    return s;
  }

  private compact(): void {
    const total = this.roundTrips();
    this.prefix = compactForTrips(this.series(), this.replicas, this.K);
    this.prefixTrips = sum(roundTrips(this.prefix, this.replicas, this.K));
    this.base = total;
    this.tailLength = 0;
  }

  /** Completed bottom → top → bottom trips, summed over replicas, since the first sample. */
  roundTrips(): number {
    return this.base + sum(roundTrips(this.series(), this.replicas, this.K)) - this.prefixTrips;
  }

  /** Rows held (prefix + tail), for tests. */
  get heldSamples(): number {
    return (this.prefix.length + this.tailLength) / this.replicas;
  }
}
