/**
 * Philox4x32-10 (Salmon et al., SC'11) in TypeScript: the twin of `shaders/philox.wgsl`.
 * Both sides build the 32×32→64-bit product from 16-bit halves, so every output word is
 * the same integer on the CPU and the GPU.
 */

const PHILOX_M0 = 0xd2511f53;
const PHILOX_M1 = 0xcd9e8d57;
const PHILOX_W0 = 0x9e3779b9;
const PHILOX_W1 = 0xbb67ae85;

/** The round multipliers and Weyl key increments, declared into WGSL for shaders/philox.wgsl. */
export const PHILOX_CONSTANTS = { PHILOX_M0, PHILOX_M1, PHILOX_W0, PHILOX_W1 } as const;

/**
 * High 32 bits of the unsigned 64-bit product a·b, from 16-bit halves in the same order as the
 * WGSL twin (u = ah·bl + (al·bl >> 16) and v = al·bh + (u & 0xffff) both stay below 2^32).
 */
export function mulhi32(a: number, b: number): number {
  const al = a & 0xffff;
  const ah = a >>> 16;
  const bl = b & 0xffff;
  const bh = b >>> 16;
  const u = ah * bl + ((al * bl) >>> 16); // < 2^32, exact in float64
  const v = al * bh + (u & 0xffff);
  return (ah * bh + Math.floor(u / 65536) + Math.floor(v / 65536)) >>> 0;
}

/**
 * Philox4x32-10 of counter (c0..c3) and key (k0, k1), written into `out` (4 u32 words).
 * Arguments are taken as u32 (`>>> 0`). Returns `out` for chaining.
 */
export function philox4x32(
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  k0: number,
  k1: number,
  out: Uint32Array = new Uint32Array(4),
): Uint32Array {
  c0 >>>= 0;
  c1 >>>= 0;
  c2 >>>= 0;
  c3 >>>= 0;
  k0 >>>= 0;
  k1 >>>= 0;
  for (let i = 0; i < 10; i++) {
    if (i > 0) {
      k0 = (k0 + PHILOX_W0) >>> 0;
      k1 = (k1 + PHILOX_W1) >>> 0;
    }
    const hi0 = mulhi32(PHILOX_M0, c0);
    const lo0 = Math.imul(PHILOX_M0, c0) >>> 0;
    const hi1 = mulhi32(PHILOX_M1, c2);
    const lo1 = Math.imul(PHILOX_M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
  return out;
}
