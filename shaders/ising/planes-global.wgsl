// Kernel msc-planes: msc-1bit's storage and neighbour logic, with bit-plane decisions
// (shaders/ising/planes.wgsl): a word of 32 spins draws about 2 Philox calls instead of 8 and
// decides all its lanes with bit-sliced masks. One thread per WORDS_PER_THREAD words of one
// colour (plane_thread_word); dispatch (sweep_wg_x [* z], replicas) workgroups as the other kernels.

fn lat(r: u32, c: u32, w: u32) -> u32 {
  return spins[(r * 2u + c) * (P.half / 32u) + w];
}

// Spin (0/1) at (x, y) of replica r: the layout-generic accessor that renderers use.
fn spin_at(r: u32, x: u32, y: u32) -> u32 {
  let n = y * (P.lx / 2u) + (x >> 1u);
  return (lat(r, (x + y) & 1u, n >> 5u) >> (n & 31u)) & 1u;
}

// Threshold of class ci of replica r, read where it lives: the thresholds are uniform across the
// workgroup, so no staging (and no barrier) is needed.
fn plane_threshold(r: u32, ci: u32) -> u32 {
  return thresholds[replica_slot[r] * N_CLASSES + ci];
}

@compute @workgroup_size(WG_SIZE)
fn sweep(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let r = wid.y;
  let g = plane_geometry();
  let c = S.phase;
  var flips = 0u;
  for (var j = 0u; j < WORDS_PER_THREAD; j++) {
    let w = plane_thread_word(wid, lid, j);
    if (w < g.nw) {
      let idx = (r * 2u + c) * g.nw + w;
      let s = spins[idx];
      let f = plane_flips(s, plane_counts(g, r, c, w, s), w, r, c, S.sweep_lo, S.sweep_hi);
      spins[idx] = s ^ f;
      flips += countOneBits(f);
    }
  }
  count_flips(r, flips, lid);
}

// Bond sum over the colour-0 sites (their 4 bonds are all bonds) and magnetisation.
@compute @workgroup_size(WG_SIZE)
fn measure(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let r = wid.y;
  let g = plane_geometry();
  var bonds = 0i;
  var mag = 0i;
  for (var w = wid.x * WG_SIZE + lid; w < g.nw; w += P.measure_wg_x * WG_SIZE) {
    let s0 = lat(r, 0u, w);
    bonds += plane_bonds(plane_counts(g, r, 0u, w, s0));
    mag += 2i * i32(countOneBits(s0) + countOneBits(lat(r, 1u, w))) - 64i;
  }
  record_sample(r, bonds, mag, lid);
}
