/**
 * The rates every page shows, defined once: flips/ns counts attempted spin updates (sites × sweeps)
 * per nanosecond, as the kernel benchmark does; the acceptance is the share of them that flipped.
 * Shown to 3 significant figures.
 */

/** Attempted updates per ns and the accepted share, for `sweeps` sweeps of `sites` spins in `seconds`. */
export function updateRates(
  sites: number,
  sweeps: number,
  accepted: number,
  seconds: number,
): { flipsPerNs: number; acceptance: number } {
  const attempted = sites * sweeps;
  return {
    flipsPerNs: seconds > 0 ? attempted / (seconds * 1e9) : NaN,
    acceptance: attempted > 0 ? accepted / attempted : NaN,
  };
}

/** x to 3 significant figures, without exponent between 1e-4 and 1e6; '–' when not finite. */
export function sig3(x: number): string {
  if (!Number.isFinite(x)) return '–';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-4 && a < 1e6) return Number(x.toPrecision(3)).toString();
  return x.toExponential(2);
}
