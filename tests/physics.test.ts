// Exact results in src/physics checked against the literature (Onsager 1944, Kaufman 1949,
// Krauth 2006) and computations done here independently of the code under test (direct sums
// over states, a row transfer matrix, Onsager's 2D integral, finite differences).
import { describe, expect, it } from 'vitest';
import {
  CATALAN,
  KC,
  LN_Z_PER_SITE_AT_TC,
  TC,
  boltzmannProbabilities,
  chainExact,
  densityOfStates,
  enumerateTorus,
  exactFromDensityOfStates,
  independentSpins,
  kaufman,
  onsagerEnergy,
  onsagerFreeEnergy,
  onsagerLnZ,
  onsagerSpecificHeat,
  spontaneousMagnetization,
  stateBondsAndMagnetization,
  stateEnergy,
} from '../src/physics/index.ts';
import { ellipticE, ellipticK, integrate } from '../src/math/index.ts';

/** |a − b| <= tol·max(1, |b|): relative for large values, absolute near 0. */
function expectClose(actual: number, expected: number, tol: number): void {
  const err = Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
  if (!(err <= tol)) throw new Error(`expected ${actual} to be within ${tol} of ${expected} (err ${err})`);
}

// ---------- independent reference computations (no src/physics code) ----------

/** Observables of one state of an Lx×Ly torus, bonds listed explicitly per site. */
function directBondsAndM(spins: number[], Lx: number, Ly: number): { bonds: number; M: number } {
  let bonds = 0;
  let M = 0;
  for (let y = 0; y < Ly; y++) {
    for (let x = 0; x < Lx; x++) {
      const s = spins[y * Lx + x];
      const right = spins[y * Lx + ((x + 1) % Lx)];
      const down = spins[((y + 1) % Ly) * Lx + x];
      bonds += s * right + s * down;
      M += s;
    }
  }
  return { bonds, M };
}

/** Direct sum over all states: plain weights (fine for N <= 12 at moderate β). */
function directTorus(Lx: number, Ly: number, T: number, J: number, h: number) {
  const N = Lx * Ly;
  let Z = 0,
    sE = 0,
    sE2 = 0,
    sM = 0,
    sAbs = 0,
    sM2 = 0,
    sM4 = 0;
  const weights: number[] = [];
  for (let idx = 0; idx < 2 ** N; idx++) {
    const spins = Array.from({ length: N }, (_, i) => ((idx >> i) & 1 ? 1 : -1));
    const { bonds, M } = directBondsAndM(spins, Lx, Ly);
    const E = -J * bonds - h * M;
    const w = Math.exp(-E / T);
    weights.push(w);
    const m = M / N;
    Z += w;
    sE += w * E;
    sE2 += w * E * E;
    sM += w * m;
    sAbs += w * Math.abs(m);
    sM2 += w * m * m;
    sM4 += w * m ** 4;
  }
  const e = sE / Z,
    m2 = sM2 / Z,
    mAbs = sAbs / Z;
  return {
    lnZ: Math.log(Z),
    e: e / N,
    c: (sE2 / Z - e * e) / (T * T * N),
    m: sM / Z,
    m_abs: mAbs,
    m2,
    m4: sM4 / Z,
    chi: (N / T) * (m2 - mAbs * mAbs),
    binder: 1 - sM4 / Z / (3 * m2 * m2),
    probabilities: weights.map((w) => w / Z),
  };
}

/** Brute-force periodic chain: E = −J Σ s_i s_{i+1 mod N} − h Σ s_i. */
function directChain(N: number, T: number, J: number, h: number) {
  let Z = 0,
    sE = 0,
    sE2 = 0,
    sM = 0;
  for (let idx = 0; idx < 2 ** N; idx++) {
    let bonds = 0,
      M = 0;
    for (let i = 0; i < N; i++) {
      const s = (idx >> i) & 1 ? 1 : -1;
      const t = (idx >> ((i + 1) % N)) & 1 ? 1 : -1;
      bonds += s * t;
      M += s;
    }
    const E = -J * bonds - h * M;
    const w = Math.exp(-E / T);
    Z += w;
    sE += w * E;
    sE2 += w * E * E;
    sM += w * M;
  }
  const e = sE / Z;
  return { lnZ: Math.log(Z), e: e / N, c: (sE2 / Z - e * e) / (T * T * N), m: sM / Z / N };
}

