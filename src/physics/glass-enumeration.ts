/**
 * Exact enumeration of a small Lx × Ly torus with arbitrary couplings J_ij (the ±J spin glass, or
 * any real bonds): every configuration is visited in Gray-code order, and per value of the bond
 * sum B = Σ J_ij s_i s_j (right and down bond of each site, as the simulator) the number of states
 * and Σ s_i s_j for every pair are kept. From these, at any T: ln Z, e, c, the overlap moment of
 * two independent replicas ⟨q²⟩ = (1/N²) Σ_ij ⟨s_i s_j⟩², their mean link overlap
 * ⟨q_l⟩ = (1/2N) Σ_<ij> ⟨s_i s_j⟩² over the right and down bonds, and the ground-state energy.
 * E = −J·B (field h = 0).
 */
import { logSumExp } from '../math/logexp.ts';
import { type FiniteThermodynamics, freeEnergyFields } from './thermodynamics.ts';
import { requireFinite, requireInteger, requireTemperature } from './validate.ts';

/** Bonds of one sample: right[y·Lx + x] couples (x, y)–(x+1, y), down[y·Lx + x] couples (x, y)–(x, y+1). */
export interface BondCouplings {
  Lx: number;
  Ly: number;
  right: ArrayLike<number>;
  down: ArrayLike<number>;
}

/** Largest N enumerated with pair correlations (2^20 states × 190 pairs, a few seconds). */
export const MAX_GLASS_SITES = 20;

/** What the walk keeps per distinct bond sum. */
export interface GlassSpectrum {
  N: number;
  Lx: number;
  Ly: number;
  /** Distinct bond sums B, ascending. */
  bonds: Float64Array;
  /** Number of states at each B. */
  count: Float64Array;
  /** Per level: Σ over its states of s_i s_j, pairs i < j in row order ([level·pairs + pair]). */
  pairSums: Float64Array;
}

/** Exact results of one sample at one temperature (per site except lnZ). */
export interface GlassThermodynamics extends FiniteThermodynamics {
  /** ⟨q²⟩ of two independent replicas. */
  q2: number;
  /** ⟨q_l⟩ of two independent replicas (link overlap over the 2N right and down bonds). */
  ql: number;
}

/**
 * Walks all 2^N states in Gray-code order; visit(B, spins, index) per state (bit i of index set:
 * spin i up), B exact for ±1 couplings.
 */
function walk(c: BondCouplings, visit: (bonds: number, s: Int8Array, index: number) => void): void {
  const { Lx, Ly, right, down } = c;
  const N = Lx * Ly;
  // Per site: 4 neighbours and the couplings to them (left and up bonds are the neighbours' own).
  const nb = new Int32Array(4 * N);
  const J = new Float64Array(4 * N);
  let bonds = 0;
  for (let y = 0; y < Ly; y++) {
    for (let x = 0; x < Lx; x++) {
      const i = y * Lx + x;
      const l = y * Lx + ((x + Lx - 1) % Lx);
      const u = ((y + Ly - 1) % Ly) * Lx + x;
      nb.set([y * Lx + ((x + 1) % Lx), l, ((y + 1) % Ly) * Lx + x, u], 4 * i);
      J.set([right[i], right[l], down[i], down[u]], 4 * i);
      bonds += right[i] + down[i]; // all spins −1: every product is +1
    }
  }
  const s = new Int8Array(N).fill(-1);
  let gray = 0;
  visit(bonds, s, gray);
  for (let k = 1; k < 2 ** N; k++) {
    const i = 31 - Math.clz32(k & -k);
    const j = 4 * i;
    const field = J[j] * s[nb[j]] + J[j + 1] * s[nb[j + 1]] + J[j + 2] * s[nb[j + 2]] + J[j + 3] * s[nb[j + 3]];
    bonds -= 2 * s[i] * field;
    s[i] = -s[i];
    gray ^= 1 << i;
    visit(bonds, s, gray);
  }
}

