/**
 * Threefry-4x32-20 (Salmon, Moraes, Dror, Shaw, SC'11; the Random123 family of Philox): adds,
 * rotations and XORs only. Measured against Philox in `ising bench` (threefry_per_ns) to decide
 * whether a kernel should use it; no kernel does yet. Twin of shaders/threefry.wgsl.
 */

/** Rotation amounts of the 8 rounds of a cycle, for the two word pairs. */
export const THREEFRY_ROTATIONS = [
  [10, 26],
  [11, 21],
  [13, 27],
  [23, 5],
  [6, 20],
  [17, 11],
  [25, 10],
  [18, 20],
] as const;
/** Key-schedule parity constant (Skein). */
export const THREEFRY_PARITY = 0x1bd11bda;

const rotl = (x: number, r: number): number => ((x << r) | (x >>> (32 - r))) >>> 0;

/** Threefry-4x32 with `rounds` rounds of counter c and key k (4 words each), into `out`. */
export function threefry4x32(
  c: ArrayLike<number>,
  k: ArrayLike<number>,
  rounds = 20,
  out = new Uint32Array(4),
): Uint32Array {
  const ks = [k[0] >>> 0, k[1] >>> 0, k[2] >>> 0, k[3] >>> 0, 0];
  ks[4] = (THREEFRY_PARITY ^ ks[0] ^ ks[1] ^ ks[2] ^ ks[3]) >>> 0;
  const x = [0, 1, 2, 3].map((i) => (c[i] + ks[i]) >>> 0);
  for (let r = 0; r < rounds; r++) {
    const [ra, rb] = THREEFRY_ROTATIONS[r % 8];
    // Even rounds mix (0,1) and (2,3); odd rounds (0,3) and (2,1).
    const [a, b, d] = r % 2 === 0 ? [1, 2, 3] : [3, 2, 1];
    x[0] = (x[0] + x[a]) >>> 0;
    x[a] = rotl(x[a], ra) ^ x[0];
    x[b] = (x[b] + x[d]) >>> 0;
    x[d] = rotl(x[d], rb) ^ x[b];
    if (r % 4 === 3) {
      const s = (r + 1) / 4;
      for (let i = 0; i < 4; i++) x[i] = (x[i] + ks[(s + i) % 5] + (i === 3 ? s : 0)) >>> 0;
    }
  }
  for (let i = 0; i < 4; i++) out[i] = x[i] >>> 0;
  return out;
}
