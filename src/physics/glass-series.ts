/**
 * Frustration and the high-temperature series of a ±J (or any-coupling) torus. With t_ij =
 * tanh(β J J_ij), Z = 2^N Π cosh(β J J_ij) Σ_{closed loops} Π t_ij, so for |J_ij| = 1
 *   ln Z/N = ln 2 + 2 ln cosh βJ + (t⁴/N)·Σ_{loops of 4 bonds} ε_loop + O(t⁶),   t = tanh βJ,
 * ε_loop = Π J_ij around the loop. Loops of 4 bonds are the N plaquettes, plus the rows when
 * Lx = 4 and the columns when Ly = 4 (they wind around the torus). The O(t⁶) remainder (loops of
 * 6 bonds: 2N rectangles, and more winding loops on sides of 4 to 6) is below 2e-7 at β|J| = 0.05,
 * where the integration for ln Z starts (1.3e-7 for the 4×4 ferromagnet, the worst case).
 * All J_ij = +1 on sides > 4 gives the ferromagnet's ln 2 + 2 ln cosh βJ + t⁴.
 */
import type { BondCouplings } from './glass-enumeration.ts';

/** ε_p = Π J around plaquette (x, y)→(x+1, y)→(x+1, y+1)→(x, y+1) at index y·Lx + x; −1 = frustrated. */
export function plaquetteSigns(c: BondCouplings): Int8Array {
  const { Lx, Ly, right, down } = c;
  const out = new Int8Array(Lx * Ly);
  for (let y = 0; y < Ly; y++) {
    for (let x = 0; x < Lx; x++) {
      const i = y * Lx + x;
      const xr = y * Lx + ((x + 1) % Lx);
      const yd = ((y + 1) % Ly) * Lx + x;
      out[i] = Math.sign(right[i] * down[xr] * right[yd] * down[i]);
    }
  }
  return out;
}

/** Σ ε over the loops of 4 bonds (plaquettes, and rows/columns of a side of 4). */
export function fourLoopSum(c: BondCouplings): number {
  const { Lx, Ly, right, down } = c;
  let sum = plaquetteSigns(c).reduce((a, e) => a + e, 0);
  const product = (n: number, at: (k: number) => number) => {
    let p = 1;
    for (let k = 0; k < n; k++) p *= Math.sign(at(k));
    return p;
  };
  if (Lx === 4) for (let y = 0; y < Ly; y++) sum += product(4, (x) => right[y * Lx + x]);
  if (Ly === 4) for (let x = 0; x < Lx; x++) sum += product(4, (y) => down[y * Lx + x]);
  return sum;
}

/** ln Z/N at small β|J| from the series above (sides ≥ 4, |J_ij| = 1). */
export function glassHighTemperatureLnZ(beta: number, J: number, c: BondCouplings): number {
  if (c.Lx < 4 || c.Ly < 4) throw new RangeError(`the series needs sides >= 4, got ${c.Lx}x${c.Ly}`);
  const t = Math.tanh(beta * J);
  return Math.LN2 + 2 * Math.log(Math.cosh(beta * J)) + (t ** 4 * fourLoopSum(c)) / (c.Lx * c.Ly);
}
