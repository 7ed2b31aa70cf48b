/**
 * Automatic sweeps per frame: the frame's sweeps should take about as long as the rest of the
 * frame (drawing, readback, waiting for the display), between 8 ms and 60 ms. On a fast device
 * that keeps 60 fps with the sweeps filling half the frame; on a slow one, where drawing alone
 * takes longer than a 60 fps frame, it still raises the sweeps per frame (more sweeps per second
 * at some cost in fps, never below about 8 fps) instead of pinning them at 1.
 */

const MIN_TARGET_MS = 8;
const MAX_TARGET_MS = 60;
export const MAX_SPF = 1000;

/** The sweeps per frame after a frame of `intervalMs` whose `spf` sweeps took `sweepMs`. */
export function nextAutoSpf(spf: number, intervalMs: number, sweepMs: number): number {
  const rest = Math.max(0, intervalMs - sweepMs);
  const target = Math.min(MAX_TARGET_MS, Math.max(MIN_TARGET_MS, rest));
  if (sweepMs < 0.8 * target) return Math.min(MAX_SPF, Math.ceil(spf * 1.15));
  if (sweepMs > 1.25 * target) return Math.max(1, Math.floor(spf * 0.8));
  return spf;
}
