/**
 * Exact enumeration with couplings (src/physics/glass-enumeration.ts): the ferromagnet (all J = +1)
 * reproduces the existing enumeration's density of states exactly and Kaufman's ln Z, e, c; for
 * random ±J samples, ln Z, e, ⟨q²⟩ and the ground state equal a brute-force sum over states (and
 * pairs of states for ⟨q²⟩), and a gauge transformation leaves everything unchanged. The
 * transfer-matrix ground state equals the walk over all states up to 5×5 (2^25) and known values.
 */
import { describe, expect, it } from 'vitest';
import {
  enumeratedGroundStateBonds,
  exactOverlapDistribution,
  glassLnZ,
  glassSpectrum,
  glassThermodynamics,
  groundStateEnergy,
} from '../src/physics/glass-enumeration.ts';
import { groundStateBonds } from '../src/physics/glass-ground-state.ts';
import { densityOfStates } from '../src/physics/enumeration.ts';
import { kaufman } from '../src/physics/kaufman.ts';
import { glassHighTemperatureLnZ } from '../src/physics/glass-series.ts';
import { ferromagneticCouplings, seededCouplings, type Couplings } from '../src/models/ising/couplings.ts';

/** Σ J_ij s_i s_j of the state whose bit i is spin i (1 = up). */
function bondSumOf(c: Couplings, state: number): number {
  const { Lx, Ly, right, down } = c;
  const s = (i: number) => ((state >> i) & 1 ? 1 : -1);
  let b = 0;
  for (let y = 0; y < Ly; y++) {
    for (let x = 0; x < Lx; x++) {
      const i = y * Lx + x;
      b += s(i) * (right[i] * s(y * Lx + ((x + 1) % Lx)) + down[i] * s(((y + 1) % Ly) * Lx + x));
    }
  }
  return b;
}

/** Brute force: ln Z, e, ⟨q²⟩ (over all pairs of states) and the largest bond sum. */
function bruteForce(c: Couplings, T: number) {
  const N = c.Lx * c.Ly;
  const B = Array.from({ length: 2 ** N }, (_, k) => bondSumOf(c, k));
  const top = Math.max(...B);
  const w = B.map((b) => Math.exp((b - top) / T));
  const Z = w.reduce((a, b) => a + b, 0);
  const p = w.map((x) => x / Z);
  let q2 = 0;
  const pq = new Float64Array(N + 1);
  for (let a = 0; a < p.length; a++) {
    for (let b = 0; b < p.length; b++) {
      const differ = popcount(a ^ b);
      q2 += p[a] * p[b] * ((N - 2 * differ) / N) ** 2;
      pq[N - differ] += p[a] * p[b];
    }
  }
  const e = -p.reduce((s, x, k) => s + x * B[k], 0) / N;
  // ⟨q_l⟩ = (1/2N) Σ_bonds ⟨s_i s_j⟩², with ⟨s_i s_j⟩ summed over the states.
  const spin = (k: number, i: number) => ((k >> i) & 1 ? 1 : -1);
  let ql = 0;
  for (let y = 0; y < c.Ly; y++) {
    for (let x = 0; x < c.Lx; x++) {
      const i = y * c.Lx + x;
      for (const j of [y * c.Lx + ((x + 1) % c.Lx), ((y + 1) % c.Ly) * c.Lx + x]) {
        const corr = p.reduce((s, pk, k) => s + pk * spin(k, i) * spin(k, j), 0);
        ql += corr * corr;
      }
    }
  }
  return { lnZPerSite: (Math.log(Z) + top / T) / N, e, q2, ql: ql / (2 * N), pq, top };
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v; v &= v - 1) n++;
  return n;
}

