// RS theory of teacher–student Gibbs learning (src/physics/learning-theory.ts)
// checked against the literature: Engel & Van den
// Broeck ch. 2 and 7, Györgyi (1990), Gardner (1988), Krauth & Mézard (1989).
// Expected numbers come from those sources (or from tabulated special-function
// values), never from the code under test.
import { describe, expect, it } from 'vitest';
import {
  binaryGibbsEntropy,
  binaryPerceptronGibbs,
  binaryPerceptronLearningCurve,
  binaryPerceptronTransition,
  binaryStorageCapacity,
  gardnerCapacitySpherical,
  sphericalGibbsEntropy,
  sphericalPerceptronGibbs,
  sphericalPerceptronGibbsFiniteT,
  sphericalPerceptronLearningCurve,
} from '../src/physics/index.ts';
import { erfc, gaussianTail, integrate, logGaussianTail } from '../src/math/index.ts';

function expectWithin(actual: number, expected: number, tol: number): void {
  if (!(Math.abs(actual - expected) <= tol)) {
    throw new Error(`expected ${actual} to be within ${tol} of ${expected} (diff ${actual - expected})`);
  }
}

describe('special functions', () => {
  it('erfc matches tabulated values (Abramowitz & Stegun 7.1)', () => {
    // erfc(0.5), erfc(1), erfc(2), erfc(3), erfc(5) to 15+ digits.
    const table: [number, number][] = [
      [0, 1],
      [0.5, 0.4795001221869535],
      [1, 0.15729920705028513],
      [2, 0.004677734981047266],
      [3, 2.209049699858544e-5],
      [5, 1.5374597944280349e-12],
    ];
    for (const [x, v] of table) {
      expect(Math.abs(erfc(x) - v) / v).toBeLessThan(1e-12);
      expect(Math.abs(erfc(-x) - (2 - v))).toBeLessThan(1e-14);
    }
  });

  it('H(x) agrees with direct quadrature of the Gaussian density, ln H stays finite far out', () => {
    const phi = (t: number): number => Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
    for (const x of [-3, -1, 0, 0.7, 2.5, 6]) {
      const direct = integrate(phi, x, 40, 1e-17);
      expect(Math.abs(gaussianTail(x) - direct) / direct).toBeLessThan(1e-10);
    }
    // Mills ratio: ln H(x) = −x²/2 − ln(x√(2π)) + ln(1 − 1/x² + 3/x⁴ − …).
    const x = 40;
    const asym =
      -0.5 * x * x - Math.log(x * Math.sqrt(2 * Math.PI)) + Math.log1p(-1 / x ** 2 + 3 / x ** 4 - 15 / x ** 6);
    expect(Math.abs(logGaussianTail(x) - asym)).toBeLessThan(1e-9);
    expect(Math.abs(logGaussianTail(-40))).toBe(0);
  });
});

describe('spherical perceptron, Gibbs learning (T = 0)', () => {
  it('ε = arccos(R)/π with R/√(1−R) = (α/π) I(R) (Engel & Van den Broeck ch. 2): ε(1) = 0.338, ε(2) = 0.240, ε(5) = 0.118', () => {
    expectWithin(sphericalPerceptronGibbs(1).epsilon, 0.338, 0.002);
    expectWithin(sphericalPerceptronGibbs(2).epsilon, 0.24, 0.002);
    expectWithin(sphericalPerceptronGibbs(5).epsilon, 0.118, 0.002);
  });

  it('α·ε(α) approaches 0.625 monotonically (within 1 % at α = 200)', () => {
    const alphas = [50, 100, 200];
    const products = alphas.map((a) => a * sphericalPerceptronGibbs(a).epsilon);
    expect(products[1]).toBeGreaterThan(products[0]);
    expect(products[2]).toBeGreaterThan(products[1]);
    for (let i = 1; i < 3; i++) {
      expect(Math.abs(products[i] - 0.625)).toBeLessThan(Math.abs(products[i - 1] - 0.625));
    }
    expect(Math.abs(products[2] - 0.625) / 0.625).toBeLessThan(0.01);
  });

  it('ε(0) = 1/2, ε decreasing, R ∈ [0, 1], ε = arccos(R)/π', () => {
    expect(sphericalPerceptronGibbs(0).epsilon).toBe(0.5);
    const alphas = [0, 0.1, 0.5, 1, 2, 3, 5, 10, 20, 50];
    const eps = sphericalPerceptronLearningCurve(alphas);
    for (let i = 1; i < eps.length; i++) expect(eps[i]).toBeLessThan(eps[i - 1]);
    for (const a of alphas) {
      const { R, epsilon } = sphericalPerceptronGibbs(a);
      expect(R).toBeGreaterThanOrEqual(0);
      expect(R).toBeLessThanOrEqual(1);
      expect(Math.abs(epsilon - Math.acos(R) / Math.PI)).toBeLessThan(1e-9);
    }
  });

  it('the saddle-point R maximises the RS entropy s(R) = ½ln(1−R) + R/2 + α G_E(R)', () => {
    // Consistency of the implemented equation with the free energy it comes from.
    for (const a of [0.5, 2, 5]) {
      const { R } = sphericalPerceptronGibbs(a);
      const d = 1e-3;
      const s0 = sphericalGibbsEntropy(R, a);
      expect(s0).toBeGreaterThan(sphericalGibbsEntropy(R - d, a));
      expect(s0).toBeGreaterThan(sphericalGibbsEntropy(R + d, a));
      const deriv = (sphericalGibbsEntropy(R + 1e-5, a) - sphericalGibbsEntropy(R - 1e-5, a)) / 2e-5;
      expect(Math.abs(deriv)).toBeLessThan(1e-6);
    }
    // No data: the version space is the whole sphere, entropy 0 relative to it.
    expect(Math.abs(sphericalGibbsEntropy(0, 0))).toBeLessThan(1e-15);
  });
});

