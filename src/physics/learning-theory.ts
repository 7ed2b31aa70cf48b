/**
 * Replica-symmetric (RS) theory of teacher–student learning with perceptrons,
 * solved numerically (N → ∞, Gaussian inputs, α = P/N). References: Engel &
 * Van den Broeck, "Statistical Mechanics of Learning" (2001), ch. 2 and 7;
 * Gardner (1988); Gardner & Derrida (1988); Györgyi (1990); Krauth & Mézard
 * (1989); Seung, Sompolinsky & Tishby (1992).
 *
 * Notation: Dt = e^{−t²/2} dt/√(2π), φ(t) = e^{−t²/2}/√(2π),
 * H(x) = ∫_x^∞ Dt = erfc(x/√2)/2.
 *
 * Zero-temperature Gibbs learning samples a student uniformly from the version
 * space (all students with zero training error). The teacher is then
 * statistically one more replica, so the RS order parameters obey q = R
 * (student–student overlap = teacher–student overlap) and q̂ = R̂. With
 * a = √(R/(1−R)), the energetic term common to both perceptrons is
 *
 *   G_E(R) = 2 ∫Dt H(−a t) ln H(−a t),
 *   dG_E/dR = I(R) / (2π √(1−R)),   I(R) = ∫Dt e^{−R t²/2} / H(−√R t)
 *
 * (the derivative follows by differentiating in a, integrating by parts in t
 * and substituting t = √(1−R) u).
 *
 * Spherical student (J·J = N): entropic term ½ ln(1−R) + R/2, so
 *   s(R) = ½ ln(1−R) + R/2 + α G_E(R),  and ∂s/∂R = 0 gives
 *   R/√(1−R) = (α/π) I(R),   ε = arccos(R)/π.
 *
 * Binary (Ising) student and teacher, J ∈ {±1}^N: entropic term
 *   s_0(R) = min_R̂ [ −R̂(1+R)/2 + ∫Dz ln 2cosh(√R̂ z + R̂) ],
 * stationary at R = ∫Dz tanh(√R̂ z + R̂); s(R) = s_0(R) + α G_E(R), and
 * ∂s/∂R = −R̂/2 + α I(R)/(2π√(1−R)) = 0 gives
 *   α = h(R) := π √(1−R) R̂(R) / I(R).
 * h rises from 0 (h ≈ πR/2) to a maximum and falls again: the maximum is the
 * spinodal α_sp where the poor-generalisation branch (R < 1, a local maximum
 * of s) merges with the unstable one. R = 1 (s = 0) is always a local maximum
 * (near R = 1, α G_E ∝ −√(1−R) beats the entropy ∝ (1−R) ln(1/(1−R))), so the
 * first-order transition is where s on the R < 1 branch crosses 0.
 */
import { goldenMax, stationaryPoint2D } from '../math/optimize.ts';
import { gaussianAverage, integrate } from '../math/quadrature.ts';
import { brentRoot } from '../math/roots.ts';
import { logGaussianTail } from '../math/special.ts';

const SQRT2PI = Math.sqrt(2 * Math.PI);

// ---------------------------------------------------------------------------
// Energetic term shared by the Gibbs-learning problems
// ---------------------------------------------------------------------------

/**
 * I(R) = ∫Dt e^{−R t²/2} / H(−√R t), evaluated as ∫Dt exp(−R t²/2 − ln H(−√R t))
 * so that the t → −∞ tail (H → 0, integrand ~ √(2πR)|t|·φ(t)) is stable.
 */
function gibbsOverlapIntegral(R: number): number {
  const sR = Math.sqrt(R);
  return gaussianAverage((t) => Math.exp(-0.5 * R * t * t - logGaussianTail(-sR * t)));
}

/** G_E(R) = 2 ∫Dt H(−a t) ln H(−a t), a = √(R/(1−R)); 0 at R = 1, −ln 2 at R = 0. */
function gibbsEnergeticTerm(R: number): number {
  if (R >= 1) return 0;
  const a = Math.sqrt(R / (1 - R));
  return (
    2 *
    gaussianAverage((t) => {
      const lh = logGaussianTail(-a * t);
      return Math.exp(lh) * lh;
    })
  );
}

