/**
 * Small numerical helpers: log-space sums and the special functions the
 * exact results need, with no dependencies beyond Math.
 */

/** ln Σ exp(x_i), stable for large or very negative x_i; −Infinity for an empty list. */
export function logSumExp(xs: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < xs.length; i++) if (xs[i] > max) max = xs[i];
  if (max === -Infinity) return -Infinity;
  if (max === Infinity) return Infinity;
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += Math.exp(xs[i] - max);
  return max + Math.log(sum);
}

/** ln(e^a + e^b) without overflow. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/** ln(2 cosh x) without overflow for large |x|. */
export function logTwoCosh(x: number): number {
  const a = Math.abs(x);
  return a + Math.log1p(Math.exp(-2 * a));
}

/** ln|2 sinh x| without overflow and with full relative accuracy for small |x|. */
export function logTwoSinhAbs(x: number): number {
  const a = Math.abs(x);
  return a + Math.log(-Math.expm1(-2 * a));
}

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

// Gauss–Kronrod 7/15 nodes and weights (QUADPACK qk15), nodes on [−1, 1].
const XGK = [
  0.991455371120812639206854697526329, 0.949107912342758524526189684047851, 0.864864423359769072789712788640926,
  0.741531185599394439863864773280788, 0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
  0.207784955007898467600689403773245, 0.0,
];
const WGK = [
  0.02293532201052922496373200805897, 0.063092092629978553290700663189204, 0.104790010322250183839876322541518,
  0.140653259715525918745189590510238, 0.16900472663926790282658342659855, 0.190350578064785409913256402421014,
  0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
];
const WG = [
  0.129484966168869693270611432679082, 0.27970539148927666790146777142378, 0.381830050505118944950369775488975,
  0.417959183673469387755102040816327,
];

/** One G7/K15 panel: Kronrod estimate and |Kronrod − Gauss| as its error. */
function gk15(f: (x: number) => number, a: number, b: number): { value: number; error: number } {
  const c = 0.5 * (a + b);
  const h = 0.5 * (b - a);
  const fc = f(c);
  let k = WGK[7] * fc;
  let g = WG[3] * fc;
  for (let j = 0; j < 7; j++) {
    const fs = f(c - h * XGK[j]) + f(c + h * XGK[j]);
    k += WGK[j] * fs;
    if (j % 2 === 1) g += WG[(j - 1) / 2] * fs; // Gauss nodes are the odd Kronrod ones
  }
  return { value: k * h, error: Math.abs((k - g) * h) };
}

/**
 * Adaptive Gauss–Kronrod quadrature of a smooth function on [a, b], bisecting
 * panels until each meets its share of `absTol`. Adaptive because Onsager's
 * integrand develops a near-kink at one endpoint as T → T_c.
 */
export function integrate(f: (x: number) => number, a: number, b: number, absTol = 1e-14, maxDepth = 60): number {
  const recurse = (lo: number, hi: number, tol: number, depth: number): number => {
    const { value, error } = gk15(f, lo, hi);
    if (error <= tol || depth >= maxDepth) return value;
    const mid = 0.5 * (lo + hi);
    return recurse(lo, mid, tol / 2, depth + 1) + recurse(mid, hi, tol / 2, depth + 1);
  };
  return recurse(a, b, absTol, 0);
}
