/**
 * The random words of the cluster updates (Swendsen–Wang and Wolff), on the layout of streams.ts.
 * Sites are numbered in natural order, i = y·Lx + x within a replica, and `sweep` is the absolute
 * number of the cluster step (one Swendsen–Wang sweep or one Wolff cluster):
 *
 *   bond (i, right of i):  stream CLUSTER_BONDS, phase BOND_RIGHT, group i >> 2, word i & 3
 *   bond (i, below i):     stream CLUSTER_BONDS, phase BOND_DOWN,  group i >> 2, word i & 3
 *   spin of cluster ℓ:     stream CLUSTER_SPINS, phase CLUSTER_SPIN, group ℓ >> 2, word ℓ & 3
 *                          (ℓ the canonical label: the smallest site index in the cluster)
 *   Wolff seed site:       stream CLUSTER_SPINS, phase WOLFF_SEED, group 0, word 0 → mulhi(u, N)
 *
 * Keying the spin word by the canonical label makes it independent of how the clusters were found.
 * The seed mulhi(u, N) = floor(u·N / 2^32) is uniform up to 1 part in 2^32/N; Wolff's detailed
 * balance holds for any seed distribution (the reverse move flips the same cluster from the same seed).
 */

import { mulhi32 } from './philox.ts';
import { randomWords, STREAMS } from './streams.ts';

/** Phases of the cluster streams. */
export const CLUSTER_PHASES = { BOND_RIGHT: 0, BOND_DOWN: 1, CLUSTER_SPIN: 0, WOLFF_SEED: 1 } as const;

/** The four bond words of sites 4·group … 4·group + 3 in one direction (phase BOND_RIGHT or BOND_DOWN). */
export function bondWords(
  key: readonly [number, number],
  replica: number,
  sweep: number,
  direction: number,
  group: number,
  out?: Uint32Array,
): Uint32Array {
  return randomWords(key, replica, sweep, direction, group, STREAMS.CLUSTER_BONDS, out);
}

/** The four cluster-spin words of labels 4·group … 4·group + 3. */
export function clusterSpinWords(
  key: readonly [number, number],
  replica: number,
  sweep: number,
  group: number,
  out?: Uint32Array,
): Uint32Array {
  return randomWords(key, replica, sweep, CLUSTER_PHASES.CLUSTER_SPIN, group, STREAMS.CLUSTER_SPINS, out);
}

/** The Wolff seed site of a step, in [0, N). */
export function wolffSeed(key: readonly [number, number], replica: number, sweep: number, N: number): number {
  const w = randomWords(key, replica, sweep, CLUSTER_PHASES.WOLFF_SEED, 0, STREAMS.CLUSTER_SPINS);
  return mulhi32(w[0], N);
}
