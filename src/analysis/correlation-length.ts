/**
 * The second-moment correlation length of a periodic L × L lattice,
 *   ξ = sqrt(χ/F − 1) / (2 sin(π/L)),   χ = S(0) = N⟨m²⟩,   F = ⟨S(2π/L, 0) + S(0, 2π/L)⟩/2
 * (Cooper, Freedman & Preston 1982; the definition used in finite-size scaling, where ξ/L at Tc
 * tends to a universal value). It is not the exponential correlation length. Errors by a block
 * jackknife over all replicas, blocks at least 10 τ_int of m² and F long (as analyzeIsing's).
 */

import { pooledIntegratedAutocorrelationTimes } from './autocorrelation.ts';
import { blocksPerReplica } from './ising.ts';
import { blockBoundaries, jackknife } from './jackknife.ts';
import type { Estimate } from './types.ts';

/** ξ and ξ/L from per-replica series of m (per site) and F (RunResult.structureFactor). */
export function correlationLength(
  magnetization: readonly ArrayLike<number>[],
  structureFactor: readonly ArrayLike<number>[],
  L: number,
): { xi: Estimate; xi_over_L: Estimate } {
  const R = magnetization.length;
  const n = magnetization[0].length;
  if (structureFactor.length !== R || magnetization.some((m, r) => m.length !== n || structureFactor[r].length !== n))
    throw new RangeError('correlationLength: one m and one F series of equal length per replica');
  const m2 = magnetization.map((m) => Float64Array.from(m, (x) => x * x));
  const taus = pooledIntegratedAutocorrelationTimes([m2, [...structureFactor]]);
  const k = blocksPerReplica(n, R, Math.max(0.5, ...taus.map((t) => t.tau)));
  const bounds = blockBoundaries(n, k);
  const rows: number[][] = [];
  const weights: number[] = [];
  for (let r = 0; r < R; r++) {
    for (let b = 0; b < k; b++) {
      let q = 0;
      let f = 0;
      for (let i = bounds[b]; i < bounds[b + 1]; i++) {
        q += m2[r][i];
        f += structureFactor[r][i];
      }
      const len = bounds[b + 1] - bounds[b];
      rows.push([q / len, f / len]);
      weights.push(len);
    }
  }
  const N = L * L;
  const xi = (v: number[]): number => Math.sqrt((N * v[0]) / v[1] - 1) / (2 * Math.sin(Math.PI / L));
  const est = jackknife(rows, xi, weights);
  return { xi: { mean: est.mean, err: est.err }, xi_over_L: { mean: est.mean / L, err: est.err / L } };
}
