/** Monte Carlo against exact: |mean − exact| < 4 of the estimate's own error bars (logged). */
import { expect } from 'vitest';

export function expectWithin(name: string, est: { mean: number; err: number }, exact: number, sigmas = 4): void {
  const msg = `${name}: ${est.mean} ± ${est.err} vs exact ${exact} (${((est.mean - exact) / est.err).toFixed(2)} σ)`;
  console.log(msg);
  expect(est.err, msg).toBeGreaterThan(0);
  expect(Math.abs(est.mean - exact), msg).toBeLessThan(sigmas * est.err);
}
