/** Argument checks of the reweighting functions. */
import type { ReplicaSeries } from './types.ts';

/** Throws a RangeError naming `name` unless x is finite. */
export function requireFiniteNumber(x: number, name: string): void {
  if (!Number.isFinite(x)) throw new RangeError(`${name} must be a finite number, got ${x}`);
}

/** The replicas of a series: an array of arrays as it is, a single array as one replica. */
export function toReplicas(x: ReplicaSeries, name: string): ArrayLike<number>[] {
  if (x == null || typeof x.length !== 'number') throw new TypeError(`${name} must be an array or an array of arrays`);
  if (x.length > 0 && typeof (x as ArrayLike<unknown>)[0] === 'object') {
    return Array.from(x as readonly ArrayLike<number>[]);
  }
  return [x as ArrayLike<number>];
}
