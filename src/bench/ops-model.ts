/**
 * An ops-per-flip model of each Ising kernel: integer operations counted from the WGSL
 * (shaders/philox.wgsl, shaders/ising/*.wgsl), split into random numbers, neighbour logic and the
 * decision, beside which `ising bench` puts the measured rate. Loads, stores, barriers and loop
 * control are not counted; the model says what bounds a kernel, not its speed.
 */

import { PLANE_GROUPS, PLANES } from '../rng/planes.ts';
import type { KernelName } from '../models/ising/kernels.ts';

/**
 * One Philox4x32-10 call: 10 rounds of two mul-hi by a constant (14 operations each: 2 to split the
 * variable factor, 4 multiplies, 8 shifts/masks/adds), two low multiplies and four XORs, plus
 * 9 × 2 key additions: 10·34 + 18.
 */
export const PHILOX_OPS = 10 * (2 * 14 + 2 + 4) + 9 * 2;

/** Per-site work of the per-site kernels (besides a quarter of a Philox call). */
const SITE_OPS: Record<string, { neighbours: number; decision: number }> = {
  // colour_site (div, mod, 4 ops), 4 wrapped neighbours (3 each), 5 site indices (4 each), 3 adds.
  'checkerboard-u32': { neighbours: 8 + 12 + 20 + 3, decision: 6 },
  // ~40 operations of neighbour words per word (wraps, indices, shifts, lane-wise adds) over 4, 8 or
  // 32 lanes; per lane: extract spin and count (2 + 2 or 10 for 1-bit planes), class index, compare, flip.
  'packed-u8': { neighbours: 40 / 4, decision: 4 + 2 + 6 },
  'msc-4bit': { neighbours: 40 / 8, decision: 4 + 2 + 6 },
  'msc-1bit': { neighbours: 40 / 32, decision: 12 + 2 + 6 },
};

/**
 * Bit-plane kernels (shaders/ising/planes.wgsl), per word of 32 spins: neighbour words, four XNORs
 * with the spins and the full adder (48), masks by aligned count (6), flip and count (5); per plane,
 * T from the 5 aligned counts (3 operations each and 4 ORs: 19; twice and a merge, 41, unless up and
 * down spins share thresholds, i.e. h = 0), shifting the 10 thresholds (10) and the serial
 * comparison (7); per plane group one Philox call.
 */
const PLANE_WORD = { masks: 6, neighbours: 48, flip: 5 };
const planeOps = (h0: boolean): number => (h0 ? 19 : 41) + 10 + 7;

/**
 * Expected Philox calls per word when `words` words run in lockstep (a SIMD group stops when all
 * of its 32·words lanes are decided). Each plane decides each undecided lane with probability 1/2
 * (a uniform bit differs from the threshold's bit), so group g is drawn with probability
 * 1 − (1 − 16^−g)^(32·words).
 */
export function planeGroupsPerWord(words = 1): number {
  let calls = 0;
  for (let g = 0; g < PLANE_GROUPS; g++) calls += 1 - (1 - 16 ** -g) ** (PLANES * words);
  return calls;
}

export interface OpsPerFlip {
  philox: number;
  neighbours: number;
  decision: number;
  total: number;
  /** Philox calls per flip. */
  philox_calls: number;
}

/** The model of `kernel`, with `simd` words (or sites) executed in lockstep, at h = 0 or not. */
export function opsPerFlip(kernel: KernelName, simd = 1, h0 = true): OpsPerFlip {
  if (kernel === 'msc-planes' || kernel === 'resident') {
    const groups = planeGroupsPerWord(simd);
    const philox = (groups * PHILOX_OPS) / PLANES;
    const decision = (groups * 4 * planeOps(h0) + PLANE_WORD.masks + PLANE_WORD.flip) / PLANES;
    const neighbours = PLANE_WORD.neighbours / PLANES;
    return { philox, neighbours, decision, total: philox + neighbours + decision, philox_calls: groups / PLANES };
  }
  const s = SITE_OPS[kernel];
  const philox = PHILOX_OPS / 4;
  return { philox, ...s, total: philox + s.neighbours + s.decision, philox_calls: 1 / 4 };
}

/** Words per SIMD group assumed for a device: 32 on a GPU (a warp), 4 on SwiftShader (its SIMD width). */
export const simdWidth = (software: boolean): number => (software ? 4 : 32);
