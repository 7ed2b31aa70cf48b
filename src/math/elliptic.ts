/** Complete elliptic integrals K and E (for Onsager's energy and specific heat). */

/**
 * Complete elliptic integrals K(k) and E(k) of the first and second kind,
 * given the complementary modulus k' = √(1 − k²) (passing k' avoids the
 * cancellation in 1 − k² near k = 1, which is exactly where Onsager needs it).
 * Arithmetic–geometric mean: K = π / (2 AGM(1, k')),
 * E = K (1 − Σ_{n≥0} 2^{n−1} c_n²) with c_0 = k, c_{n+1} = (a_n − b_n)/2.
 * At k' = 0 returns K = Infinity, E = 1.
 */
export function ellipticKEFromComplement(kPrime: number): { K: number; E: number } {
  if (!(kPrime >= 0 && kPrime <= 1)) throw new RangeError(`kPrime must be in [0, 1], got ${kPrime}`);
  if (kPrime === 0) return { K: Infinity, E: 1 };
  let a = 1;
  let b = kPrime;
  let sum = 0.5 * (1 - kPrime) * (1 + kPrime); // 2^{-1} c_0² with c_0² = 1 − k'²
  let pow = 1;
  for (let i = 0; i < 64; i++) {
    const c = 0.5 * (a - b);
    sum += pow * c * c;
    pow *= 2;
    const an = 0.5 * (a + b);
    b = Math.sqrt(a * b);
    a = an;
    if (Math.abs(c) <= 1e-17 * a) break;
  }
  const K = Math.PI / (2 * a);
  return { K, E: K * (1 - sum) };
}

/** Complete elliptic integral of the first kind K(k) = ∫₀^{π/2} dφ / √(1 − k² sin² φ), 0 ≤ k ≤ 1. */
export function ellipticK(k: number): number {
  if (!(k >= 0 && k <= 1)) throw new RangeError(`k must be in [0, 1], got ${k}`);
  return ellipticKEFromComplement(Math.sqrt((1 - k) * (1 + k))).K;
}

/** Complete elliptic integral of the second kind E(k) = ∫₀^{π/2} √(1 − k² sin² φ) dφ, 0 ≤ k ≤ 1. */
export function ellipticE(k: number): number {
  if (!(k >= 0 && k <= 1)) throw new RangeError(`k must be in [0, 1], got ${k}`);
  return ellipticKEFromComplement(Math.sqrt((1 - k) * (1 + k))).E;
}
