// Replica exchange between adjacent temperature slots, on GPU-resident energies and permutation:
// no host round trip per exchange. One thread per independent ladder (chain) of K replicas; it
// first records which replica sits at each slot during this sweep (the permutation series), then,
// on exchange sweeps (S.exchange = 1 + parity), tries the pairs (k, k+1) with k ≡ parity (mod 2),
// in increasing k, each with the first Philox word of (pair k, chain, sweep) on the TEMPERING
// stream, against the host's integer thresholds (src/tempering/swap-tables.ts; lookup in swap-threshold.wgsl). Energies are the
// bond sums that the measurement kernel just wrote into sample slot S.sample.
// Twin: exchangeStep in src/tempering/exchange.ts.

// The struct TemperParams (k: temperatures per chain, chains, header: words of the swap-table
// header) and the group-1 bindings (TP, slot_replica, swap_tables, tstats) are generated from
// src/models/ising/gpu-exchange.ts.

fn sample_bonds(r: u32) -> i32 {
  return bitcast<i32>(atomicLoad(&stats[P.replicas + (S.sample * P.replicas + r) * ENTRY_WORDS]));
}

@compute @workgroup_size(EXCHANGE_WG)
fn exchange(@builtin(global_invocation_id) id: vec3u) {
  let c = id.x;
  if (c >= TP.chains) { return; }
  let base = c * TP.k;
  let ring = TP.k - 1u + S.sample * P.replicas + base;
  for (var k = 0u; k < TP.k; k++) { atomicStore(&tstats[ring + k], slot_replica[base + k]); }
  if (S.exchange == 0u) { return; }
  for (var k = S.exchange - 1u; k + 1u < TP.k; k += 2u) {
    let a = slot_replica[base + k];
    let b = slot_replica[base + k + 1u];
    let u = philox4x32_10(step_counter(k, P.replica_base / TP.k + c, STREAM_TEMPERING, 0u, S.sweep_lo, S.sweep_hi), vec2u(P.seed_lo, P.seed_hi)).x;
    if (u < swap_threshold(TP.header, k, sample_bonds(a) - sample_bonds(b))) {
      slot_replica[base + k] = b;
      slot_replica[base + k + 1u] = a;
      replica_slot[a] = k + 1u;
      replica_slot[b] = k;
      atomicAdd(&tstats[k], 1u);
    }
  }
}
