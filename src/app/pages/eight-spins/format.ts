/**
 * Number formatting for the "Boltzmann in 8 spins" page: every value shown is finite text
 * (never "NaN" or "Infinity"), with a precision the e2e test can read back.
 */

/** A probability: 4 decimals down to 1e-3 (0.0490), 3 significant digits below (1.22e-4). */
export function formatProbability(p: number): string {
  if (!Number.isFinite(p)) return '—';
  if (p === 0) return '0';
  if (p >= 1e-3) return p.toFixed(4);
  return p.toExponential(2);
}

/** A partition function: 2 decimals while it is below 10⁶ (8229.04), 6 significant digits above. */
export function formatZ(z: number): string {
  if (!Number.isFinite(z)) return '—';
  if (Math.abs(z) < 1e6) return z.toFixed(2);
  return z.toExponential(5);
}

/** A general signed quantity (energy, free energy, ln Z) with `digits` decimals; −0 shown as 0. */
export function formatFixed(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return '—';
  const s = x.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s.replace('-', '−');
}

/** An energy level: as few decimals as it needs (−6, −1.5, 0.25). */
export function formatEnergy(e: number): string {
  if (!Number.isFinite(e)) return '—';
  const r = Math.round(e * 1e6) / 1e6;
  const s = String(Object.is(r, -0) ? 0 : r);
  return s.replace('-', '−');
}

/** A relative difference, e.g. "3.1e-16", or "0" when identical. */
export function formatRelative(x: number): string {
  if (!Number.isFinite(x)) return '—';
  return x === 0 ? '0' : x.toExponential(1);
}
