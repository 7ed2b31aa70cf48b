/**
 * Real replicas and their overlap. With couplings, the replicas of a disorder sample form
 * P / K chains (ladders) of K slots; chain a of a sample pairs with chain (a + 1) mod (P / K), so
 * replica r's partner is the replica of the next chain of its sample that holds r's slot. Each
 * measurement reports Σ_i s_i^r s_i^partner (q·N, an integer), the twin of shaders/ising/overlap.wgsl.
 */

/** Partner of replica r (slots: every replica's slot; P replicas per sample; K slots per chain), or −1. */
export function overlapPartner(r: number, slots: readonly number[], P: number, K: number): number {
  const sampleBase = Math.floor(r / P) * P;
  const chains = P / K;
  const chain = Math.floor((r - sampleBase) / K);
  const first = sampleBase + ((chain + 1) % chains) * K;
  for (let j = first; j < first + K; j++) if (slots[j] === slots[r]) return j;
  return -1;
}