/**
 * Row transfer matrix of a width-w, length-Ly torus at h = 0, J = 1, carried
 * in truncated Taylor arithmetic in β (value, d/dβ, d²/dβ²), so ln Z, e and c
 * come out exactly without Kaufman's formula. Cost ~ Ly·8^w.
 */
function transferMatrixTorus(w: number, Ly: number, T: number) {
  const S = 2 ** w;
  const beta = 1 / T;
  const spin = (s: number, x: number) => ((s >> x) & 1 ? 1 : -1);
  const bmax = 2 * w;
  // M[s][s'] = exp(β·(row bonds of s + vertical bonds s→s')), scaled by e^{−β·bmax}.
  const m0 = new Float64Array(S * S),
    m1 = new Float64Array(S * S),
    m2 = new Float64Array(S * S);
  for (let a = 0; a < S; a++) {
    for (let b = 0; b < S; b++) {
      let bonds = 0;
      for (let x = 0; x < w; x++) bonds += spin(a, x) * spin(a, (x + 1) % w) + spin(a, x) * spin(b, x);
      const v = Math.exp(beta * (bonds - bmax));
      m0[a * S + b] = v;
      m1[a * S + b] = v * bonds;
      m2[a * S + b] = v * bonds * bonds;
    }
  }
  let p0 = m0.slice(),
    p1 = m1.slice(),
    p2 = m2.slice();
  for (let k = 1; k < Ly; k++) {
    const q0 = new Float64Array(S * S),
      q1 = new Float64Array(S * S),
      q2 = new Float64Array(S * S);
    for (let a = 0; a < S; a++) {
      for (let c = 0; c < S; c++) {
        const x0 = p0[a * S + c],
          x1 = p1[a * S + c],
          x2 = p2[a * S + c];
        for (let b = 0; b < S; b++) {
          const y0 = m0[c * S + b],
            y1 = m1[c * S + b],
            y2 = m2[c * S + b];
          q0[a * S + b] += x0 * y0;
          q1[a * S + b] += x0 * y1 + x1 * y0;
          q2[a * S + b] += x0 * y2 + 2 * x1 * y1 + x2 * y0;
        }
      }
    }
    p0 = q0;
    p1 = q1;
    p2 = q2;
  }
  let t0 = 0,
    t1 = 0,
    t2 = 0;
  for (let a = 0; a < S; a++) {
    t0 += p0[a * S + a];
    t1 += p1[a * S + a];
    t2 += p2[a * S + a];
  }
  const N = w * Ly;
  const mean = t1 / t0; // d ln Z/dβ = ⟨bonds⟩ (J = 1)
  return {
    lnZ: Math.log(t0) + Ly * beta * bmax,
    e: -mean / N,
    c: (beta * beta * (t2 / t0 - mean * mean)) / N,
  };
}

/** Onsager's ln Z/N as the 2D integral (1/8π²)∬ ln[cosh² 2K − sinh 2K (cos θ₁ + cos θ₂)] + ln 2, by the
 *  periodic trapezoid rule (spectrally accurate away from T_c). */
function onsagerDoubleIntegral(T: number, n = 256): number {
  const K = 1 / T;
  const c2 = Math.cosh(2 * K) ** 2,
    s = Math.sinh(2 * K);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      sum += Math.log(c2 - s * (Math.cos((2 * Math.PI * i) / n) + Math.cos((2 * Math.PI * j) / n)));
    }
  }
  return Math.LN2 + sum / (2 * n * n);
}

// ------------------------------------ tests ------------------------------------

/** Even-sided tori where Kaufman's formula and enumeration both apply. */
const KAUFMAN_VS_ENUMERATION: [number, number][] = [
  [2, 2],
  [4, 2],
  [2, 4],
  [4, 4],
];
/** Tori, odd sides included, whose density of states is checked. */
const DOS_SHAPES: [number, number][] = [
  [2, 2],
  [3, 3],
  [4, 4],
  [3, 5],
];