// ---------------------------------------------------------------------------
// 1. Spherical perceptron, Gibbs learning
// ---------------------------------------------------------------------------

export interface SphericalGibbsResult {
  /** Teacher–student overlap R ∈ [0, 1). */
  R: number;
  /** Generalisation error ε = arccos(R)/π. */
  epsilon: number;
}

/**
 * Spherical perceptron, zero-temperature Gibbs learning: R solves
 * R/√(1−R) = (α/π) I(R), I(R) = ∫Dt e^{−Rt²/2}/H(−√R t); ε = arccos(R)/π.
 * Solved by Brent's method in x = ln(1−R) ∈ [−80, 0] so R close to 1 (large α)
 * keeps full relative accuracy in 1 − R; ε = (2/π) arcsin(√((1−R)/2)).
 *
 * Large-α asymptote: 1 − R = δ → 0 gives 1/√δ ≈ (α/π) C with
 * C = I(1) = ∫Dt e^{−t²/2}/H(−t) ≈ 2.263, so δ ≈ π²/(αC)², and
 * ε ≈ √(2δ)/π = √2/(C α) ≈ 0.625/α (Engel & Van den Broeck quote
 * ε ≈ 0.62/α).
 */
export function sphericalPerceptronGibbs(alpha: number): SphericalGibbsResult {
  if (!(alpha >= 0) || !Number.isFinite(alpha)) throw new RangeError(`alpha must be finite and >= 0, got ${alpha}`);
  if (alpha === 0) return { R: 0, epsilon: 0.5 };
  const F = (x: number): number => {
    const delta = Math.exp(x);
    const R = 1 - delta;
    return R / Math.sqrt(delta) - (alpha / Math.PI) * gibbsOverlapIntegral(R);
  };
  // F(0) = −2α/π < 0; F(−80) ≈ e^{40} > 0 for any α below ~1e17.
  const x = brentRoot(F, -80, 0, 1e-13);
  const delta = Math.exp(x);
  return { R: 1 - delta, epsilon: (2 / Math.PI) * Math.asin(Math.sqrt(delta / 2)) };
}

/** ε(α) of the spherical perceptron under Gibbs learning, for each α. */
export function sphericalPerceptronLearningCurve(alphas: ArrayLike<number>): Float64Array {
  const out = new Float64Array(alphas.length);
  for (let i = 0; i < alphas.length; i++) out[i] = sphericalPerceptronGibbs(alphas[i]).epsilon;
  return out;
}

/** Spherical RS entropy s(R, α) = ½ ln(1−R) + R/2 + α G_E(R) (maximised by the Gibbs R). */
export function sphericalGibbsEntropy(R: number, alpha: number): number {
  return 0.5 * Math.log1p(-R) + 0.5 * R + alpha * gibbsEnergeticTerm(R);
}

// ---------------------------------------------------------------------------
// 2. Binary (Ising) perceptron, Gibbs learning with a binary teacher
// ---------------------------------------------------------------------------

/** ∫Dz tanh(√R̂ z + R̂): the overlap conjugate to R̂ on the Nishimori line. */
function isingTanhAvg(Rhat: number): number {
  const s = Math.sqrt(Rhat);
  return gaussianAverage((z) => Math.tanh(s * z + Rhat));
}

/** ∫Dz ln 2cosh(√R̂ z + R̂), written as |x| + log1p(e^{−2|x|}). */
function isingLogCoshAvg(Rhat: number): number {
  const s = Math.sqrt(Rhat);
  return gaussianAverage((z) => {
    const x = Math.abs(s * z + Rhat);
    return x + Math.log1p(Math.exp(-2 * x));
  });
}

/** R̂(R): the root of ∫Dz tanh(√R̂ z + R̂) = R (increasing in R̂). */
function isingConjugate(R: number): number {
  if (R <= 0) return 0;
  let hi = 1;
  while (isingTanhAvg(hi) < R) {
    hi *= 2;
    if (hi > 1e6) throw new RangeError(`binary perceptron: R = ${R} too close to 1`);
  }
  return brentRoot((Rh) => isingTanhAvg(Rh) - R, 0, hi, 1e-13);
}