describe('exact enumeration with couplings', () => {
  it('all J = +1 (p = 0) reproduces the ferromagnet: density of states exactly, Kaufman to 1e-12', () => {
    const spec = glassSpectrum(seededCouplings(4, 4, 0, 1, 0));
    const byBonds = new Map<number, number>();
    for (const d of densityOfStates(4, 4)) byBonds.set(d.bonds, (byBonds.get(d.bonds) ?? 0) + d.count);
    expect(Array.from(spec.bonds)).toEqual([...byBonds.keys()].sort((a, b) => a - b));
    expect(Array.from(spec.count)).toEqual(Array.from(spec.bonds, (b) => byBonds.get(b)));
    for (const T of [0.8, 2.269, 4]) {
      const g = glassThermodynamics(spec, T);
      const k = kaufman(4, 4, T);
      expect(g.lnZPerSite).toBeCloseTo(k.lnZPerSite, 12);
      expect(g.e).toBeCloseTo(k.e, 12);
      expect(g.c).toBeCloseTo(k.c, 11);
    }
    expect(groundStateEnergy(spec)).toBe(-2);
  });

  it('glassLnZ (bond-sum counts only) equals a brute-force sum on ±J samples and Kaufman for the ferromagnet', () => {
    for (const sample of [0, 1, 2]) {
      const c = seededCouplings(4, 3, 0.5, 5, sample);
      for (const T of [0.4, 1, 3]) expect(glassLnZ(c, T) / 12).toBeCloseTo(bruteForce(c, T).lnZPerSite, 12);
    }
    for (const T of [0.8, 2.269, 4])
      expect(glassLnZ(ferromagneticCouplings(4, 4), T) / 16).toBeCloseTo(kaufman(4, 4, T).lnZPerSite, 12);
    expect(() => glassLnZ(seededCouplings(5, 5, 0.5, 1, 0), 1)).toThrow(/<= 24/);
  });

  it('random ±J samples: ln Z/N, e, ⟨q²⟩, ⟨q_l⟩, P(q) and the ground state equal a brute-force sum (4x3)', () => {
    for (const sample of [0, 1, 2]) {
      const c = seededCouplings(4, 3, 0.5, 77, sample);
      const spec = glassSpectrum(c);
      for (const T of [0.5, 1.3, 3]) {
        const g = glassThermodynamics(spec, T);
        const b = bruteForce(c, T);
        expect(g.lnZPerSite).toBeCloseTo(b.lnZPerSite, 12);
        expect(g.e).toBeCloseTo(b.e, 12);
        expect(g.q2).toBeCloseTo(b.q2, 10); // the brute force sums 2^24 rounded terms
        expect(g.ql).toBeCloseTo(b.ql, 12);
        const pq = exactOverlapDistribution(c, T);
        pq.forEach((x, i) => {
          expect(x).toBeCloseTo(b.pq[i], 10);
        });
        expect(pq.reduce((s, x, i) => s + x * (-1 + (2 * i) / 12) ** 2, 0)).toBeCloseTo(g.q2, 12);
      }
      expect(groundStateEnergy(spec)).toBe(-bruteForce(c, 1).top / 12);
      expect(groundStateBonds(c)).toBe(bruteForce(c, 1).top);
      expect(enumeratedGroundStateBonds(c)).toBe(bruteForce(c, 1).top);
    }
  });

  it('the transfer-matrix ground state equals the walk over all states, up to 5x5 (2^25 states)', () => {
    const shapes = [
      [4, 4, 6],
      [5, 4, 4],
      [4, 5, 4], // transposed: the shorter side becomes the row
      [3, 7, 4],
      [2, 9, 2],
      [6, 4, 2],
      [5, 5, 2],
    ];
    for (const [Lx, Ly, samples] of shapes) {
      for (let sample = 0; sample < samples; sample++) {
        for (const p of [0.5, 0.2]) {
          const c = seededCouplings(Lx, Ly, p, 31, sample);
          expect(groundStateBonds(c), `${Lx}x${Ly} p=${p} sample ${sample}`).toBe(enumeratedGroundStateBonds(c));
        }
      }
    }
    // Real couplings (not ±1): the same maximum up to rounding (the walk updates B 2^20 times).
    const r = (i: number) => Math.sin(1 + 7.3 * i);
    const real = {
      Lx: 4,
      Ly: 5,
      right: Array.from({ length: 20 }, (_, i) => r(i)),
      down: Array.from({ length: 20 }, (_, i) => r(i + 20)),
    };
    expect(groundStateBonds(real)).toBeCloseTo(enumeratedGroundStateBonds(real), 9);
  });

  it('known ground states: the ferromagnet and the bipartite antiferromagnet 2N, the 5x5 antiferromagnet 30', () => {
    const uniform = (L: number, J: number) => ({
      Lx: L,
      Ly: L,
      right: new Array(L * L).fill(J),
      down: new Array(L * L).fill(J),
    });
    expect(groundStateBonds(uniform(6, 1))).toBe(72);
    expect(groundStateBonds(uniform(8, -1))).toBe(128);
    // On the odd 5x5 torus every row and every column ring has an unsatisfied antiferromagnetic bond,
    // and a checkerboard with one seam per direction leaves exactly those 10: B = 50 − 2·10.
    expect(groundStateBonds(uniform(5, -1))).toBe(30);
    expect(groundStateBonds(uniform(5, 1))).toBe(50);
  });

  it('a gauge transformation (flip spin i and every J at i) changes nothing', () => {
    const c = seededCouplings(4, 4, 0.5, 5, 3);
    const g: Couplings = { ...c, right: c.right.slice(), down: c.down.slice() };
    const i = 5; // (1, 1): its right, down bonds and the right bond of (0, 1), the down bond of (1, 0)
    for (const [arr, k] of [
      [g.right, i],
      [g.down, i],
      [g.right, 4],
      [g.down, 1],
    ] as const)
      arr[k] = -arr[k];
    const a = glassSpectrum(c);
    const b = glassSpectrum(g);
    expect(b.count).toEqual(a.count);
    const ta = glassThermodynamics(a, 0.9);
    const tb = glassThermodynamics(b, 0.9);
    expect(tb.lnZ).toBeCloseTo(ta.lnZ, 12);
    expect(tb.q2).toBeCloseTo(ta.q2, 12);
  });

  it('frustrated samples have a ground state above the ferromagnet, and ferromagnetic samples are still a valid input', () => {
    const spec = glassSpectrum(seededCouplings(4, 4, 0.5, 9, 0));
    expect(groundStateEnergy(spec)).toBeGreaterThan(-2);
    expect(glassThermodynamics(glassSpectrum(ferromagneticCouplings(2, 2)), 1).q2).toBeGreaterThan(0.9);
  });

  it('the high-temperature series with frustrated loops gives ln Z/N at beta = 0.05 within its O(t^6) bound', () => {
    // The t⁴ term is ±(Σ ε_loop/N)·6.25e-6 here: a wrong loop sum shows far above the 2e-7 bound.
    for (const [Lx, Ly, p, sample] of [
      [4, 4, 0, 0],
      [4, 4, 0.5, 0],
      [4, 4, 0.5, 1],
      [4, 5, 0.5, 0],
      [5, 4, 0.3, 0],
    ]) {
      const c = seededCouplings(Lx, Ly, p, 3, sample);
      const exact = glassThermodynamics(glassSpectrum(c), 20).lnZPerSite;
      expect(Math.abs(glassHighTemperatureLnZ(0.05, 1, c) - exact)).toBeLessThan(2e-7);
    }
  });
});
