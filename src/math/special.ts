/**
 * Special functions: log-gamma and the regularised incomplete gamma functions (series /
 * continued fraction, after Numerical Recipes §6.2, own implementation) for p-values, and the
 * complementary error function with the Gaussian tail H(x) for the learning theory.
 */

// Lanczos approximation, g = 7, 9 coefficients: ~1e-15 relative accuracy.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma: x must be > 0, got ${x}`);
  if (x < 0.5) {
    // Reflection keeps the Lanczos sum in its accurate range.
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  }
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + LANCZOS_G + 0.5;
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

const EPS = 1e-15;
const FPMIN = 1e-300;
const MAX_ITER = 100_000;

// ln of the common prefactor x^a e^{-x} / Γ(a).
function logPrefactor(a: number, x: number): number {
  return -x + a * Math.log(x) - logGamma(a);
}

// Series for P(a, x); converges quickly for x < a + 1.
function gammaPSeries(a: number, x: number): number {
  let ap = a;
  let del = 1 / a;
  let sum = del;
  for (let i = 0; i < MAX_ITER; i++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(logPrefactor(a, x));
}

// Continued fraction for Q(a, x) (modified Lentz); converges for x > a + 1.
function gammaQContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / FPMIN;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = b + an / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.exp(logPrefactor(a, x)) * h;
}

function checkArgs(name: string, a: number, x: number): void {
  if (!(a > 0) || !Number.isFinite(a)) throw new RangeError(`${name}: a must be finite and > 0, got ${a}`);
  if (!(x >= 0)) throw new RangeError(`${name}: x must be ≥ 0, got ${x}`);
}

/** Regularised lower incomplete gamma P(a, x) = γ(a, x)/Γ(a), a > 0, x ≥ 0. */
export function regularizedGammaP(a: number, x: number): number {
  checkArgs('regularizedGammaP', a, x);
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? gammaPSeries(a, x) : 1 - gammaQContinuedFraction(a, x);
}

/**
 * Regularised upper incomplete gamma Q(a, x) = Γ(a, x)/Γ(a) = 1 − P(a, x).
 * Computed directly in the tail (continued fraction) so small p-values keep
 * their relative accuracy instead of cancelling in 1 − P.
 */
export function regularizedGammaQ(a: number, x: number): number {
  checkArgs('regularizedGammaQ', a, x);
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - gammaPSeries(a, x) : gammaQContinuedFraction(a, x);
}

/** Upper-tail probability of the χ² distribution: P(X ≥ chi2) for `dof` degrees of freedom. */
export function chiSquareSurvival(chi2: number, dof: number): number {
  if (!(dof > 0)) throw new RangeError(`chiSquareSurvival: dof must be > 0, got ${dof}`);
  if (!(chi2 >= 0)) throw new RangeError(`chiSquareSurvival: chi2 must be ≥ 0, got ${chi2}`);
  return regularizedGammaQ(dof / 2, chi2 / 2);
}

const INV_SQRTPI = 1 / Math.sqrt(Math.PI);
const SQRT2 = Math.SQRT2;

/**
 * Scaled complementary error function e^{x²} erfc(x) for x ≥ 0, to ~1e-14
 * relative: the all-positive series erf(x) = (2/√π) e^{−x²} Σ x(2x²)^n/(2n+1)!!
 * below x = 2, the continued fraction
 * erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))) above.
 */
function erfcScaled(x: number): number {
  if (!(x >= 0)) throw new RangeError(`erfcScaled: x must be >= 0, got ${x}`);
  if (x < 2) {
    const x2 = 2 * x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= x2 / (2 * n + 1);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    return Math.exp(x * x) - 2 * INV_SQRTPI * sum;
  }
  // Modified Lentz evaluation of b0 + a1/(b1 + a2/(b2 + …)), b_n = x, a_n = n/2.
  const tiny = 1e-300;
  let f = x;
  let C = f;
  let D = 0;
  for (let n = 1; n < 500; n++) {
    const an = n / 2;
    D = x + an * D;
    if (D === 0) D = tiny;
    C = x + an / C;
    if (C === 0) C = tiny;
    D = 1 / D;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return INV_SQRTPI / f;
}

/** erfc(x) for any real x. */
export function erfc(x: number): number {
  if (x >= 0) return erfcScaled(x) * Math.exp(-x * x);
  return 2 - erfcScaled(-x) * Math.exp(-x * x);
}

/** Gaussian tail H(x) = ∫_x^∞ Dt = erfc(x/√2)/2. */
export function gaussianTail(x: number): number {
  return 0.5 * erfc(x / SQRT2);
}

/** ln H(x), accurate for large positive x (no underflow) and for x → −∞. */
export function logGaussianTail(x: number): number {
  if (x >= 0) return Math.log(0.5 * erfcScaled(x / SQRT2)) - 0.5 * x * x;
  return Math.log1p(-gaussianTail(-x));
}
