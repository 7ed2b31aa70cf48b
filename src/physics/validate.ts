/**
 * Argument checks shared by the exact-result modules. Each throws a RangeError
 * naming the offending parameter, so a bad call fails loudly instead of
 * returning NaN deep inside a comparison test.
 */

/** Throws unless `T` is a finite number > 0. */
export function requireTemperature(T: number, name = 'T'): void {
  if (!(Number.isFinite(T) && T > 0)) {
    throw new RangeError(`${name} must be a finite temperature > 0, got ${T}`);
  }
}

/** Throws unless `x` is a finite number. */
export function requireFinite(x: number, name: string): void {
  if (!Number.isFinite(x)) throw new RangeError(`${name} must be finite, got ${x}`);
}

/** Throws unless `n` is an integer in [min, max]. */
export function requireInteger(n: number, name: string, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!(Number.isInteger(n) && n >= min && n <= max)) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${n}`);
  }
}

/** Throws unless `L` is an even integer >= 2 (a lattice side for Kaufman's formula). */
export function requireEvenSide(L: number, name: string): void {
  if (!(Number.isInteger(L) && L >= 2 && L % 2 === 0)) {
    throw new RangeError(`${name} must be an even integer >= 2, got ${L}`);
  }
}
