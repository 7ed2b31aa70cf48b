/**
 * Improved estimators of the cluster updates. At h = 0, ⟨M⟩ = 0 on a finite lattice by symmetry,
 * and the susceptibility is χ = β⟨M²⟩/N = βN⟨m²⟩. Each cluster step gives an estimate of M² from
 * its clusters alone (RunResult.clusterMoments: Σ_C q_C² for Swendsen–Wang, N·q_C²/|C| for Wolff,
 * q_C = |C| for J > 0), whose variance is smaller than that of M² itself near and above Tc.
 */

import { pooledBinning } from './binning.ts';
import type { Estimate } from './types.ts';

/** χ = βN⟨m²⟩ at h = 0: direct from the magnetisation and improved from the cluster moments (binning, pooled over replicas). */
export function zeroFieldSusceptibility(
  magnetization: readonly Float64Array[],
  clusterMoments: readonly Float64Array[],
  beta: number,
  N: number,
): { direct: Estimate; improved: Estimate } {
  const m2 = pooledBinning(magnetization.map((m) => m.map((x) => x * x)));
  const moments = pooledBinning(clusterMoments);
  return {
    direct: { mean: beta * N * m2.mean, err: beta * N * m2.err },
    improved: { mean: (beta * moments.mean) / N, err: (beta * moments.err) / N },
  };
}