describe('constants', () => {
  it('T_c = 2/ln(1 + √2), Catalan G and ln Z/N(T_c) = ln2/2 + 2G/π (Onsager 1944)', () => {
    expectClose(TC, 2.269185314, 1e-9);
    expectClose(KC, 1 / TC, 1e-15);
    // Catalan by its alternating series, averaging two partial sums (error ~ 1/n³).
    let a = 0;
    const n = 200000;
    for (let k = 0; k < n; k++) a += (k % 2 ? -1 : 1) / (2 * k + 1) ** 2;
    const b = a + (n % 2 ? -1 : 1) / (2 * n + 1) ** 2;
    expectClose(CATALAN, (a + b) / 2, 1e-12);
    expectClose(LN_Z_PER_SITE_AT_TC, 0.9296953983, 1e-10);
  });
});

describe('numerics', () => {
  it('elliptic integrals match tabulated values and Legendre’s relation', () => {
    // Abramowitz & Stegun, modulus k = 0.5 (parameter m = 0.25).
    expectClose(ellipticK(0.5), 1.685750354812596, 1e-14);
    expectClose(ellipticE(0.5), 1.467462209339427, 1e-14);
    expect(ellipticK(0)).toBeCloseTo(Math.PI / 2, 15);
    expect(ellipticE(1)).toBe(1);
    for (const k of [0.1, 0.6, 0.99, 0.999999]) {
      const kp = Math.sqrt(1 - k * k);
      const lhs = ellipticE(k) * ellipticK(kp) + ellipticE(kp) * ellipticK(k) - ellipticK(k) * ellipticK(kp);
      expectClose(lhs, Math.PI / 2, 1e-12);
    }
  });

  it('adaptive quadrature integrates a near-kink to 1e-12', () => {
    const eps = 1e-6;
    // ∫₀¹ √(x² + ε²) dx = ½[√(1+ε²) + ε² asinh(1/ε)]
    const exact = 0.5 * (Math.sqrt(1 + eps * eps) + eps * eps * Math.asinh(1 / eps));
    expectClose(
      integrate((x) => Math.sqrt(x * x + eps * eps), 0, 1),
      exact,
      1e-12,
    );
  });
});

describe('Onsager (infinite lattice)', () => {
  it('u(T_c) = −√2 and ln Z/N(T_c) = ln2/2 + 2G/π (Onsager, Phys. Rev. 65, 117 (1944))', () => {
    expectClose(onsagerEnergy(TC), -Math.SQRT2, 1e-12);
    expectClose(onsagerLnZ(TC), 0.9296953983, 1e-10);
    expect(onsagerSpecificHeat(TC)).toBe(Infinity);
  });

  it('ln Z/N agrees with the 2D integral away from T_c', () => {
    for (const T of [1, 1.8, 2.8, 5]) expectClose(onsagerLnZ(T), onsagerDoubleIntegral(T), 1e-10);
    expectClose(onsagerFreeEnergy(3), -3 * onsagerLnZ(3), 1e-15);
  });

  it('u = −d lnZ/dK and c = du/dT (finite differences)', () => {
    for (const T of [1, 2, 2.2, 2.35, 3, 6]) {
      const K = 1 / T,
        dk = 1e-5;
      const du = -(onsagerLnZ(1 / (K + dk)) - onsagerLnZ(1 / (K - dk))) / (2 * dk);
      expectClose(onsagerEnergy(T), du, 1e-8);
      const dT = 1e-5;
      const c = (onsagerEnergy(T + dT) - onsagerEnergy(T - dT)) / (2 * dT);
      expectClose(onsagerSpecificHeat(T), c, 1e-7);
    }
  });

  it('spontaneous magnetisation: 0 at/above T_c, 1.2224 (1 − T/T_c)^{1/8} just below', () => {
    expect(spontaneousMagnetization(TC)).toBe(0);
    expect(spontaneousMagnetization(3)).toBe(0);
    expectClose(spontaneousMagnetization(0.5), 1, 1e-6);
    const t = 1e-6;
    expectClose(spontaneousMagnetization(TC * (1 - t)) / t ** 0.125, 1.2224, 1e-3);
  });

  it('antiferromagnet equals the ferromagnet at h = 0', () => {
    expect(onsagerEnergy(2, -1)).toBe(onsagerEnergy(2, 1));
    expectClose(onsagerEnergy(4, 2), 2 * onsagerEnergy(2, 1), 1e-14);
  });
});