/** Entropic part s_0(R) = −R̂(1+R)/2 + ∫Dz ln 2cosh(√R̂ z + R̂) at R̂ = R̂(R). */
function isingEntropic(R: number, Rhat: number): number {
  return -0.5 * Rhat * (1 + R) + isingLogCoshAvg(Rhat);
}

/** α on the RS stationary curve at overlap R: α = h(R) = π√(1−R) R̂(R)/I(R). */
function isingAlphaOfR(R: number): number {
  if (R <= 0) return 0;
  return (Math.PI * Math.sqrt(1 - R) * isingConjugate(R)) / gibbsOverlapIntegral(R);
}

/**
 * RS entropy (per weight, in nats) of the binary version space restricted to
 * teacher–student overlap R: s(R, α) = s_0(R) + α G_E(R). s(0, 0) = ln 2,
 * s(1, α) = 0.
 */
export function binaryGibbsEntropy(R: number, alpha: number): number {
  if (R >= 1) return 0;
  return isingEntropic(R, isingConjugate(R)) + alpha * gibbsEnergeticTerm(R);
}

let spinodalCache: { R: number; alpha: number } | null = null;

/** The spinodal: the maximum of α = h(R) over R ∈ (0, 1). */
function isingSpinodal(): { R: number; alpha: number } {
  if (!spinodalCache) {
    const m = goldenMax(isingAlphaOfR, 0.05, 0.995, 1e-8);
    spinodalCache = { R: m.x, alpha: m.f };
  }
  return spinodalCache;
}

let transitionCache: { alphaFirstOrder: number; alphaSpinodal: number; RFirstOrder: number; RSpinodal: number } | null =
  null;

export interface BinaryGibbsResult {
  /** Teacher–student overlap on the poor-generalisation (R < 1) branch. */
  R: number;
  /** ε = arccos(R)/π on that branch. */
  epsilon: number;
  /** RS entropy of the version space on that branch (nats per weight). */
  entropy: number;
  /** True where that branch is the thermodynamic state (entropy > 0, α < α_1st); false where metastable. */
  stable: boolean;
}

/**
 * Binary perceptron, zero-temperature Gibbs learning with a binary teacher:
 * the R < 1 (poor-generalisation) RS branch, the local maximum of s(R, α),
 * found by solving α = h(R) on the rising part of h (R below the spinodal).
 * It exists for 0 ≤ α ≤ α_sp ≈ 1.49; beyond that a RangeError is thrown (only
 * R = 1, ε = 0 remains). `stable` is false past the first-order transition,
 * where the perfect-generalisation state (entropy 0) wins.
 */
export function binaryPerceptronGibbs(alpha: number): BinaryGibbsResult {
  if (!(alpha >= 0) || !Number.isFinite(alpha)) throw new RangeError(`alpha must be finite and >= 0, got ${alpha}`);
  if (alpha === 0) return { R: 0, epsilon: 0.5, entropy: Math.LN2, stable: true };
  const sp = isingSpinodal();
  if (alpha > sp.alpha) {
    throw new RangeError(`binary perceptron: no R < 1 RS branch for alpha = ${alpha} > spinodal ${sp.alpha}`);
  }
  const R = alpha === sp.alpha ? sp.R : brentRoot((r) => isingAlphaOfR(r) - alpha, 0, sp.R, 1e-12);
  const entropy = binaryGibbsEntropy(R, alpha);
  return { R, epsilon: Math.acos(R) / Math.PI, entropy, stable: entropy > 0 };
}

/**
 * The first-order transition to perfect generalisation (entropy of the R < 1
 * branch crosses 0; Györgyi 1990: α ≈ 1.245) and the spinodal where that
 * branch ends (α ≈ 1.49), with the overlaps there.
 */
