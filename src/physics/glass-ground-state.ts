/**
 * Exact ground state of a small torus with arbitrary couplings by the row transfer matrix at
 * T → 0: Z = Tr Π_y T_y (Kramers & Wannier 1941, rows of 2^w states as in second-moment.ts)
 * becomes, in the (max, +) semiring, the largest bond sum B = Σ J_ij s_i s_j as a longest path
 * through the rows (dynamic programming over rows). The periodic boundary across the rows is
 * closed by fixing the first row r₀ and ending the path on it; a global spin flip leaves B
 * unchanged, so r₀ runs over half the states. Cost 2^(3w−1) · h for w the shorter side (the
 * lattice is transposed when that is Ly): 5×5 is 2^14 · 5 steps, instant. The Gray-code walk over
 * all 2^N states (enumeratedGroundStateBonds, glass-enumeration.ts) is its oracle in the tests.
 */
import type { BondCouplings } from './glass-enumeration.ts';
import { requireInteger } from './validate.ts';

/** Largest 2^(3w) · h of `groundStateBonds` (about a second). */
export const MAX_TRANSFER_COST = 2 ** 28;

/** The couplings with x and y exchanged: right bonds become down bonds and the reverse. */
function transposed(c: BondCouplings): BondCouplings {
  const { Lx, Ly } = c;
  const right = new Float64Array(Lx * Ly);
  const down = new Float64Array(Lx * Ly);
  for (let y = 0; y < Ly; y++) {
    for (let x = 0; x < Lx; x++) {
      right[x * Ly + y] = c.down[y * Lx + x];
      down[x * Ly + y] = c.right[y * Lx + x];
    }
  }
  return { Lx: Ly, Ly: Lx, right, down };
}

/** Spin x of row state r (bit x set: up). */
const spin = (r: number, x: number): number => ((r >> x) & 1 ? 1 : -1);

/** Per row y and row state r: the bond sum of the right bonds inside the row (with its wrap). */
function rowSums(c: BondCouplings): Float64Array[] {
  const { Lx, Ly, right } = c;
  return Array.from({ length: Ly }, (_, y) =>
    Float64Array.from({ length: 2 ** Lx }, (_, r) => {
      let b = 0;
      for (let x = 0; x < Lx; x++) b += right[y * Lx + x] * spin(r, x) * spin(r, (x + 1) % Lx);
      return b;
    }),
  );
}

/** Per row y: the down bonds from row y to row y + 1 as a function of d = r ⊕ r' (a set bit: spins differ). */
function verticalSums(c: BondCouplings): Float64Array[] {
  const { Lx, Ly, down } = c;
  return Array.from({ length: Ly }, (_, y) =>
    Float64Array.from({ length: 2 ** Lx }, (_, d) => {
      let b = 0;
      for (let x = 0; x < Lx; x++) b += down[y * Lx + x] * ((d >> x) & 1 ? -1 : 1);
      return b;
    }),
  );
}

/** The largest bond sum over all states of the torus (the ground state of E = −J·B, J > 0). */
export function groundStateBonds(couplings: BondCouplings): number {
  requireInteger(couplings.Lx, 'Lx', 2);
  requireInteger(couplings.Ly, 'Ly', 2);
  const c = couplings.Ly < couplings.Lx ? transposed(couplings) : couplings;
  const { Lx: w, Ly: h } = c;
  if (2 ** (3 * w) * h > MAX_TRANSFER_COST)
    throw new RangeError(`the shorter side ${w} is too long for the transfer-matrix ground state (2^(3w)·h > 2^28)`);
  const S = 2 ** w;
  const row = rowSums(c);
  const vert = verticalSums(c);
  let best = Number.NEGATIVE_INFINITY;
  let f = new Float64Array(S);
  let g = new Float64Array(S);
  for (let r0 = 0; r0 < S / 2; r0++) {
    // f[r]: the best bond sum of rows 0…y with row 0 = r0 and row y = r.
    f.fill(Number.NEGATIVE_INFINITY);
    f[r0] = row[0][r0];
    for (let y = 1; y < h; y++) {
      const v = vert[y - 1];
      for (let r1 = 0; r1 < S; r1++) {
        let m = Number.NEGATIVE_INFINITY;
        for (let r = 0; r < S; r++) m = Math.max(m, f[r] + v[r ^ r1]);
        g[r1] = m + row[y][r1];
      }
      [f, g] = [g, f];
    }
    for (let r = 0; r < S; r++) best = Math.max(best, f[r] + vert[h - 1][r ^ r0]);
  }
  return best;
}
