/** Monte Carlo against exact: |mean − exact| < 4 of the estimate's own error bars (logged). */
import { expect } from 'vitest';

export function expectWithin(name: string, est: { mean: number; err: number }, exact: number, sigmas = 4): void {
  const msg = `${name}: ${est.mean} ± ${est.err} vs exact ${exact} (${((est.mean - exact) / est.err).toFixed(2)} σ)`;
  console.log(msg);
  expect(est.err, msg).toBeGreaterThan(0);
  expect(Math.abs(est.mean - exact), msg).toBeLessThan(sigmas * est.err);
}

type Observable = 'e' | 'm_abs' | 'm2' | 'm4' | 'c' | 'chi' | 'binder';

/** expectWithin for each observable of an enumeration (e, |m|, m², m⁴, c, χ, Binder). */
export function expectObservablesWithin(
  est: Record<Observable, { mean: number; err: number } | null>,
  exact: Record<Observable, number>,
): void {
  // A null estimate (U4 of 0/0) fails as NaN.
  for (const k of ['e', 'm_abs', 'm2', 'm4', 'c', 'chi', 'binder'] as const)
    expectWithin(k, est[k] ?? { mean: Number.NaN, err: 0 }, exact[k]);
}