export function binaryPerceptronTransition(): {
  alphaFirstOrder: number;
  alphaSpinodal: number;
  RFirstOrder: number;
  RSpinodal: number;
} {
  if (!transitionCache) {
    const sp = isingSpinodal();
    // Along the branch, parametrised by R: s(R, h(R)) falls from ln 2 to below 0.
    const entropyOnBranch = (R: number): number => binaryGibbsEntropy(R, isingAlphaOfR(R));
    const R1 = brentRoot(entropyOnBranch, 0.05, sp.R, 1e-10);
    transitionCache = { alphaFirstOrder: isingAlphaOfR(R1), alphaSpinodal: sp.alpha, RFirstOrder: R1, RSpinodal: sp.R };
  }
  return transitionCache;
}

/**
 * ε(α) of the binary perceptron on the thermodynamically stable branch: the
 * R < 1 branch below the first-order transition, 0 (R = 1) at and beyond it.
 */
export function binaryPerceptronLearningCurve(alphas: ArrayLike<number>): Float64Array {
  const { alphaFirstOrder } = binaryPerceptronTransition();
  const out = new Float64Array(alphas.length);
  for (let i = 0; i < alphas.length; i++) {
    const a = alphas[i];
    out[i] = a >= alphaFirstOrder ? 0 : binaryPerceptronGibbs(a).epsilon;
  }
  return out;
}

// ---------------------------------------------------------------------------
// 3. Gardner capacities
// ---------------------------------------------------------------------------

/**
 * Gardner capacity of the spherical perceptron at stability κ:
 * 1/α_c = ∫_{−κ}^∞ Dt (t + κ)²; α_c(0) = 2.
 */
export function gardnerCapacitySpherical(kappa = 0): number {
  const f = (t: number): number => (Math.exp(-0.5 * t * t) / SQRT2PI) * (t + kappa) ** 2;
  const lo = -kappa;
  const hi = Math.max(lo, 0) + 40;
  const mid = Math.max(lo, 0);
  const integral = (lo < mid ? integrate(f, lo, mid, 1e-15) : 0) + integrate(f, mid, hi, 1e-15);
  return 1 / integral;
}

/**
 * Binary-perceptron storage problem (κ = 0), RS: with b = √(q/(1−q)),
 *   s(q) = −q̂(1−q)/2 + ∫Dz ln 2cosh(√q̂ z) + α ∫Dt ln H(−b t),
 * stationary at q = ∫Dz tanh²(√q̂ z) and
 *   q̂ = −α/(b(1−q)²) · ∫Dt t φ(b t)/H(−b t).
 * Parametrised by q, the second equation gives α(q). The capacity is where the
 * RS entropy vanishes (Krauth & Mézard 1989: α_c ≈ 0.833; the RS q → 1 limit
 * 4/π is not the capacity because the entropy is already negative there).
 */
export function binaryStorageCapacity(): number {
  const tanh2Avg = (qh: number): number => {
    const s = Math.sqrt(qh);
    return gaussianAverage((z) => Math.tanh(s * z) ** 2);
  };
  const conj = (q: number): number => {
    let hi = 1;
    while (tanh2Avg(hi) < q) hi *= 2;
    return brentRoot((qh) => tanh2Avg(qh) - q, 0, hi, 1e-13);
  };
  const state = (q: number): { alpha: number; s: number } => {
    const qh = conj(q);
    const b = Math.sqrt(q / (1 - q));
    // t φ(bt)/H(−bt), with the ratio taken in log space.
    const J = gaussianAverage((t) => (t * Math.exp(-0.5 * b * b * t * t - logGaussianTail(-b * t))) / SQRT2PI);
    const alpha = (-qh * b * (1 - q) ** 2) / J;
    const sq = Math.sqrt(qh);
    const logCosh = gaussianAverage((z) => {
      const x = Math.abs(sq * z);
      return x + Math.log1p(Math.exp(-2 * x));
    });
    const energetic = gaussianAverage((t) => logGaussianTail(-b * t));
    return { alpha, s: -0.5 * qh * (1 - q) + logCosh + alpha * energetic };
  };
  const q0 = brentRoot((q) => state(q).s, 0.05, 0.99, 1e-11);
  return state(q0).alpha;
}

