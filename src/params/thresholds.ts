/**
 * The numerical contract of every accept/reject decision: accept iff u < threshold, u a raw
 * Philox u32 and threshold = min(2^32−1, floor(2^32·p)) computed here in float64, so the GPU
 * kernels and the CPU reference make the same decision from the same word.
 */

const TWO32 = 2 ** 32;

/** u32 threshold for acceptance probability p: min(2^32−1, floor(2^32·p)). */
export function probabilityThreshold(p: number): number {
  if (!(p > 0)) return 0;
  return Math.min(TWO32 - 1, Math.floor(p * TWO32));
}