describe('binary perceptron, Gibbs learning with a binary teacher', () => {
  it('first-order transition to perfect generalisation at α ≈ 1.245, spinodal at α ≈ 1.49 (Györgyi 1990)', () => {
    const { alphaFirstOrder, alphaSpinodal } = binaryPerceptronTransition();
    expectWithin(alphaFirstOrder, 1.245, 0.01);
    expectWithin(alphaSpinodal, 1.49, 0.02);
  });

  it('R < 1 branch: ε(0) = 1/2, entropy ln 2 at α = 0, stable only below the transition, none past the spinodal', () => {
    const zero = binaryPerceptronGibbs(0);
    expect(zero.epsilon).toBe(0.5);
    expect(Math.abs(zero.entropy - Math.LN2)).toBeLessThan(1e-15);
    const { alphaFirstOrder, alphaSpinodal } = binaryPerceptronTransition();
    let prev = zero;
    for (const a of [0.2, 0.5, 1, 1.2, 1.3, 1.4, 1.48]) {
      const r = binaryPerceptronGibbs(a);
      expect(r.R).toBeGreaterThan(0);
      expect(r.R).toBeLessThan(1);
      expect(r.epsilon).toBeLessThan(prev.epsilon);
      expect(r.entropy).toBeLessThan(prev.entropy);
      expect(r.stable).toBe(a < alphaFirstOrder);
      prev = r;
    }
    expect(() => binaryPerceptronGibbs(alphaSpinodal + 0.01)).toThrow(RangeError);
  });

  it('the branch is a local maximum of s(R, α), and R = 1 has entropy 0', () => {
    for (const a of [0.5, 1.2]) {
      const { R, entropy } = binaryPerceptronGibbs(a);
      expect(Math.abs(binaryGibbsEntropy(R, a) - entropy)).toBeLessThan(1e-12);
      expect(entropy).toBeGreaterThan(binaryGibbsEntropy(R - 1e-3, a));
      expect(entropy).toBeGreaterThan(binaryGibbsEntropy(R + 1e-3, a));
    }
    expect(binaryGibbsEntropy(1, 1)).toBe(0);
    // Annealed-like check at R = 0: s = ln 2 + α ln(1/2) (each pattern halves the space).
    expect(Math.abs(binaryGibbsEntropy(0, 0.7) - 0.3 * Math.LN2)).toBeLessThan(1e-10);
  });

  it('stable learning curve: decreasing, then 0 (perfect generalisation) from α ≈ 1.245 on', () => {
    const alphas = [0, 0.5, 1, 1.2, 1.24, 1.26, 1.4, 2, 5];
    const eps = binaryPerceptronLearningCurve(alphas);
    expect(eps[0]).toBe(0.5);
    for (let i = 1; i < 5; i++) expect(eps[i]).toBeLessThan(eps[i - 1]);
    for (let i = 5; i < alphas.length; i++) expect(eps[i]).toBe(0);
    // The jump at the transition is finite (first order).
    expect(eps[4]).toBeGreaterThan(0.2);
  });
});

describe('Gardner capacities', () => {
  it('spherical perceptron: α_c(0) = 2, and α_c(κ) = 1/[(1+κ²)H(−κ) + κφ(κ)]', () => {
    expect(Math.abs(gardnerCapacitySpherical() - 2)).toBeLessThan(1e-6);
    expect(Math.abs(gardnerCapacitySpherical(0) - 2)).toBeLessThan(1e-6);
    for (const k of [-1, 0.5, 1, 2]) {
      const phi = Math.exp(-0.5 * k * k) / Math.sqrt(2 * Math.PI);
      const closed = 1 / ((1 + k * k) * gaussianTail(-k) + k * phi);
      expect(Math.abs(gardnerCapacitySpherical(k) - closed) / closed).toBeLessThan(1e-10);
    }
  });

  it('binary perceptron: RS entropy vanishes at α_c ≈ 0.833 (Krauth & Mézard 1989)', () => {
    expectWithin(binaryStorageCapacity(), 0.833, 0.002);
  });
});

describe('spherical perceptron, Gibbs learning at temperature T = 1/β', () => {
  it('low temperature reproduces T = 0 (q = R, and the T = 0 values ε(1) = 0.338, ε(5) = 0.118)', () => {
    const one = sphericalPerceptronGibbsFiniteT(1, 40);
    expectWithin(one.epsilon, 0.338, 0.002);
    expect(Math.abs(one.q - one.R)).toBeLessThan(1e-6);
    expectWithin(sphericalPerceptronGibbsFiniteT(5, 40).epsilon, 0.118, 0.002);
  });

  it('ε grows with temperature at fixed α, and q <= R (students spread beyond the version space)', () => {
    let prev = sphericalPerceptronGibbs(1).epsilon;
    for (const beta of [5, 1, 0.3]) {
      const r = sphericalPerceptronGibbsFiniteT(1, beta);
      expect(r.epsilon).toBeGreaterThan(prev);
      expect(r.q).toBeLessThan(r.R);
      expect(r.q).toBeGreaterThan(r.R * r.R);
      prev = r.epsilon;
    }
  });

  it('high-temperature limit: q → R², R/√(1−R²) = αβ/π (Engel & Van den Broeck ch. 4)', () => {
    const alpha = 100;
    const beta = 0.01;
    const x = (alpha * beta) / Math.PI;
    const Rht = x / Math.sqrt(1 + x * x);
    const r = sphericalPerceptronGibbsFiniteT(alpha, beta);
    expectWithin(r.R, Rht, 0.003);
    expectWithin(r.q, Rht * Rht, 0.003);
  });
});
