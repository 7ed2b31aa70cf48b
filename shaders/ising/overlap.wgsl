// Real replicas: the spin overlap Σ_i s_i^r s_i^partner of each replica with its partner, the replica
// of the next chain of its disorder sample at the same temperature slot (twin: overlapPartner in
// src/models/ising/overlap.ts), into word 2 of sample slot S.sample's entry, and the link overlap
// Σ_<ij> (s_i s_j)^r (s_i s_j)^partner over the right and down bonds into word 3. Dispatched after the
// measurement and before the exchange, so the slots are those of the sweep just measured.
// Dispatch: (measure_wg_x, replicas, 1); uses only spin_at, so it suits every spin layout.

var<workgroup> wg_overlap: atomic<i32>;
var<workgroup> wg_link: atomic<i32>;

// ±1 per bond: +1 when the bond (x, y)–(x2, y2) is satisfied alike in replicas r and p, else −1.
fn link_term(r: u32, p: u32, x: u32, y: u32, x2: u32, y2: u32) -> i32 {
  let a = spin_at(r, x, y) ^ spin_at(r, x2, y2);
  let b = spin_at(p, x, y) ^ spin_at(p, x2, y2);
  return 1i - 2i * i32(a ^ b);
}

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
  var link = 0i;
  if (partner != 0xffffffffu) {
    for (var i = wid.x * WG_SIZE + lid; i < n; i += P.measure_wg_x * WG_SIZE) {
      let y = i / P.lx;
      let x = i - y * P.lx;
      q += 1i - 2i * i32(spin_at(r, x, y) ^ spin_at(partner, x, y));
      let xr = select(x + 1u, 0u, x + 1u == P.lx);
      let yd = select(y + 1u, 0u, y + 1u == P.ly);
      link += link_term(r, partner, x, y, xr, y) + link_term(r, partner, x, y, x, yd);
    }
  }
  atomicAdd(&wg_overlap, q);
  atomicAdd(&wg_link, link);
  workgroupBarrier();
  if (lid == 0u) {
    let slot = P.replicas + (S.sample * P.replicas + r) * ENTRY_WORDS + 2u;
    atomicAdd(&stats[slot], bitcast<u32>(atomicLoad(&wg_overlap)));
    atomicAdd(&stats[slot + 1u], bitcast<u32>(atomicLoad(&wg_link)));
  }
}