describe('Kaufman (exact finite torus)', () => {
  it('6×6 torus reproduces Krauth, Statistical Mechanics: Algorithms and Computations (2006), table 5.3', () => {
    const table: [number, number, number][] = [
      [2.0, -1.747329, 0.685924],
      [2.5, -1.280078, 1.006231],
      [3.0, -0.886879, 0.556646],
    ];
    for (const [T, e, c] of table) {
      const r = kaufman(6, 6, T);
      expect(Math.abs(r.e - e)).toBeLessThan(1e-6);
      expect(Math.abs(r.c - c)).toBeLessThan(1e-6);
    }
  });

  it('agrees with exact enumeration on 2×2, 4×2, 2×4, 4×4 below, at and above T_c', () => {
    for (const [Lx, Ly] of KAUFMAN_VS_ENUMERATION) {
      for (const T of [0.5, 1, 2, TC, 2.5, 3, 5, 10]) {
        const k = kaufman(Lx, Ly, T);
        const x = enumerateTorus(Lx, Ly, T);
        expectClose(k.lnZ, x.lnZ, 1e-12);
        expectClose(k.e, x.e, 1e-12);
        expectClose(k.c, x.c, 1e-12);
        expectClose(k.f, x.f, 1e-12);
      }
    }
  });

  it('agrees with a row transfer matrix on 6×10, 10×6, 8×4, 4×8 and 6×6', () => {
    for (const [w, Ly] of [
      [6, 10],
      [8, 4],
      [6, 6],
    ]) {
      for (const T of [0.5, 1.5, TC, 3, 10]) {
        const tm = transferMatrixTorus(w, Ly, T);
        for (const k of [kaufman(w, Ly, T), kaufman(Ly, w, T)]) {
          expectClose(k.lnZ, tm.lnZ, 1e-12);
          expectClose(k.e, tm.e, 1e-11);
          expectClose(k.c, tm.c, 1e-9);
        }
      }
    }
  });

  it('J < 0 equals enumeration of the antiferromagnet (and the ferromagnet)', () => {
    for (const T of [0.8, 2.5]) {
      const k = kaufman(4, 4, T, -1);
      const x = enumerateTorus(4, 4, T, -1);
      expectClose(k.lnZ, x.lnZ, 1e-12);
      expectClose(k.e, x.e, 1e-12);
      expectClose(k.c, x.c, 1e-12);
    }
    const j2 = kaufman(8, 8, 4, 2),
      j1 = kaufman(8, 8, 2, 1);
    expectClose(j2.lnZ, j1.lnZ, 1e-13);
    expectClose(j2.e, 2 * j1.e, 1e-13);
    expectClose(j2.c, j1.c, 1e-13);
  });

  it('e and c are the derivatives of ln Z at large and non-square lattices', () => {
    // Five-point stencil (error O(δ⁴)): the L = 256 peak at T_c is too sharp for a central difference.
    const deriv = (f: (x: number) => number, x: number, d: number) =>
      (8 * (f(x + d) - f(x - d)) - (f(x + 2 * d) - f(x - 2 * d))) / (12 * d);
    for (const [Lx, Ly] of [
      [16, 16],
      [8, 32],
      [64, 64],
      [256, 256],
      [512, 2],
    ]) {
      for (const T of [0.7, 2, TC, 2.6, 8]) {
        const r = kaufman(Lx, Ly, T);
        const lnZ = (K: number) => kaufman(Lx, Ly, 1 / K).lnZPerSite;
        expectClose(r.e, -deriv(lnZ, 1 / T, 1e-4 / T), 1e-8);
        expectClose(
          r.c,
          deriv((t) => kaufman(Lx, Ly, t).e, T, 1e-4 * T),
          1e-8,
        );
      }
    }
  });

  it('is smooth through T = T_c exactly (no 0·∞ at γ₀ = 0)', () => {
    for (const L of [4, 32, 256]) {
      const at = kaufman(L, L, TC);
      const lo = kaufman(L, L, TC * (1 - 1e-8));
      const hi = kaufman(L, L, TC * (1 + 1e-8));
      expectClose(at.c, (lo.c + hi.c) / 2, 1e-9);
      expectClose(at.e, (lo.e + hi.e) / 2, 1e-9);
    }
  });

  it('ln Z/N at T_c tends to ln2/2 + 2G/π as L^-2', () => {
    const d = [64, 128, 256].map((L) => kaufman(L, L, TC).lnZPerSite - LN_Z_PER_SITE_AT_TC);
    expect(Math.abs(d[2])).toBeLessThan(1e-4);
    // Halving the lattice spacing quarters the correction.
    expectClose(d[0] / d[1], 4, 0.01);
    expectClose(d[1] / d[2], 4, 0.01);
  });

  it('c(T_c, L) ≈ (8K_c²/π) ln L + 0.138 (Ferdinand–Fisher) at L = 64…256, and runs at L = 512', () => {
    for (const L of [64, 128, 256, 512]) {
      const ff = ((8 * KC * KC) / Math.PI) * Math.log(L) + 0.138;
      expect(Math.abs(kaufman(L, L, TC).c - ff)).toBeLessThan(0.02);
    }
  });

  it('matches Onsager at L = 256 away from T_c', () => {
    for (const T of [1, 1.8, 2, 2.6, 3, 5]) {
      const k = kaufman(256, 256, T);
      expect(Math.abs(k.e - onsagerEnergy(T))).toBeLessThan(1e-4);
      expect(Math.abs(k.c - onsagerSpecificHeat(T))).toBeLessThan(1e-4);
      // Below T_c the torus has two ordered states: Z ≈ 2 Z_∞, i.e. ln 2 / N extra.
      const extra = T < TC ? Math.LN2 / (256 * 256) : 0;
      expect(Math.abs(k.lnZPerSite - extra - onsagerLnZ(T))).toBeLessThan(1e-9);
    }
  });

  it('rejects bad arguments with a RangeError naming the parameter', () => {
    expect(() => kaufman(3, 4, 2)).toThrow(/Lx/);
    expect(() => kaufman(4, 0, 2)).toThrow(/Ly/);
    expect(() => kaufman(4, 4, 0)).toThrow(RangeError);
    expect(() => kaufman(4, 4, Number.NaN)).toThrow(/T/);
    expect(() => kaufman(4, 4, 2, Infinity)).toThrow(/J/);
  });
});

