/** Checks shared by every sampler: temperature lists and replica → slot assignments. */

import { checkParameter as check } from './errors.ts';

/** Validate a temperature list (finite, > 0). */
export function checkTemperatures(temperatures: readonly number[], parameter = 'temperatures'): void {
  check(temperatures.length >= 1, parameter, 'must hold at least one temperature');
  for (const T of temperatures) check(Number.isFinite(T) && T > 0, parameter, `must be finite and > 0, got ${T}`);
}

/** Validate a replica → slot assignment against K temperature slots. */
export function checkSlots(slots: readonly number[], replicas: number, K: number): number[] {
  check(slots.length === replicas, 'slots', `must have one entry per replica (${replicas}), got ${slots.length}`);
  for (const s of slots)
    check(Number.isInteger(s) && s >= 0 && s < K, 'slots', `entries must be integers in [0, ${K - 1}], got ${s}`);
  return [...slots];
}

/**
 * Largest energy scale 2|J| + |h| per site, and largest β times it, for which energies, the
 * specific heat c = Nβ²Var(e) and χ stay finite in float64 (N ≤ 2^47 spins in any batch).
 */
export const MAX_ENERGY_SCALE = 1e100;

/** Refuse J, h and temperatures whose energies or fluctuations would overflow to ±Infinity or NaN. */
export function checkEnergyScale(J: number, h: number, temperatures: readonly number[]): void {
  const scale = 2 * Math.abs(J) + Math.abs(h);
  const given = `J = ${J}, h = ${h}`;
  const which = Math.abs(h) > 2 * Math.abs(J) ? 'h' : 'J';
  check(scale <= MAX_ENERGY_SCALE, which, `must keep 2|J| + |h| at most 1e100 (energies would overflow), got ${given}`);
  const T = Math.min(...temperatures);
  check(
    scale / T <= MAX_ENERGY_SCALE,
    'T',
    `must keep (2|J| + |h|)/T at most 1e100 (c and chi would overflow), got T = ${T} with ${given}`,
  );
}
