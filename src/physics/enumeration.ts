/**
 * Exact enumeration of every configuration of a small Lx × Ly periodic
 * lattice, independent of the closed-form results (Kaufman) it is used to
 * check. Bonds follow the simulator: site (x, y) bonds to (x+1 mod Lx, y) and
 * (x, y+1 mod Ly), so N sites always have 2N bonds (a side of length 2 bonds
 * the same pair twice). Sites are row-major, i = y·Lx + x.
 * E = −J·bonds − h·M with bonds = Σ s_i s_j over those 2N bonds, M = Σ s_i.
 */
import { logSumExp } from '../math/logexp.ts';
import { type FiniteThermodynamics, freeEnergyFields } from './thermodynamics.ts';
import { requireFinite, requireInteger, requireTemperature } from './validate.ts';

/** Largest N = Lx·Ly that `densityOfStates` accepts (2^25 ≈ 3.4e7 states, ~0.5 s). */
export const MAX_ENUMERATION_SITES = 25;

/** Largest N that `boltzmannProbabilities` accepts (2^20 doubles = 8 MiB). */
const MAX_PROBABILITY_SITES = 20;

/** One entry of the joint density of states: `count` configurations with these bonds and M. */
export interface DensityOfStatesEntry {
  /** Σ s_i s_j over the 2N right and down bonds (integer in [−2N, 2N]). */
  bonds: number;
  /** M = Σ s_i (integer in [−N, N]). */
  magnetization: number;
  /** Number of configurations (exact integer). */
  count: number;
}

/** Exact thermodynamics of a finite system; per-site except `lnZ`. */
export interface ExactThermodynamics extends FiniteThermodynamics {
  /** Mean magnetisation per site ⟨m⟩ (zero at h = 0 by symmetry). */
  m: number;
  /** ⟨|m|⟩. */
  m_abs: number;
  /** ⟨m²⟩. */
  m2: number;
  /** ⟨m⁴⟩. */
  m4: number;
  /** Susceptibility βN(⟨m²⟩ − ⟨|m|⟩²) (finite-lattice convention with |m|). */
  chi: number;
  /** Binder cumulant 1 − ⟨m⁴⟩ / (3⟨m²⟩²). */
  binder: number;
}

/** Throws unless Lx, Ly are integer sides >= 2 with Lx·Ly <= maxSites. */
function requireLattice(Lx: number, Ly: number, maxSites: number): void {
  requireInteger(Lx, 'Lx', 2);
  requireInteger(Ly, 'Ly', 2);
  if (Lx * Ly > maxSites) {
    throw new RangeError(`Lx*Ly must be <= ${maxSites} for exact enumeration, got ${Lx * Ly}`);
  }
}

/** Neighbour table: 4 entries per site (right, left, down, up); duplicates kept on 2-wide sides. */
function neighbours(Lx: number, Ly: number): Int32Array {
  const nb = new Int32Array(4 * Lx * Ly);
  for (let y = 0; y < Ly; y++) {
    for (let x = 0; x < Lx; x++) {
      const i = 4 * (y * Lx + x);
      nb[i] = y * Lx + ((x + 1) % Lx);
      nb[i + 1] = y * Lx + ((x + Lx - 1) % Lx);
      nb[i + 2] = ((y + 1) % Ly) * Lx + x;
      nb[i + 3] = ((y + Ly - 1) % Ly) * Lx + x;
    }
  }
  return nb;
}

/**
 * Walks all 2^N configurations in Gray-code order (one spin flip per step, so
 * bonds and M update in O(1)), calling `visit(grayIndex, bonds, M)`. Bit i of
 * grayIndex set means spin i is +1; index 0 is all spins −1.
 */
function walkStates(Lx: number, Ly: number, visit: (index: number, bonds: number, M: number) => void): void {
  const N = Lx * Ly;
  const nb = neighbours(Lx, Ly);
  const s = new Int8Array(N).fill(-1);
  let bonds = 2 * N;
  let M = -N;
  let gray = 0;
  visit(0, bonds, M);
  const total = 2 ** N;
  for (let k = 1; k < total; k++) {
    const i = 31 - Math.clz32(k & -k); // the bit that changes between Gray codes k−1 and k
    const j = 4 * i;
    const si = s[i];
    // Flipping s_i changes each of its four bond terms (duplicates included) by −2 s_i s_j.
    bonds -= 2 * si * (s[nb[j]] + s[nb[j + 1]] + s[nb[j + 2]] + s[nb[j + 3]]);
    M -= 2 * si;
    s[i] = -si;
    gray ^= 1 << i;
    visit(gray, bonds, M);
  }
}

/**
 * Joint density of states g(bonds, M) of the Lx × Ly torus by visiting all
 * 2^N configurations (sides >= 2, N <= 25; cost ~2^N steps, about 0.5 s at
 * N = 25). Entries are sorted by bonds, then magnetization.
 */
export function densityOfStates(Lx: number, Ly: number): DensityOfStatesEntry[] {
  requireLattice(Lx, Ly, MAX_ENUMERATION_SITES);
  const N = Lx * Ly;
  const nM = N + 1;
  const hist = new Float64Array((4 * N + 1) * nM);
  walkStates(Lx, Ly, (_index, bonds, M) => {
    hist[(bonds + 2 * N) * nM + (M + N) / 2]++;
  });
  const out: DensityOfStatesEntry[] = [];
  for (let b = 0; b <= 4 * N; b++) {
    for (let k = 0; k < nM; k++) {
      const count = hist[b * nM + k];
      if (count > 0) out.push({ bonds: b - 2 * N, magnetization: 2 * k - N, count });
    }
  }
  return out;
}