describe('enumeration', () => {
  it('density of states counts every state; 4×4 ground state twofold', () => {
    for (const [Lx, Ly] of DOS_SHAPES) {
      const dos = densityOfStates(Lx, Ly);
      expect(dos.reduce((s, d) => s + d.count, 0)).toBe(2 ** (Lx * Ly));
    }
    const g = densityOfStates(4, 4);
    expect(g.filter((d) => d.bonds === 32)).toEqual([
      { bonds: 32, magnetization: -16, count: 1 },
      { bonds: 32, magnetization: 16, count: 1 },
    ]);
    // Chequerboard states: the antiferromagnetic ground states, bonds = −2N.
    expect(g.find((d) => d.bonds === -32)?.count).toBe(2);
  });

  it('bonds of single states: 2-wide sides count the doubled bond', () => {
    expect(stateBondsAndMagnetization([1, 1, 1, 1], 2, 2)).toEqual({ bonds: 8, magnetization: 4 });
    expect(stateBondsAndMagnetization([1, -1, -1, 1], 2, 2)).toEqual({ bonds: -8, magnetization: 0 });
    expect(stateBondsAndMagnetization([1, -1, 1, 1, 1, 1], 3, 2).bonds).toBe(
      directBondsAndM([1, -1, 1, 1, 1, 1], 3, 2).bonds,
    );
    expect(stateEnergy(new Int8Array([1, 1, 1, -1]), 2, 2, 0.5, 0.25)).toBe(-0.5 * 0 - 0.25 * 2);
    expect(() => stateEnergy([1, 0, 1, 1], 2, 2)).toThrow(RangeError);
    expect(() => stateEnergy([1, 1, 1], 2, 2)).toThrow(RangeError);
  });

  it('h ≠ 0: thermodynamics equal a direct sum over states (2×2, 3×2, 3×3)', () => {
    for (const [Lx, Ly] of [
      [2, 2],
      [3, 2],
      [3, 3],
    ]) {
      for (const [T, J, h] of [
        [1, 1, 0.3],
        [2.5, 1, -0.7],
        [0.7, -1, 0.5],
        [4, 0.5, 2],
        [1.5, 1, 0],
      ]) {
        const x = enumerateTorus(Lx, Ly, T, J, h);
        const d = directTorus(Lx, Ly, T, J, h);
        for (const key of ['lnZ', 'e', 'c', 'm', 'm_abs', 'm2', 'm4', 'chi', 'binder'] as const) {
          expectClose(x[key], d[key], 1e-12);
        }
        expectClose(x.f, (-T * d.lnZ) / (Lx * Ly), 1e-12);
      }
    }
  });

  it('Boltzmann probabilities: bit i set = spin i up, equal to a direct sum', () => {
    const [Lx, Ly, T, J, h] = [3, 2, 1.3, 1, 0.4];
    const p = boltzmannProbabilities(Lx, Ly, T, J, h);
    const d = directTorus(Lx, Ly, T, J, h).probabilities;
    expect(p.length).toBe(64);
    for (let i = 0; i < 64; i++) expectClose(p[i], d[i], 1e-12);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    expect(p.indexOf(Math.max(...p))).toBe(63); // h > 0 favours all spins up
  });

  it('Binder cumulant 1 − ⟨m⁴⟩/(3⟨m²⟩²) at T_c, L = 4, over the 2^16 states: 0.617199', () => {
    expect(Math.abs(enumerateTorus(4, 4, TC).binder - 0.617199)).toBeLessThan(1e-6);
  });

  it('exactFromDensityOfStates works from a hand-written density of states', () => {
    // Two spins with one bond counted twice (2×1 would be): states ++, --, +-, -+.
    const dos = [
      { bonds: 2, magnetization: 2, count: 1 },
      { bonds: 2, magnetization: -2, count: 1 },
      { bonds: -2, magnetization: 0, count: 2 },
    ];
    const r = exactFromDensityOfStates(dos, 2, 1, 1, 0);
    expectClose(r.lnZ, Math.log(2 * Math.exp(2) + 2 * Math.exp(-2)), 1e-14);
    expectClose(r.e, -Math.tanh(2), 1e-14);
  });

  it('rejects lattices that are too large or malformed', () => {
    expect(() => densityOfStates(6, 5)).toThrow(/Lx\*Ly/);
    expect(() => densityOfStates(1, 4)).toThrow(/Lx/);
    expect(() => boltzmannProbabilities(5, 5, 1)).toThrow(RangeError);
    expect(() => enumerateTorus(2, 2, -1)).toThrow(/T/);
  });
});

