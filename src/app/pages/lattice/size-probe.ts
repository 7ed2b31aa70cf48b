/**
 * The starting size from a short measured probe: the time of a 256² sweep on this device,
 * scaled by the number of sites, predicts the time of a sweep at any L. The page starts at the
 * largest of 1024², 512², 256² whose sweep takes at most SWEEP_BUDGET_MS (a software or slow
 * adapter gets 256² or 512², a real GPU 1024²), and marks the sizes whose single sweep alone
 * would hold a frame below 5 fps.
 */

export const PROBE_L = 256;
/** A starting size's sweep should take at most this (several sweeps fit a 60 Hz frame). */
const SWEEP_BUDGET_MS = 4;
const STARTING_SIZES = [1024, 512, 256] as const;
/** Below this a size counts as too slow for a live view. */
export const MIN_FPS = 5;

/** Predicted time of one sweep at L from one at PROBE_L. */
export function sweepMs(msAtProbe: number, L: number): number {
  return msAtProbe * (L / PROBE_L) ** 2;
}

/** The starting side for a device whose PROBE_L² sweep took `msAtProbe`. */
export function startingSize(msAtProbe: number): number {
  return STARTING_SIZES.find((L) => sweepMs(msAtProbe, L) <= SWEEP_BUDGET_MS) ?? PROBE_L;
}

/** Whether one sweep per frame at L already holds the frame rate below MIN_FPS. */
export function tooSlow(msAtProbe: number, L: number): boolean {
  return sweepMs(msAtProbe, L) > 1000 / MIN_FPS;
}
