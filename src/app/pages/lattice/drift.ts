/**
 * "Equilibrating…": whether the live energy still drifts. The last two windows of the series are
 * compared: their means must agree within 3 standard errors of the difference (from the spread
 * inside the windows) plus a small floor, since successive frames are correlated and the standard
 * error alone would call a settled but slowly fluctuating series drifting.
 */

/** Samples per window. */
export const DRIFT_WINDOW = 40;
/** Least difference of the window means that counts as drift (in units of e). */
const FLOOR = 0.004;

function meanVar(x: readonly number[], from: number, to: number): { mean: number; variance: number } {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i];
  const mean = s / (to - from);
  let v = 0;
  for (let i = from; i < to; i++) v += (x[i] - mean) ** 2;
  return { mean, variance: v / Math.max(1, to - from - 1) };
}

/** True while the series drifts, or has fewer than two windows yet. */
export function drifting(values: readonly number[], w = DRIFT_WINDOW): boolean {
  const n = values.length;
  if (n < 2 * w) return true;
  const a = meanVar(values, n - 2 * w, n - w);
  const b = meanVar(values, n - w, n);
  const se = Math.sqrt((a.variance + b.variance) / w);
  return Math.abs(b.mean - a.mean) > 3 * se + FLOOR;
}

/**
 * Equilibration since the last change (of a parameter or of the lattice): the energies of the frames
 * since then (the last two windows) and whether `drifting` has cleared on them. It latches until
 * the next reset, so "equilibrating…" and the frames the ξ estimate may use agree.
 */
export class Equilibration {
  private e: number[] = [];
  /** True once the energies since the last reset stopped drifting. */
  settled = false;

  constructor(private readonly w = DRIFT_WINDOW) {}

  reset(): void {
    this.e = [];
    this.settled = false;
  }

  /** A new frame's energy. */
  add(e: number): void {
    if (this.settled) return;
    this.e.push(e);
    if (this.e.length > 2 * this.w) this.e.shift();
    this.settled = !drifting(this.e, this.w);
  }
}
