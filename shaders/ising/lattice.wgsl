// Site numbering and reductions shared by the Ising kernels (checkerboard.wgsl, packed.wgsl,
// observables.wgsl). Twin of src/models/ising/layout.ts. Spins are u32 0 (down) / 1 (up), replica-major, row-major:
// spin (r, x, y) at r*lx*ly + y*lx + x.

// Threads per workgroup, chosen by the host per lattice (src/models/ising/gpu-sampler.ts).
override WG_SIZE: u32 = 256u;

// The structs LatticeParams and Step, the group-0 bindings (P, S, spins, thresholds,
// replica_slot, stats) and class_index() are generated from src/models/ising/gpu-layout.ts.

// Site n of colour c (n = y*(lx/2) + (x >> 1)) → (x, y).
fn colour_site(n: u32, c: u32) -> vec2u {
  let hx = P.lx / 2u;
  let y = n / hx;
  return vec2u(2u * (n % hx) + ((y + c) & 1u), y);
}

fn site_index(r: u32, x: u32, y: u32) -> u32 {
  return (r * P.ly + y) * P.lx + x;
}

// Antiferromagnetic bits of the right (bit 0) and down (bit 1) bond of site (x, y) in replica r's
// disorder sample; 0 (all ferromagnetic) without couplings.
fn afm_bits(r: u32, x: u32, y: u32) -> u32 {
  if (P.glass == 0u) { return 0u; }
  return couplings[(r / P.sample_replicas) * P.lx * P.ly + y * P.lx + x];
}

// Thread of a sweep or init dispatch of (sweep_wg_x [* z], replicas) workgroups: the word (or
// group) of one colour it owns.
fn thread_word(wid: vec3u, lid: u32) -> u32 {
  return (wid.z * P.sweep_wg_x + wid.x) * WG_SIZE + lid;
}

var<workgroup> wg_flips: atomic<u32>;
var<workgroup> wg_bonds: atomic<i32>;
var<workgroup> wg_mag: atomic<i32>;

// Adds this thread's accepted flips to replica r's counter: one global atomic per workgroup.
// Call from uniform control flow (it holds a barrier).
fn count_flips(r: u32, flips: u32, lid: u32) {
  if (flips > 0u) { atomicAdd(&wg_flips, flips); }
  workgroupBarrier();
  if (lid == 0u) {
    let total = atomicLoad(&wg_flips);
    if (total > 0u) { atomicAdd(&stats[r], total); }
  }
}

// Adds this thread's partial bond sum and magnetisation to sample slot S.sample of replica r.
// Call from uniform control flow (it holds a barrier).
fn record_sample(r: u32, bonds: i32, mag: i32, lid: u32) {
  atomicAdd(&wg_bonds, bonds);
  atomicAdd(&wg_mag, mag);
  workgroupBarrier();
  if (lid == 0u) {
    let slot = P.replicas + (S.sample * P.replicas + r) * ENTRY_WORDS;
    atomicAdd(&stats[slot], bitcast<u32>(atomicLoad(&wg_bonds)));
    atomicAdd(&stats[slot + 1u], bitcast<u32>(atomicLoad(&wg_mag)));
  }
}

// Bit-sliced sum of four 1-bit words, lane by lane: the planes of a count 0..4 (.x = bit 0,
// .y = bit 1, .z = bit 2), by two half adders and a carry.
fn add4_planes(a: u32, b: u32, c: u32, d: u32) -> vec3u {
  let t1 = a ^ b;
  let c1 = a & b;
  let t2 = c ^ d;
  let c2 = c & d;
  let k2 = t1 & t2;
  return vec3u(t1 ^ t2, c1 ^ c2 ^ k2, (c1 & c2) | (c1 & k2) | (c2 & k2));
}
