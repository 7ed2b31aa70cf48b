/**
 * The 8 spins of the example on a ring with nearest-neighbour coupling,
 * E = −J Σ_i x_i x_{i+1 mod n} − B Σ_i x_i, solved twice: by enumerating all 2^n states and by
 * the 2×2 transfer matrix (src/physics/chain.ts, T = 1/β, h = B).
 */
import { chainExact } from '../../../physics/chain.ts';
import { logSumExp } from '../../../math/logexp.ts';

/** One state of the ring. */
export interface RingState {
  /** Bit i set means x_i = +1 (the same indexing as src/physics/independent.ts). */
  index: number;
  spins: Int8Array;
  energy: number;
  probability: number;
}

/** One energy level of the ring: its energy, how many states share it, and its total probability. */
export interface RingLevel {
  energy: number;
  degeneracy: number;
  /** Probability of one state at this energy, e^{−βE}/Z. */
  probabilityEach: number;
  /** degeneracy × probabilityEach. */
  probabilityTotal: number;
}

/** Result of the enumeration. */
export interface RingEnumeration {
  lnZ: number;
  Z: number;
  states: RingState[];
  /** Levels in increasing energy. */
  levels: RingLevel[];
}

/** Energy of one ring state. */
function ringEnergy(spins: ArrayLike<number>, J: number, B: number): number {
  const n = spins.length;
  let bonds = 0;
  let field = 0;
  for (let i = 0; i < n; i++) {
    bonds += spins[i] * spins[(i + 1) % n];
    field += spins[i];
  }
  return -J * bonds - B * field;
}

/** Z of the n-spin ring by summing e^{−βE} over all 2^n states (in logs). */
export function enumerateRing(n: number, beta: number, J: number, B: number): RingEnumeration {
  const count = 2 ** n;
  const states: RingState[] = [];
  const exponents = new Float64Array(count);
  for (let index = 0; index < count; index++) {
    const spins = new Int8Array(n);
    for (let i = 0; i < n; i++) spins[i] = (index >> i) & 1 ? 1 : -1;
    const energy = ringEnergy(spins, J, B);
    exponents[index] = -beta * energy;
    states.push({ index, spins, energy, probability: 0 });
  }
  const lnZ = logSumExp(exponents);
  for (const s of states) s.probability = Math.exp(exponents[s.index] - lnZ);
  const byEnergy = new Map<number, RingLevel>();
  for (const s of states) {
    const key = Math.round(s.energy * 1e9) / 1e9;
    const level = byEnergy.get(key);
    if (level) {
      level.degeneracy++;
      level.probabilityTotal += s.probability;
    } else {
      byEnergy.set(key, {
        energy: s.energy,
        degeneracy: 1,
        probabilityEach: s.probability,
        probabilityTotal: s.probability,
      });
    }
  }
  const levels = [...byEnergy.values()].sort((a, b) => a.energy - b.energy);
  return { lnZ, Z: Math.exp(lnZ), states, levels };
}

/**
 * ln Z of the ring by the transfer matrix. chainExact takes a temperature, so β = 0 (T = ∞) is
 * its limit instead: every state weighs 1 and Z = 2^n (λ₊ = 2, λ₋ = 0).
 */
export function transferMatrixLnZ(n: number, beta: number, J: number, B: number): number {
  if (beta === 0) return n * Math.LN2;
  return chainExact(n, 1 / beta, J, B).lnZ;
}
