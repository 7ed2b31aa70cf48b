/**
 * The bit-plane mapping of the Ising kernels that decide 32 spins at once (msc-planes, resident;
 * docs/ARCHITECTURE.md, "Random numbers"). The sites of one colour are numbered n = y·(Lx/2) + (x >> 1)
 * as in streams.ts and cut into words of 32: site n is lane n & 31 of word n >> 5. Word w draws 32
 * planes, plane k (k = 0 … 31) being word k & 3 of the Philox call
 *
 *   counter = (w·PLANE_GROUPS + (k >> 2), replica, sweep mod 2^32,
 *              ISING_PLANES << 24 | colour << 16 | floor(sweep / 2^32))
 *
 * and lane j's uniform U_j is bit j of planes 0 … 31, plane 0 the most significant bit. A spin flips
 * iff U_j < t (the usual u32 threshold). A kernel may compare bit-serially from plane 0 and stop
 * drawing planes once every lane of its word is decided: the decisions are those of the full U_j.
 */

import { STREAMS, randomWords } from './streams.ts';

/** Planes per word (= lanes per word = bits of a uniform). */
export const PLANES = 32;
/** Philox calls per word when every plane is drawn (4 planes per call). */
export const PLANE_GROUPS = PLANES / 4;

/** The four planes 4g … 4g + 3 of word `word` of a colour (a pure function of its arguments). */
export function planeGroup(
  key: readonly [number, number],
  replica: number,
  sweep: number,
  colour: number,
  word: number,
  group: number,
  out: Uint32Array = new Uint32Array(4),
): Uint32Array {
  return randomWords(key, replica, sweep, colour, word * PLANE_GROUPS + group, STREAMS.ISING_PLANES, out);
}

/** The 32 lane uniforms of a word from its 32 planes: U_j = Σ_k bit_j(plane k)·2^(31−k). */
export function laneUniforms(planes: Uint32Array, out: Uint32Array = new Uint32Array(PLANES)): Uint32Array {
  out.fill(0);
  for (let k = 0; k < PLANES; k++) {
    const p = planes[k];
    const bit = 2 ** (31 - k);
    for (let j = 0; j < PLANES; j++) if ((p >>> j) & 1) out[j] += bit;
  }
  return out;
}

/**
 * laneUniforms by a 32×32 bit-matrix transpose in place (five rounds of masked swaps), for the CPU
 * reference's inner loop: row k = plane k, and after it entry 31 − j holds U_j. Returns `planes`.
 */
export function transposePlanes(planes: Uint32Array): Uint32Array {
  let m = 0x0000ffff;
  for (let j = 16; j !== 0; j >>>= 1, m = (m ^ (m << j)) >>> 0) {
    for (let k = 0; k < 32; k = ((k | j) + 1) & ~j) {
      const t = (planes[k] ^ (planes[k + j] >>> j)) & m;
      planes[k] ^= t;
      planes[k + j] ^= t << j;
    }
  }
  return planes;
}

/** All 32 planes of a word (8 Philox calls) into `out`. */
export function wordPlanes(
  key: readonly [number, number],
  replica: number,
  sweep: number,
  colour: number,
  word: number,
  out: Uint32Array = new Uint32Array(PLANES),
): Uint32Array {
  for (let g = 0; g < PLANE_GROUPS; g++) out.set(planeGroup(key, replica, sweep, colour, word, g), 4 * g);
  return out;
}
