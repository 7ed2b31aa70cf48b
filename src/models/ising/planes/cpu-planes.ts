/**
 * The CPU reference of the bit-plane kernels (msc-planes, resident): a checkerboard half-sweep whose
 * decisions use the plane mapping of src/rng/planes.ts. It is written from the definition (each
 * lane's full 32-bit uniform, all 32 planes drawn), not from the kernels' bit-serial comparison
 * with early exit, so the identity tests also check that the early exit changes no decision.
 */

import { PLANES, transposePlanes, wordPlanes } from '../../../rng/planes.ts';
import { N_CLASSES, classIndex } from '../layout.ts';

/** What a half-sweep needs of the sampler: lattice (0/1, replica-major, row-major) and parameters. */
export interface PlanesHalfSweep {
  lattice: Uint8Array;
  Lx: number;
  Ly: number;
  slots: readonly number[];
  /** Threshold tables [slot·N_CLASSES + class]. */
  tables: Uint32Array;
  key: readonly [number, number];
  /** Philox replica index of replica 0 (IsingConfig.replicaBase). */
  replicaBase: number;
}

/** Why Lx×Ly cannot use the plane mapping's words, or undefined when it can. */
export function planesMisfit(Lx: number, Ly: number): string | undefined {
  const hx = Lx / 2;
  if ((Lx * Ly) % 64 !== 0) return `Lx*Ly must be a multiple of 64 (whole 32-site words per colour), got ${Lx * Ly}`;
  if (hx % 32 !== 0 && 32 % hx !== 0)
    return `Lx/2 must divide 32 or be a multiple of 32 (rows align with 32-site words), got Lx = ${Lx}`;
  return undefined;
}

/** Update colour `phase` of every replica at sweep `sweep`; adds accepted flips per replica to `flips`. */
export function planesHalfSweep(s: PlanesHalfSweep, sweep: number, phase: number, flips: Float64Array): void {
  const { lattice, Lx, Ly, slots, tables, key, replicaBase } = s;
  const hx = Lx / 2;
  const words = (Lx * Ly) / 2 / PLANES;
  const u = new Uint32Array(PLANES);
  for (let r = 0; r < slots.length; r++) {
    const base = r * Lx * Ly;
    const table = slots[r] * N_CLASSES;
    let accepted = 0;
    for (let w = 0; w < words; w++) {
      transposePlanes(wordPlanes(key, replicaBase + r, sweep, phase, w, u)); // u[31 - j] = U_j
      for (let j = 0; j < PLANES; j++) {
        const n = PLANES * w + j;
        const y = Math.floor(n / hx);
        const x = 2 * (n % hx) + ((y + phase) & 1);
        const row = base + y * Lx;
        const up =
          lattice[row + (x === 0 ? Lx - 1 : x - 1)] +
          lattice[row + (x + 1 === Lx ? 0 : x + 1)] +
          lattice[base + (y === 0 ? Ly - 1 : y - 1) * Lx + x] +
          lattice[base + (y + 1 === Ly ? 0 : y + 1) * Lx + x];
        const spin = lattice[row + x];
        if (u[31 - j] < tables[table + classIndex(spin, up)]) {
          lattice[row + x] = 1 - spin;
          accepted++;
        }
      }
    }
    flips[r] += accepted;
  }
}