/**
 * Exact thermodynamics from a density of states of an N-site system at
 * temperature T, coupling J and field h (E = −J·bonds − h·M). Sums are taken
 * in log space relative to the largest Boltzmann weight, and the energy
 * variance is accumulated about the mean, so low T and large N stay accurate.
 */
export function exactFromDensityOfStates(
  dos: readonly DensityOfStatesEntry[],
  N: number,
  T: number,
  J = 1,
  h = 0,
): ExactThermodynamics {
  requireInteger(N, 'N', 1);
  requireTemperature(T);
  requireFinite(J, 'J');
  requireFinite(h, 'h');
  if (dos.length === 0) throw new RangeError('dos must not be empty');
  const beta = 1 / T;
  const logW = new Float64Array(dos.length);
  for (let i = 0; i < dos.length; i++) {
    const { bonds, magnetization, count } = dos[i];
    logW[i] = beta * (J * bonds + h * magnetization) + Math.log(count);
  }
  const lnZ = logSumExp(logW);
  const p = logW.map((l) => Math.exp(l - lnZ));
  // Every average is Σ_i term(i) in entry order; each term keeps its own product order.
  const sum = (term: (i: number) => number): number => {
    let s = 0;
    for (let i = 0; i < dos.length; i++) s += term(i);
    return s;
  };
  const E = Float64Array.from(dos, (d) => -J * d.bonds - h * d.magnetization);
  const m = (i: number): number => dos[i].magnetization / N;
  const meanE = sum((i) => p[i] * E[i]);
  const mAbs = sum((i) => p[i] * Math.abs(m(i)));
  const m2 = sum((i) => p[i] * m(i) * m(i));
  const m4 = sum((i) => p[i] * m(i) * m(i) * m(i) * m(i));
  const varE = sum((i) => p[i] * (E[i] - meanE) * (E[i] - meanE));
  return {
    ...freeEnergyFields(lnZ, N, T),
    e: meanE / N,
    c: (beta * beta * varE) / N,
    m: sum((i) => p[i] * m(i)),
    m_abs: mAbs,
    m2,
    m4,
    chi: beta * N * (m2 - mAbs * mAbs),
    binder: 1 - m4 / (3 * m2 * m2),
  };
}

const dosCache = new Map<string, DensityOfStatesEntry[]>();

/**
 * Exact thermodynamics of the Lx × Ly torus by enumeration (N <= 25). The
 * density of states is cached per lattice shape, so sweeping T, J or h costs
 * one enumeration.
 */
export function enumerateTorus(Lx: number, Ly: number, T: number, J = 1, h = 0): ExactThermodynamics {
  const key = `${Lx}x${Ly}`;
  let dos = dosCache.get(key);
  if (!dos) {
    dos = densityOfStates(Lx, Ly);
    dosCache.set(key, dos);
  }
  return exactFromDensityOfStates(dos, Lx * Ly, T, J, h);
}

/**
 * Bond sum (over each site's right and down bond) and magnetisation of one
 * configuration; `spins` are ±1 in row-major order (index y·Lx + x).
 */
export function stateBondsAndMagnetization(
  spins: Int8Array | readonly number[],
  Lx: number,
  Ly: number,
): { bonds: number; magnetization: number } {
  requireInteger(Lx, 'Lx', 2);
  requireInteger(Ly, 'Ly', 2);
  if (spins.length !== Lx * Ly) {
    throw new RangeError(`spins must have length Lx*Ly = ${Lx * Ly}, got ${spins.length}`);
  }
  let bonds = 0;
  let magnetization = 0;
  for (let y = 0; y < Ly; y++) {
    for (let x = 0; x < Lx; x++) {
      const s = spins[y * Lx + x];
      if (s !== 1 && s !== -1) throw new RangeError(`spins must be ±1, got ${s} at index ${y * Lx + x}`);
      bonds += s * (spins[y * Lx + ((x + 1) % Lx)] + spins[((y + 1) % Ly) * Lx + x]);
      magnetization += s;
    }
  }
  return { bonds, magnetization };
}

/** Energy E = −J·bonds − h·M of one configuration (see `stateBondsAndMagnetization`). */
export function stateEnergy(spins: Int8Array | readonly number[], Lx: number, Ly: number, J = 1, h = 0): number {
  const { bonds, magnetization } = stateBondsAndMagnetization(spins, Lx, Ly);
  return -J * bonds - h * magnetization;
}

/**
 * Boltzmann probability of every configuration of the Lx × Ly torus
 * (N <= 20). Entry `index` is the state in which spin i (i = y·Lx + x) is +1
 * iff bit i of `index` is set. Normalised in log space.
 */
export function boltzmannProbabilities(Lx: number, Ly: number, T: number, J = 1, h = 0): Float64Array {
  requireLattice(Lx, Ly, MAX_PROBABILITY_SITES);
  requireTemperature(T);
  requireFinite(J, 'J');
  requireFinite(h, 'h');
  const beta = 1 / T;
  const out = new Float64Array(2 ** (Lx * Ly));
  walkStates(Lx, Ly, (index, bonds, M) => {
    out[index] = beta * (J * bonds + h * M);
  });
  const lnZ = logSumExp(out);
  for (let i = 0; i < out.length; i++) out[i] = Math.exp(out[i] - lnZ);
  return out;
}