describe('1D chain (transfer matrix)', () => {
  it('equals brute-force enumeration for N = 1…12, several T, J, h', () => {
    for (let N = 1; N <= 12; N++) {
      for (const [T, J, h] of [
        [1, 1, 0],
        [0.5, 1, 0.3],
        [2.5, 1, -1.2],
        [1, -1, 0.4],
        [0.8, -0.7, 0],
        [1.3, 0, 0.6],
        [0.3, 2, 0.05],
      ]) {
        const r = chainExact(N, T, J, h);
        const d = directChain(N, T, J, h);
        expectClose(r.lnZ, d.lnZ, 1e-12);
        expectClose(r.e, d.e, 1e-11);
        expectClose(r.c, d.c, 1e-10);
        expectClose(r.m, d.m, 1e-11);
        expectClose(r.f, (-T * d.lnZ) / N, 1e-12);
      }
    }
  });

  it('approaches the thermodynamic limit m = sinh h / √(sinh² h + e^{−4K})', () => {
    const [T, J, h] = [1, 1, 0.5];
    const m = Math.sinh(h) / Math.sqrt(Math.sinh(h) ** 2 + Math.exp((-4 * J) / T));
    expectClose(chainExact(10000, T, J, h).m, m, 1e-12);
    // h = 0: e = −J tanh K in the limit.
    expectClose(chainExact(10000, 2, 1, 0).e, -Math.tanh(0.5), 1e-12);
  });

  it('frustrated odd antiferromagnetic rings at low T (λ₋ ≈ −λ₊) match brute force', () => {
    for (const N of [3, 5, 7, 9]) {
      for (const [T, h] of [
        [0.05, 0.1],
        [0.1, 0],
        [0.2, -0.4],
      ]) {
        const r = chainExact(N, T, -1, h);
        const d = directChain(N, T, -1, h);
        expectClose(r.lnZ, d.lnZ, 1e-12);
        expectClose(r.e, d.e, 1e-11);
        expectClose(r.c, d.c, 1e-9);
        expectClose(r.m, d.m, 1e-11);
      }
    }
    // T → 0 with h > 0: one unsatisfied bond anywhere on the ring, M = +1.
    const g = chainExact(7, 1 / 300, -1, 0.5);
    expectClose(g.lnZ, 300 * 5.5 + Math.log(7), 1e-13);
    expectClose(g.m, 1 / 7, 1e-12);
    expect(() => chainExact(7, 1e-3, -1, 0)).toThrow(RangeError);
  });

  it('stays finite at very low temperature', () => {
    const r = chainExact(50, 0.01, 1, 0.1);
    expect(Number.isFinite(r.lnZ) && Number.isFinite(r.c)).toBe(true);
    expectClose(r.e, -1.1, 1e-9);
    expectClose(r.m, 1, 1e-9);
  });
});

