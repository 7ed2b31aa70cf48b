/**
 * The mapping from "which update is this" to Philox input (docs/ARCHITECTURE.md, "Random numbers"). Every random word the
 * project uses is a pure function of (seed, replica, sweep, phase, group, stream) through this
 * layout; kernels and the CPU reference compute it the same way, so trajectories coincide and
 * a sharded run equals an unsharded one.
 *
 *   key     = (seed mod 2^32, floor(seed / 2^32))            the user's seed, 0 ≤ seed < 2^53
 *   counter = (group, replica, sweep mod 2^32,
 *              stream << 24 | phase << 16 | floor(sweep / 2^32))
 *
 * - `stream` (8 bits) separates independent uses (see STREAMS); new uses take a new number.
 * - `phase` (8 bits) is the checkerboard colour for lattice updates, 0 elsewhere.
 * - `sweep` (48 bits) is the absolute sweep number of the replica's history (0 for initial states).
 * - `group`: one Philox call yields four words; in a lattice, sites of one colour are numbered
 *   n = y·(Lx/2) + (x >> 1) and site n takes word (n & 3) of group (n >> 2), so the four sites of a
 *   group are neighbours along a row, the unit a packed kernel updates together.
 */

import { philox4x32 } from './philox.ts';

/** Stream numbers (top byte of counter word 3). Mirrored into WGSL as STREAM_* constants. */
export const STREAMS = {
  /** Checkerboard spin updates of the Ising sampler. */
  ISING_UPDATE: 0,
  /** Hot (random) initial state of an Ising lattice. */
  ISING_INIT: 1,
  /** Replica-exchange decisions (parallel tempering). */
  TEMPERING: 2,
  /** Datasets of the weight replicas: teachers, inputs, labels, test sets (src/models/weights/datasets.ts). */
  WEIGHTS_DATA: 3,
  /** Metropolis updates of weight replicas (src/models/weights: perceptron and linear samplers). */
  WEIGHTS_UPDATE: 4,
  /** Random initial weights of weight replicas. */
  WEIGHTS_INIT: 5,
  /** Bond activation of the cluster updates: right (phase 0) and down (phase 1) bond of each site (cluster-words.ts). */
  CLUSTER_BONDS: 6,
  /** New spin of each Swendsen–Wang cluster (phase 0, keyed by its label) and the Wolff seed site (phase 1). */
  CLUSTER_SPINS: 7,
  /** Bit-plane decisions of the Ising kernels msc-planes and resident (src/rng/planes.ts). */
  ISING_PLANES: 8,
  /** ±J couplings of a disorder sample (replica = sample, group = bond >> 2; src/models/ising/couplings.ts). */
  COUPLINGS: 9,
} as const;

/** Largest sweep number representable in the counter (48 bits). */
const MAX_SWEEP = 2 ** 48 - 1;
/** Largest accepted seed (exactly representable integer). */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

/**
 * A seed derived from a user's: seed + offset, or seed − offset where that would pass MAX_SEED, so
 * derived streams stay apart from the user's and no error names a seed the user never gave.
 */
export function offsetSeed(seed: number, offset: number): number {
  return seed <= MAX_SEED - offset ? seed + offset : seed - offset;
}

/** Philox key (k0, k1) for a user seed. Throws a RangeError for a non-integer or out-of-range seed. */
export function seedKey(seed: number): [number, number] {
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new RangeError(`seed must be an integer in [0, ${MAX_SEED}], got ${seed}`);
  }
  return [(seed % 2 ** 32) >>> 0, Math.floor(seed / 2 ** 32) >>> 0];
}

/** Counter words 2 and 3 for (sweep, phase, stream). */
export function sweepWords(sweep: number, phase: number, stream: number): [number, number] {
  if (!Number.isInteger(sweep) || sweep < 0 || sweep > MAX_SWEEP) {
    throw new RangeError(`sweep number must be an integer in [0, 2^48), got ${sweep}`);
  }
  const hi = Math.floor(sweep / 2 ** 32);
  return [(sweep % 2 ** 32) >>> 0, ((stream << 24) | (phase << 16) | hi) >>> 0];
}

/** The four random words of (seed key, replica, sweep, phase, group, stream). */
export function randomWords(
  key: readonly [number, number],
  replica: number,
  sweep: number,
  phase: number,
  group: number,
  stream: number,
  out: Uint32Array = new Uint32Array(4),
): Uint32Array {
  const [c2, c3] = sweepWords(sweep, phase, stream);
  return philox4x32(group, replica, c2, c3, key[0], key[1], out);
}
