/**
 * Replica-exchange acceptance as integer thresholds (docs/ARCHITECTURE.md, "The numerical
 * contract"). Swapping the replicas at adjacent temperature slots k and k+1 is accepted with probability
 *   p = min(1, exp((β_k − β_{k+1})(E_k − E_{k+1}))),
 * and at h = 0 the energies are E = −J·bonds with integer bond sums, so
 *   p = min(1, exp(−a_k·Δ)),  a_k = (β_k − β_{k+1})·J,  Δ = bonds_k − bonds_{k+1}.
 * For each pair the host tabulates threshold(x) = min(2^32−1, floor(2^32·e^{−|a_k|·x})) for
 * x = 0 … C_k − 1 in float64, where x = Δ·sign(a_k) and C_k is where the threshold reaches 0;
 * x ≤ 0 accepts always (threshold 2^32−1), x ≥ C_k never. The GPU and the CPU look up the same
 * integers, so their decisions coincide bit for bit.
 */

import { probabilityThreshold } from '../params/thresholds.ts';

/** Swap thresholds of the K−1 adjacent pairs of a ladder. */
export interface SwapTables {
  K: number;
  /** Per pair: [offset into data, length C_k, sign (0: a ≥ 0, 1: a < 0), 0]. */
  header: Uint32Array;
  data: Uint32Array;
}

/** Words of the header (4 per pair) before the data, as laid out for the GPU. */
export const headerWords = (K: number): number => 4 * Math.max(0, K - 1);

/** Thresholds for temperatures T_0 … T_{K−1} and coupling J; `maxDelta` bounds |Δ| (4N). */
export function swapTables(temperatures: readonly number[], J: number, maxDelta: number): SwapTables {
  const K = temperatures.length;
  const header = new Uint32Array(headerWords(K));
  const chunks: Uint32Array[] = [];
  let offset = 0;
  for (let k = 0; k + 1 < K; k++) {
    const a = (1 / temperatures[k] - 1 / temperatures[k + 1]) * J;
    const rate = Math.abs(a);
    // Past x = 32 ln 2 / rate the threshold is 0; no table needs more than |Δ| ≤ maxDelta.
    const length = rate === 0 ? 0 : Math.min(maxDelta + 1, Math.ceil((32 * Math.LN2) / rate) + 2);
    const table = new Uint32Array(length);
    for (let x = 0; x < length; x++) table[x] = probabilityThreshold(Math.exp(-rate * x));
    header.set([offset, length, a < 0 ? 1 : 0, rate === 0 ? 1 : 0], 4 * k);
    chunks.push(table);
    offset += length;
  }
  const data = new Uint32Array(offset);
  let at = 0;
  for (const c of chunks) {
    data.set(c, at);
    at += c.length;
  }
  return { K, header, data };
}

/** Threshold for pair k and bond-sum difference Δ = bonds_k − bonds_{k+1}. Twin of the WGSL lookup. */
export function swapThreshold(t: SwapTables, k: number, delta: number): number {
  const h = 4 * k;
  if (t.header[h + 3] === 1) return 0xffffffff; // equal temperatures: always swap
  const x = t.header[h + 2] === 1 ? -delta : delta;
  if (x <= 0) return 0xffffffff;
  if (x >= t.header[h + 1]) return 0;
  return t.data[t.header[h] + x];
}

/** Header and data in one array (header first), the layout of the GPU buffer. */
export function packSwapTables(t: SwapTables): Uint32Array {
  const out = new Uint32Array(t.header.length + t.data.length);
  out.set(t.header);
  out.set(t.data, t.header.length);
  return out;
}