describe('8 independent spins in a field, E = −B Σ x_i', () => {
  it('β = B = 1: Z ≈ 8227, p(E = −6) ≈ 0.049, p(E = 0) ≈ 1.2e-4 for one configuration', () => {
    const r = independentSpins(8, 1, 1);
    // The example quotes Z ≈ 8227, a rounding of (2 cosh 1)^8 = 8229.04 (within 0.03 %).
    expect(Math.abs(r.Z - 8227) / 8227).toBeLessThan(3e-4);
    expectClose(r.Z, (Math.E + 1 / Math.E) ** 8, 1e-14);
    expectClose(r.lnZ, 8 * Math.log(2 * Math.cosh(1)), 1e-14);
    expectClose(r.F, -r.lnZ, 1e-14);
    expect(r.probabilityOfEnergy(-6)).toBeCloseTo(0.049, 3);
    expect(r.probabilityOfEnergy(0)).toBeCloseTo(1.2e-4, 5);
    // Summed over the 8 and 70 configurations of each level they would be 8× and 70× these,
    // which the quoted 0.049 and 1.2e-4 rule out.
    expectClose(r.probabilityOfEnergyLevel(-6), 8 * r.probabilityOfEnergy(-6), 1e-12);
    expectClose(r.probabilityOfEnergyLevel(0), 70 * r.probabilityOfEnergy(0), 1e-12);
    expect(r.probabilityOfEnergyLevel(-5)).toBe(0);
  });

  it('lists all 256 configurations with normalised probabilities', () => {
    const r = independentSpins(8, 1, 1);
    expect(r.configurations.length).toBe(256);
    expectClose(
      r.configurations.reduce((s, c) => s + c.probability, 0),
      1,
      1e-13,
    );
    const c = r.configurations[0b01111111];
    expect(Array.from(c.spins)).toEqual([1, 1, 1, 1, 1, 1, 1, -1]);
    expect(c.energy).toBe(-6);
    expectClose(c.probability, Math.exp(6) / (2 * Math.cosh(1)) ** 8, 1e-14);
    expect(() => independentSpins(17, 1, 1)).toThrow(/n/);
  });
});