// ---------------------------------------------------------------------------
// 4. Spherical perceptron, Gibbs learning at temperature T = 1/β
// ---------------------------------------------------------------------------

export interface SphericalGibbsFiniteTResult {
  /** Teacher–student overlap R. */
  R: number;
  /** Student–student overlap q (q = R only at T = 0). */
  q: number;
  /** Generalisation error ε = arccos(R)/π. */
  epsilon: number;
}

/**
 * RS free energy of Gibbs learning at inverse temperature β with training
 * energy = number of misclassified patterns (Engel & Van den Broeck ch. 4):
 *   −βf(q, R) = ½ ln(1−q) + (q−R²)/(2(1−q))
 *             + 2α ∫Dt H(−R t/√(q−R²)) ln[e^{−β} + (1−e^{−β}) H(−√(q/(1−q)) t)].
 * At β → ∞ the stationary point has q = R and reduces to the T = 0 equation.
 * Written here in the variables R and w = (q − R²)/(1 − R²) ∈ (0, 1).
 */
function freeEnergyQR(R: number, w: number, alpha: number, beta: number): number {
  const oneMinusR2 = 1 - R * R;
  const qMinusR2 = oneMinusR2 * w;
  const oneMinusQ = oneMinusR2 * (1 - w);
  const q = R * R + qMinusR2;
  const c1 = R / Math.sqrt(qMinusR2);
  const c2 = Math.sqrt(q / oneMinusQ);
  const lnEb = -beta;
  const ln1mEb = Math.log(-Math.expm1(-beta));
  const energetic = gaussianAverage((t) => {
    const lw = logGaussianTail(-c1 * t);
    const inner = ln1mEb + logGaussianTail(-c2 * t);
    const m = Math.max(lnEb, inner);
    const lg = m + Math.log1p(Math.exp(-Math.abs(lnEb - inner)));
    return Math.exp(lw) * lg;
  });
  return 0.5 * Math.log(oneMinusQ) + qMinusR2 / (2 * oneMinusQ) + 2 * alpha * energetic;
}

const logistic = (x: number): number => 1 / (1 + Math.exp(-x));
const logit = (p: number): number => Math.log(p / (1 - p));

/**
 * Spherical perceptron, Gibbs learning at inverse temperature β (energy =
 * number of training errors): the RS stationary point of −βf(q, R) above,
 * found by Newton's method in logistic coordinates R = σ(u),
 * w = (q − R²)/(1 − R²) = σ(v), by continuation in β from β = 30 (where it
 * coincides with the T = 0 solution, q = R) down to the requested β.
 * High-temperature limit (β → 0, αβ fixed): q → R², R/√(1−R²) = αβ/π.
 */
export function sphericalPerceptronGibbsFiniteT(alpha: number, beta: number): SphericalGibbsFiniteTResult {
  if (!(alpha >= 0) || !Number.isFinite(alpha)) throw new RangeError(`alpha must be finite and >= 0, got ${alpha}`);
  if (!(beta > 0)) throw new RangeError(`beta must be > 0, got ${beta}`);
  if (alpha === 0) return { R: 0, q: 0, epsilon: 0.5 };
  if (!Number.isFinite(beta)) {
    const { R, epsilon } = sphericalPerceptronGibbs(alpha);
    return { R, q: R, epsilon };
  }
  const betaStart = Math.max(beta, 30);
  const R0 = sphericalPerceptronGibbs(alpha).R;
  let u = logit(R0);
  let v = logit(R0 / (1 + R0));
  let b = betaStart;
  for (;;) {
    const bb = b;
    [u, v] = stationaryPoint2D(
      (uu, vv) => freeEnergyQR(logistic(uu), logistic(vv), alpha, bb),
      u,
      v,
      'sphericalPerceptronGibbsFiniteT',
    );
    if (b === beta) break;
    b = Math.max(beta, b / 1.5);
  }
  const R = logistic(u);
  const w = logistic(v);
  const q = R * R + (1 - R * R) * w;
  return { R, q, epsilon: Math.acos(R) / Math.PI };
}
