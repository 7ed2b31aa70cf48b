// Real replicas: the overlap Σ_i s_i^r s_i^partner of each replica with its partner, the replica of
// the next chain of its disorder sample at the same temperature slot (twin: overlapPartner in
// src/models/ising/overlap.ts), into word 2 of sample slot S.sample's entry. Dispatched after the
// measurement and before the exchange, so the slots are those of the sweep just measured.
// Dispatch: (measure_wg_x, replicas, 1); uses only spin_at, so it suits every spin layout.

var<workgroup> wg_overlap: atomic<i32>;

fn overlap_partner(r: u32) -> u32 {
  let sample_base = (r / P.sample_replicas) * P.sample_replicas;
  let chains = P.sample_replicas / P.slots_k;
  let chain = (r - sample_base) / P.slots_k;
  let first = sample_base + ((chain + 1u) % chains) * P.slots_k;
  for (var j = first; j < first + P.slots_k; j++) {
    if (replica_slot[j] == replica_slot[r]) { return j; }
  }
  return 0xffffffffu;
}

@compute @workgroup_size(WG_SIZE)
fn overlap(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let r = wid.y;
  let partner = overlap_partner(r);
  let n = P.lx * P.ly;
  var q = 0i;
  if (partner != 0xffffffffu) {
    for (var i = wid.x * WG_SIZE + lid; i < n; i += P.measure_wg_x * WG_SIZE) {
      let y = i / P.lx;
      let x = i - y * P.lx;
      q += 1i - 2i * i32(spin_at(r, x, y) ^ spin_at(partner, x, y));
    }
  }
  atomicAdd(&wg_overlap, q);
  workgroupBarrier();
  if (lid == 0u) {
    let slot = P.replicas + (S.sample * P.replicas + r) * ENTRY_WORDS + 2u;
    atomicAdd(&stats[slot], bitcast<u32>(atomicLoad(&wg_overlap)));
  }
}
