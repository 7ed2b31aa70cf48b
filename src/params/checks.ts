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
