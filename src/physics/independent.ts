/**
 * n independent spins x_i = ±1 in a field, E = −B Σ x_i (the 8-spin example of the
 * eight-spins page, without coupling): Z = (2 cosh βB)^n.
 *
 * "The probability of energy E" has two readings. At β = B = 1, n = 8 (Z = 8229.04),
 * ONE configuration with E = −6 has e^6/Z = 0.0490 and one with E = 0 has 1/Z = 1.22e-4;
 * summed over the 8 and 70 configurations of those energies they are 0.392 and 0.0085.
 * `probabilityOfEnergy` gives the per-configuration value (the numbers the example quotes),
 * `probabilityOfEnergyLevel` the summed one.
 */
import { logTwoCosh } from '../math/logexp.ts';
import { requireFinite, requireInteger } from './validate.ts';

/** Largest n for which all 2^n configurations are listed. */
const MAX_INDEPENDENT_SPINS = 16;

/** One configuration of the independent-spin system. */
export interface SpinConfiguration {
  /** Bit i set means x_i = +1. */
  index: number;
  /** x_i = ±1, i = 0 … n−1. */
  spins: Int8Array;
  /** E = −B Σ x_i. */
  energy: number;
  /** Boltzmann probability e^{−βE} / Z. */
  probability: number;
}

/** Exact results for n independent spins in a field. */
export interface IndependentSpins {
  /** Partition function (2 cosh βB)^n (may overflow to Infinity for large βB·n; use lnZ). */
  Z: number;
  /** ln Z = n ln(2 cosh βB). */
  lnZ: number;
  /** Free energy F = −(1/β) ln Z. */
  F: number;
  /** All 2^n configurations in index order. */
  configurations: SpinConfiguration[];
  /** e^{−βE}/Z: probability of one given configuration whose energy is E (E is not checked for attainability). */
  probabilityOfEnergy(E: number): number;
  /** Total probability of the energy level E (degeneracy × e^{−βE}/Z); 0 if no configuration has energy E. */
  probabilityOfEnergyLevel(E: number): number;
}

/** Binomial coefficient C(n, k) as a double (exact for the n <= 16 used here). */
function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/**
 * Exact Z, ln Z, F, every configuration with its probability, and energy
 * probabilities for n (1 … 16) independent spins at inverse temperature
 * `beta` (>= 0) in field B.
 */
export function independentSpins(n: number, beta: number, B: number): IndependentSpins {
  requireInteger(n, 'n', 1, MAX_INDEPENDENT_SPINS);
  requireFinite(beta, 'beta');
  if (beta < 0) throw new RangeError(`beta must be >= 0, got ${beta}`);
  requireFinite(B, 'B');
  const lnZ = n * logTwoCosh(beta * B);
  const probabilityOfEnergy = (E: number): number => Math.exp(-beta * E - lnZ);
  const configurations: SpinConfiguration[] = [];
  for (let index = 0; index < 2 ** n; index++) {
    const spins = new Int8Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      spins[i] = (index >> i) & 1 ? 1 : -1;
      sum += spins[i];
    }
    const energy = -B * sum;
    configurations.push({ index, spins, energy, probability: probabilityOfEnergy(energy) });
  }
  const probabilityOfEnergyLevel = (E: number): number => {
    // Count configurations with |E − E_k| within rounding, E_k = −B(2k − n), k spins up.
    let total = 0;
    const tol = 1e-9 * Math.max(1, Math.abs(B) * n);
    for (let k = 0; k <= n; k++) {
      const Ek = -B * (2 * k - n);
      if (Math.abs(Ek - E) <= tol) total += binomial(n, k) * probabilityOfEnergy(Ek);
    }
    return total;
  };
  return {
    Z: Math.exp(lnZ),
    lnZ,
    F: beta > 0 ? -lnZ / beta : -Infinity,
    configurations,
    probabilityOfEnergy,
    probabilityOfEnergyLevel,
  };
}
