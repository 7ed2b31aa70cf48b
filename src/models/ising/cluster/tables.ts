/**
 * Host thresholds of the cluster updates (the u32 rule of src/params/thresholds.ts), per
 * temperature slot, shared by the CPU twin and the GPU kernels.
 *
 * Bonds (Fortuin–Kasteleyn): a satisfied bond (J·s_i·s_j > 0; with J < 0 on the bipartite torus,
 * an antiparallel pair) is active iff u < t with p = 1 − e^{−2β|J|}.
 *
 * Cluster spins: a cluster's spins keep their relative orientation; its label site ℓ (the smallest
 * index) takes spin up iff u < t(q), where q = Σ_{i∈C} s_i·s_ℓ is the cluster's magnetisation
 * with ℓ up (|C| for J > 0), and p(q) = e^{βhq} / (2 cosh βhq) = 1 / (1 + e^{−2βhq}).
 * |q| ≤ N; the table covers q ∈ [−Q, Q], Q the smallest value with t(±Q) = t(±N) in every slot
 * (t is monotone in q, so the kernels clamp q into [−Q, Q] exactly). At h = 0, Q = 0 and t = 2^31.
 */

import { probabilityThreshold } from '../../../params/thresholds.ts';

/** Activation threshold of a satisfied bond at each temperature. */
export function bondThresholds(temperatures: readonly number[], J: number): Uint32Array {
  return Uint32Array.from(temperatures, (T) => probabilityThreshold(-Math.expm1((-2 * Math.abs(J)) / T)));
}

/** Whether the bond between spins a and b (0/1) is satisfied for coupling J. */
export const bondSatisfied = (J: number, a: number, b: number): boolean => (J > 0 ? a === b : J < 0 && a !== b);

/** Threshold of "label site up" for a cluster of charge q at inverse temperature beta. */
const spinThreshold = (beta: number, h: number, q: number): number =>
  probabilityThreshold(1 / (1 + Math.exp(-2 * beta * h * q)));

/** Cluster-spin thresholds: entry [slot·(2Q + 1) + q + Q] for q ∈ [−Q, Q], Q ≤ N. */
export interface ClusterSpinTables {
  Q: number;
  table: Uint32Array;
}

export function clusterSpinTables(temperatures: readonly number[], h: number, N: number): ClusterSpinTables {
  const saturated = (q: number): boolean =>
    temperatures.every(
      (T) =>
        spinThreshold(1 / T, h, q) === spinThreshold(1 / T, h, N) &&
        spinThreshold(1 / T, h, -q) === spinThreshold(1 / T, h, -N),
    );
  let Q = 0;
  while (Q < N && !saturated(Q)) Q++;
  const width = 2 * Q + 1;
  const table = new Uint32Array(temperatures.length * width);
  temperatures.forEach((T, k) => {
    for (let q = -Q; q <= Q; q++) table[k * width + q + Q] = spinThreshold(1 / T, h, q);
  });
  return { Q, table };
}

/** Table index of charge q (clamped into [−Q, Q]) for slot k. */
export const clusterSpinIndex = (k: number, q: number, Q: number): number =>
  k * (2 * Q + 1) + Math.min(Q, Math.max(-Q, q)) + Q;
