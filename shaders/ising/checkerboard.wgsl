// Checkerboard single-spin-flip update of one colour, for all replicas in one dispatch
// (Metropolis or heat-bath: the host's threshold table decides which). Sites of one colour have
// no neighbours of that colour, so the order of updates within a dispatch cannot matter, and
// the result equals the CPU reference bit for bit.
// Dispatch: (sweep_wg_x, replicas, z) workgroups; one thread per group of 4 same-colour sites,
// fed by one Philox call.

// Spin (0/1) at (x, y) of replica r: the layout-generic accessor that renderers use.
fn spin_at(r: u32, x: u32, y: u32) -> u32 {
  return spins[site_index(r, x, y)];
}

@compute @workgroup_size(WG_SIZE)
fn sweep(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let r = wid.y;
  let g = (wid.z * P.sweep_wg_x + wid.x) * WG_SIZE + lid;
  var flips = 0u;
  if (g < P.groups) {
    let rnd = philox4x32_10(
      step_counter(g, P.replica_base + r, STREAM_ISING_UPDATE, S.phase, S.sweep_lo, S.sweep_hi),
      vec2u(P.seed_lo, P.seed_hi));
    let table = replica_slot[r] * N_CLASSES;
    for (var k = 0u; k < 4u; k++) {
      let n = g * 4u + k;
      if (n >= P.half) { break; }
      let p = colour_site(n, S.phase);
      let xl = select(p.x - 1u, P.lx - 1u, p.x == 0u);
      let xr = select(p.x + 1u, 0u, p.x + 1u == P.lx);
      let yu = select(p.y - 1u, P.ly - 1u, p.y == 0u);
      let yd = select(p.y + 1u, 0u, p.y + 1u == P.ly);
      // Neighbours with J_ij s_j = +1 (spin XOR the bond's antiferromagnetic bit): the
      // ferromagnet's up count when there are no couplings.
      let a = afm_bits(r, p.x, p.y);
      let up = (spins[site_index(r, xl, p.y)] ^ (afm_bits(r, xl, p.y) & 1u))
             + (spins[site_index(r, xr, p.y)] ^ (a & 1u))
             + (spins[site_index(r, p.x, yu)] ^ (afm_bits(r, p.x, yu) >> 1u))
             + (spins[site_index(r, p.x, yd)] ^ (a >> 1u));
      let i = site_index(r, p.x, p.y);
      let s = spins[i];
      if (rnd[k] < thresholds[table + class_index(s, up)]) {
        spins[i] = 1u - s;
        flips += 1u;
      }
    }
  }
  count_flips(r, flips, lid);
}

// Initial state: INIT_COLD sets every spin up; INIT_HOT draws each spin from the ISING_INIT
// stream with sweep 0 and phase = its colour (the top bit of its Philox word).
@compute @workgroup_size(WG_SIZE)
fn init(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let r = wid.y;
  let g = (wid.z * P.sweep_wg_x + wid.x) * WG_SIZE + lid;
  if (g >= P.groups) { return; }
  for (var c = 0u; c < 2u; c++) {
    let rnd = philox4x32_10(step_counter(g, P.replica_base + r, STREAM_ISING_INIT, c, 0u, 0u), vec2u(P.seed_lo, P.seed_hi));
    for (var k = 0u; k < 4u; k++) {
      let n = g * 4u + k;
      if (n >= P.half) { break; }
      let p = colour_site(n, c);
      spins[site_index(r, p.x, p.y)] = select(rnd[k] >> 31u, 1u, S.mode == INIT_COLD);
    }
  }
}
