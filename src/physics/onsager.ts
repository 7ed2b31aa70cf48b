/**
 * Onsager's exact solution of the infinite square-lattice Ising model at h = 0
 * (k_B = 1). All functions take the temperature T and an optional coupling J.
 * For J < 0 (antiferromagnet) the sublattice flip maps the model onto the
 * ferromagnet with |J| at h = 0, so u, ln Z, f and c are those of |J| and
 * `spontaneousMagnetization` is the staggered magnetisation.
 */
import { KC } from './constants.ts';
import { ellipticKEFromComplement } from '../math/elliptic.ts';
import { integrate } from '../math/quadrature.ts';
import { requireFinite, requireTemperature } from './validate.ts';

/** Dimensionless coupling K = |J|/T after validating T and J. */
function coupling(T: number, J: number): number {
  requireTemperature(T);
  requireFinite(J, 'J');
  return Math.abs(J) / T;
}

/**
 * Complementary modulus k' = √(1 − k²) of k = 2 sinh 2K / cosh² 2K, written as
 * |1 − sinh² 2K| / (1 + sinh² 2K) so it is accurate (and exactly 0 only at T_c).
 */
function complementaryModulus(K: number): number {
  const s = Math.sinh(2 * K);
  if (s > 1e150) return 1; // k ≈ 2/s: k' = 1 to double precision, and s² would overflow
  return Math.abs((1 - s) * (1 + s)) / (1 + s * s);
}

/** ln(2 cosh 2K) without overflow at low T. */
function logTwoCosh2K(K: number): number {
  return 2 * K + Math.log1p(Math.exp(-4 * K));
}

/**
 * Internal energy per site u(T) of the infinite lattice:
 * u = −J coth 2K [1 + (2/π)(2 tanh² 2K − 1) K₁(k)], k = 2 sinh 2K / cosh² 2K.
 * At T_c the bracket's second term is 0·∞ → 0, giving u = −√2 J.
 */
export function onsagerEnergy(T: number, J = 1): number {
  const K = coupling(T, J);
  if (K === 0) return 0;
  const t2 = Math.tanh(2 * K) ** 2;
  const kp = complementaryModulus(K);
  // (2 tanh² 2K − 1) K₁ vanishes like x ln x at T_c; 0·∞ must read 0 there.
  const ell = kp === 0 ? 0 : (2 * t2 - 1) * ellipticKEFromComplement(kp).K;
  return (-Math.abs(J) / Math.tanh(2 * K)) * (1 + (2 / Math.PI) * ell);
}

/**
 * ln Z / N of the infinite lattice, from Onsager's free energy in its
 * one-dimensional form
 *   ln Z/N = ln(2 cosh 2K) + (1/π) ∫₀^{π/2} ln[(1 + √(1 − k² sin² φ)) / 2] dφ,
 * integrated adaptively (1 − k² sin² φ = k'² + k² cos² φ avoids cancellation
 * near T_c, where the integrand has a near-kink at φ = π/2). Accurate to ~1e-12.
 */
export function onsagerLnZ(T: number, J = 1): number {
  const K = coupling(T, J);
  if (K === 0) return Math.LN2;
  const kp = complementaryModulus(K);
  const k2 = (1 - kp) * (1 + kp);
  const kp2 = kp * kp;
  const integrand = (phi: number): number => {
    const c = Math.cos(phi);
    return Math.log(0.5 * (1 + Math.sqrt(kp2 + k2 * c * c)));
  };
  return logTwoCosh2K(K) + integrate(integrand, 0, Math.PI / 2, 1e-15) / Math.PI;
}

/** Free energy per site of the infinite lattice, f = −T ln Z / N. */
export function onsagerFreeEnergy(T: number, J = 1): number {
  return -T * onsagerLnZ(T, J);
}

/**
 * Specific heat per site of the infinite lattice (analytic, Onsager/Huang):
 * c = (4/π)(K coth 2K)² {K₁ − E₁ − (1 − tanh² 2K)[π/2 + (2 tanh² 2K − 1) K₁]},
 * with K₁, E₁ the complete elliptic integrals at modulus k = 2 sinh 2K / cosh² 2K.
 * Diverges logarithmically at T_c: returns Infinity when K is within a few
 * ulps of K_c (there the finite value would only reflect rounding of T).
 */
export function onsagerSpecificHeat(T: number, J = 1): number {
  const K = coupling(T, J);
  if (K === 0) return 0;
  if (Math.abs(K - KC) <= 8 * Number.EPSILON * KC) return Infinity;
  const kp = complementaryModulus(K);
  if (kp === 0) return Infinity;
  const { K: K1, E: E1 } = ellipticKEFromComplement(kp);
  const t2 = Math.tanh(2 * K) ** 2;
  const pre = (4 / Math.PI) * (K / Math.tanh(2 * K)) ** 2;
  return pre * (K1 - E1 - (1 - t2) * (Math.PI / 2 + (2 * t2 - 1) * K1));
}

/**
 * Spontaneous magnetisation per site (Yang 1952): (1 − sinh⁻⁴ 2K)^{1/8} for
 * T < T_c, 0 at and above T_c. For J < 0 this is the staggered magnetisation.
 */
export function spontaneousMagnetization(T: number, J = 1): number {
  const K = coupling(T, J);
  if (K <= KC) return 0;
  const s = Math.sinh(2 * K);
  const x = 1 - 1 / (s * s * s * s);
  return x > 0 ? x ** (1 / 8) : 0;
}
