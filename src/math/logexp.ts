/** Logarithms of sums and hyperbolic functions without overflow. */

/** ln Σ exp(x_i), stable for large or very negative x_i; −Infinity for an empty list. */
export function logSumExp(xs: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < xs.length; i++) if (xs[i] > max) max = xs[i];
  if (max === -Infinity) return -Infinity;
  if (max === Infinity) return Infinity;
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += Math.exp(xs[i] - max);
  return max + Math.log(sum);
}

/** ln(e^a + e^b) without overflow. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/** ln(2 cosh x) without overflow for large |x|. */
export function logTwoCosh(x: number): number {
  const a = Math.abs(x);
  return a + Math.log1p(Math.exp(-2 * a));
}

/** ln|2 sinh x| without overflow and with full relative accuracy for small |x|. */
export function logTwoSinhAbs(x: number): number {
  const a = Math.abs(x);
  return a + Math.log(-Math.expm1(-2 * a));
}
