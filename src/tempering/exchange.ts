/**
 * Replica exchange on the CPU, the twin of shaders/tempering/exchange.wgsl, and the rules both
 * share: which sweeps exchange, which pairs, and with which random words.
 *
 * Replicas are grouped in chains of K (replica r belongs to chain floor(r / K)); a chain is one
 * ladder, its K replicas holding its K temperature slots. Exchanges swap slot indices, never
 * lattices. After sweep s (absolute, from 0) an exchange happens iff (s + 1) is a multiple of
 * `every`; exchange number n = (s + 1) / every tries the pairs (k, k+1) with k ≡ n (mod 2), in
 * increasing k, each with word 0 of Philox(counter = (k, chain, s mod 2^32,
 * TEMPERING << 24 | floor(s / 2^32)), key = seed) — even/odd alternation without bias.
 */

import { philox4x32 } from '../rng/philox.ts';
import { STREAMS, sweepWords } from '../rng/streams.ts';
import { ParameterError } from '../params/errors.ts';
import { swapThreshold, type SwapTables } from './swap-tables.ts';

/** Exchange schedule and acceptance tables of a tempering run. */
export interface TemperingPlan {
  /** Exchange after every `every` sweeps. */
  every: number;
  tables: SwapTables;
}

/** −1 when sweep s does not exchange, else the parity of the pairs it tries. */
export function exchangeParity(sweep: number, every: number): -1 | 0 | 1 {
  if ((sweep + 1) % every !== 0) return -1;
  return (((sweep + 1) / every) % 2) as 0 | 1;
}

/**
 * The replica at each slot of each chain ([c·K + k]) from the replicas' slots; throws a
 * ParameterError unless each chain's K replicas hold its K slots exactly once.
 */
export function slotReplicas(slots: readonly number[], K: number): Uint32Array {
  if (slots.length % K !== 0) {
    throw new ParameterError(
      'replicas',
      `replicas must be a multiple of the ${K} temperatures for tempering, got ${slots.length}`,
    );
  }
  const out = new Uint32Array(slots.length).fill(0xffffffff);
  for (let r = 0; r < slots.length; r++) {
    const i = Math.floor(r / K) * K + slots[r];
    if (slots[r] >= K || out[i] !== 0xffffffff) {
      throw new ParameterError('slots', `slots must give each chain of ${K} replicas each temperature slot once`);
    }
    out[i] = r;
  }
  return out;
}

/**
 * One exchange step of chain c at sweep s (if s exchanges): updates slotReplica and
 * replicaSlot in place and counts accepted swaps per pair. `bonds(r)` is replica r's bond sum;
 * the chain draws its words as chain chainBase + chain (a batch that is a slice of a larger one).
 */
export function exchangeStep(
  slotReplica: Uint32Array,
  replicaSlot: number[],
  bonds: (replica: number) => number,
  plan: TemperingPlan,
  key: readonly [number, number],
  chain: number,
  sweep: number,
  accepted: Float64Array,
  words: Uint32Array = new Uint32Array(4),
  chainBase = 0,
): void {
  const parity = exchangeParity(sweep, plan.every);
  if (parity < 0) return;
  const K = plan.tables.K;
  const base = chain * K;
  const [c2, c3] = sweepWords(sweep, 0, STREAMS.TEMPERING);
  for (let k = parity; k + 1 < K; k += 2) {
    const a = slotReplica[base + k];
    const b = slotReplica[base + k + 1];
    philox4x32(k, chainBase + chain, c2, c3, key[0], key[1], words);
    if (words[0] < swapThreshold(plan.tables, k, bonds(a) - bonds(b))) {
      slotReplica[base + k] = b;
      slotReplica[base + k + 1] = a;
      replicaSlot[a] = k + 1;
      replicaSlot[b] = k;
      accepted[k]++;
    }
  }
}

/** Attempts per pair of exchanges over absolute sweeps [from, to) (the same for every chain). */
export function swapAttempts(K: number, every: number, from: number, to: number): Float64Array {
  const out = new Float64Array(Math.max(0, K - 1));
  for (let s = from; s < to; s++) {
    const parity = exchangeParity(s, every);
    if (parity < 0) continue;
    for (let k = parity; k + 1 < K; k += 2) out[k]++;
  }
  return out;
}