/** Enumerate one sample (N ≤ MAX_GLASS_SITES): states and pair correlations per bond sum. */
export function glassSpectrum(c: BondCouplings): GlassSpectrum {
  requireInteger(c.Lx, 'Lx', 2);
  requireInteger(c.Ly, 'Ly', 2);
  const N = c.Lx * c.Ly;
  if (N > MAX_GLASS_SITES) throw new RangeError(`Lx*Ly must be <= ${MAX_GLASS_SITES} for enumeration, got ${N}`);
  if (c.right.length !== N || c.down.length !== N) throw new RangeError(`couplings must have Lx*Ly = ${N} bonds each`);
  for (let i = 0; i < N; i++) requireFinite(c.right[i] + c.down[i], 'couplings');
  const pairs = (N * (N - 1)) / 2;
  const levels = new Map<number, { count: number; sums: Float64Array }>();
  walk(c, (B, s) => {
    let level = levels.get(B);
    if (!level) {
      level = { count: 0, sums: new Float64Array(pairs) };
      levels.set(B, level);
    }
    level.count++;
    const sums = level.sums;
    let p = 0;
    for (let i = 0; i < N; i++) {
      const si = s[i];
      for (let j = i + 1; j < N; j++) sums[p++] += si * s[j];
    }
  });
  const bonds = Float64Array.from([...levels.keys()].sort((a, b) => a - b));
  const count = Float64Array.from(bonds, (B) => levels.get(B)!.count);
  const pairSums = new Float64Array(bonds.length * pairs);
  bonds.forEach((B, l) => {
    pairSums.set(levels.get(B)!.sums, l * pairs);
  });
  return { N, Lx: c.Lx, Ly: c.Ly, bonds, count, pairSums };
}

/** ln Z, e, c and ⟨q²⟩ of a spectrum at temperature T with energy scale J (E = −J·B). */
export function glassThermodynamics(spec: GlassSpectrum, T: number, J = 1): GlassThermodynamics {
  requireTemperature(T);
  requireFinite(J, 'J');
  const { N, bonds, count, pairSums } = spec;
  const beta = 1 / T;
  const logW = Float64Array.from(bonds, (B, l) => beta * J * B + Math.log(count[l]));
  const lnZ = logSumExp(logW);
  const p = logW.map((w) => Math.exp(w - lnZ));
  let meanE = 0;
  for (let l = 0; l < bonds.length; l++) meanE += p[l] * -J * bonds[l];
  let varE = 0;
  for (let l = 0; l < bonds.length; l++) varE += p[l] * (-J * bonds[l] - meanE) ** 2;
  // ⟨s_i s_j⟩ = Σ_levels (p_l / count_l) · Σ_{states of l} s_i s_j.
  const pairs = (N * (N - 1)) / 2;
  const corr = new Float64Array(pairs);
  let q2 = N;
  for (let k = 0; k < pairs; k++) {
    for (let l = 0; l < bonds.length; l++) corr[k] += (p[l] / count[l]) * pairSums[l * pairs + k];
    q2 += 2 * corr[k] * corr[k];
  }
  const ql = linkOverlap(spec, corr);
  return { ...freeEnergyFields(lnZ, N, T), e: meanE / N, c: (beta * beta * varE) / N, q2: q2 / (N * N), ql };
}

/** (1/2N) Σ over the right and down bonds of ⟨s_i s_j⟩², from the pair correlations (i < j, row order). */
function linkOverlap(spec: GlassSpectrum, corr: Float64Array): number {
  const { N, Lx, Ly } = spec;
  const pair = (a: number, b: number): number => {
    const [i, j] = a < b ? [a, b] : [b, a];
    return i * N - (i * (i + 1)) / 2 + (j - i - 1);
  };
  let sum = 0;
  for (let y = 0; y < Ly; y++) {
    for (let x = 0; x < Lx; x++) {
      const i = y * Lx + x;
      sum += corr[pair(i, y * Lx + ((x + 1) % Lx))] ** 2 + corr[pair(i, ((y + 1) % Ly) * Lx + x)] ** 2;
    }
  }
  return sum / (2 * N);
}

