/**
 * Round trips of replicas between the ends of a ladder, from the permutation series: a replica
 * completes a round trip when it reaches the bottom slot after having reached the top slot since
 * its last visit to the bottom (bottom → top → bottom). Also the fraction of time each replica
 * spends at each slot.
 */

/** Round trips per replica between slots `bottom` and `top` over the series (samples × chains × K). */
export function roundTrips(permutations: Uint32Array, replicas: number, K: number, bottom = 0, top = K - 1): number[] {
  const samples = permutations.length / replicas;
  const trips = new Array<number>(replicas).fill(0);
  // 0: not yet at an end, 1: last end was the bottom, 2: reached the top after the bottom.
  const state = new Uint8Array(replicas);
  for (let t = 0; t < samples; t++) {
    for (let c = 0; c < replicas / K; c++) {
      const base = t * replicas + c * K;
      const atBottom = permutations[base + bottom];
      const atTop = permutations[base + top];
      if (state[atTop] === 1) state[atTop] = 2;
      if (state[atBottom] === 2) trips[atBottom]++;
      state[atBottom] = 1;
    }
  }
  return trips;
}

/** Replica at slot k of chain c at each sample: the series that maps measurements to temperatures. */
export function replicaAtSlot(
  permutations: Uint32Array,
  replicas: number,
  K: number,
  chain: number,
  k: number,
): Uint32Array {
  const samples = permutations.length / replicas;
  const out = new Uint32Array(samples);
  for (let t = 0; t < samples; t++) out[t] = permutations[t * replicas + chain * K + k];
  return out;
}