/**
 * Exact P(q) of two independent replicas at temperature T (N ≤ MAX_GLASS_SITES): entry i is the
 * probability of q = −1 + 2i/N (N − i spins differ). With p the Boltzmann weights over states,
 * f(x) = Σ_a p_a p_{a⊕x} is the XOR self-convolution of p, computed by the Walsh–Hadamard
 * transform (f̂ = p̂²); P(q) sums f over the x with N − i bits set.
 */
export function exactOverlapDistribution(c: BondCouplings, T: number, J = 1): Float64Array {
  requireTemperature(T);
  const N = c.Lx * c.Ly;
  if (N > MAX_GLASS_SITES) throw new RangeError(`Lx*Ly must be <= ${MAX_GLASS_SITES} for enumeration, got ${N}`);
  const p = new Float64Array(2 ** N);
  walk(c, (B, _s, index) => {
    p[index] = (J * B) / T;
  });
  const lnZ = logSumExp(p);
  for (let x = 0; x < p.length; x++) p[x] = Math.exp(p[x] - lnZ);
  walshHadamard(p);
  for (let x = 0; x < p.length; x++) p[x] *= p[x];
  walshHadamard(p);
  const out = new Float64Array(N + 1);
  for (let x = 0; x < p.length; x++) {
    let bits = 0;
    for (let v = x; v; v &= v - 1) bits++;
    out[N - bits] += p[x] / p.length;
  }
  return out;
}

/** In-place unnormalised Walsh–Hadamard transform (length a power of two). */
function walshHadamard(x: Float64Array): void {
  for (let len = 1; len < x.length; len <<= 1) {
    for (let i = 0; i < x.length; i += 2 * len) {
      for (let j = i; j < i + len; j++) {
        const a = x[j];
        const b = x[j + len];
        x[j] = a + b;
        x[j + len] = a - b;
      }
    }
  }
}

/** Largest N of `enumeratedGroundStateBonds` (2^25 states, a few seconds). */
export const MAX_ENUMERATED_GROUND_STATE_SITES = 25;

/**
 * The largest bond sum B over all states by visiting every one: the oracle of the transfer-matrix
 * `groundStateBonds` (glass-ground-state.ts), which the studies use.
 */
export function enumeratedGroundStateBonds(c: BondCouplings): number {
  requireInteger(c.Lx, 'Lx', 2);
  requireInteger(c.Ly, 'Ly', 2);
  const N = c.Lx * c.Ly;
  if (N > MAX_ENUMERATED_GROUND_STATE_SITES)
    throw new RangeError(`Lx*Ly must be <= ${MAX_ENUMERATED_GROUND_STATE_SITES} for the ground state, got ${N}`);
  let best = Number.NEGATIVE_INFINITY;
  walk(c, (B) => {
    if (B > best) best = B;
  });
  return best;
}

/** Most sites glassLnZ enumerates (2^24 states: well under a second). */
export const MAX_LNZ_SITES = 24;

/**
 * ln Z of one sample at temperature T by enumeration without pair correlations (N ≤
 * MAX_LNZ_SITES): only the number of states per bond sum is kept, so a 4×4 sample takes
 * milliseconds (the spin-glass page's exact f over many samples).
 */
export function glassLnZ(c: BondCouplings, T: number, J = 1): number {
  requireTemperature(T);
  requireFinite(J, 'J');
  requireInteger(c.Lx, 'Lx', 2);
  requireInteger(c.Ly, 'Ly', 2);
  const N = c.Lx * c.Ly;
  if (N > MAX_LNZ_SITES) throw new RangeError(`Lx*Ly must be <= ${MAX_LNZ_SITES} for ln Z, got ${N}`);
  const levels = new Map<number, number>();
  walk(c, (B) => {
    levels.set(B, (levels.get(B) ?? 0) + 1);
  });
  return logSumExp(Float64Array.from(levels, ([B, n]) => (J * B) / T + Math.log(n)));
}

/** Ground-state energy per site, −J·max B / N (J > 0). */
export const groundStateEnergy = (spec: GlassSpectrum, J = 1): number =>
  (-J * spec.bonds[spec.bonds.length - 1]) / spec.N;
