// Kernel resident: one workgroup owns one replica's lattice (both colours, msc-1bit storage) in
// workgroup memory and runs S.sweeps sweeps per dispatch, with a barrier between colours (legal:
// the whole lattice is in the workgroup). Decisions and neighbours: shaders/ising/planes.wgsl.
// Measured sweeps (t >= S.measure_first, t - S.measure_first a multiple of S.measure_every) write
// bond sum and magnetisation into ring slot S.sample + (t - S.measure_first) / S.measure_every.
// Dispatch: (1, replicas, 1) workgroups of WG_SIZE threads; thread lid owns words lid, lid + WG_SIZE, ...
// RES_WORDS (pipeline constant) = 2 * half / 32, the lattice's words.

override RES_WORDS: u32 = 2u;
var<workgroup> wg_lat: array<u32, RES_WORDS>;

fn lat(r: u32, c: u32, w: u32) -> u32 {
  return wg_lat[c * (P.half / 32u) + w];
}

// Spin (0/1) at (x, y) of replica r, from the storage buffer: the accessor renderers use.
fn spin_at(r: u32, x: u32, y: u32) -> u32 {
  let n = y * (P.lx / 2u) + (x >> 1u);
  return (spins[(r * 2u + ((x + y) & 1u)) * (P.half / 32u) + (n >> 5u)] >> (n & 31u)) & 1u;
}

// The thresholds of this workgroup's replica, staged once per dispatch by load_lattice.
var<workgroup> wg_plane_table: array<u32, N_CLASSES>;
fn plane_threshold(r: u32, ci: u32) -> u32 { return wg_plane_table[ci]; }

fn load_lattice(r: u32, lid: u32) {
  let words = P.half / 16u;
  for (var i = lid; i < words; i += WG_SIZE) { wg_lat[i] = spins[r * words + i]; }
  for (var ci = lid; ci < N_CLASSES; ci += WG_SIZE) { wg_plane_table[ci] = thresholds[replica_slot[r] * N_CLASSES + ci]; }
  workgroupBarrier();
}

// This thread's share of the bond sum and magnetisation of the lattice in workgroup memory.
fn resident_observables(g: PlaneGeometry, lid: u32) -> vec2i {
  var bonds = 0i;
  var mag = 0i;
  for (var w = lid; w < g.nw; w += WG_SIZE) {
    let s0 = lat(0u, 0u, w);
    bonds += plane_bonds(plane_counts(g, 0u, 0u, w, s0));
    mag += 2i * i32(countOneBits(s0) + countOneBits(lat(0u, 1u, w))) - 64i;
  }
  return vec2i(bonds, mag);
}

// Adds the workgroup's observables to ring slot `sample` of replica r, and clears the sums for the
// next measurement. Uniform control flow (barriers).
fn resident_record(r: u32, sample: u32, o: vec2i, lid: u32) {
  atomicAdd(&wg_bonds, o.x);
  atomicAdd(&wg_mag, o.y);
  workgroupBarrier();
  if (lid == 0u) {
    let slot = P.replicas + (sample * P.replicas + r) * ENTRY_WORDS;
    atomicAdd(&stats[slot], bitcast<u32>(atomicExchange(&wg_bonds, 0i)));
    atomicAdd(&stats[slot + 1u], bitcast<u32>(atomicExchange(&wg_mag, 0i)));
  }
  workgroupBarrier();
}

@compute @workgroup_size(WG_SIZE)
fn sweep(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let r = wid.y;
  load_lattice(r, lid);
  let g = plane_geometry();
  var flips = 0u;
  for (var t = 0u; t < S.sweeps; t++) {
    // Absolute sweep number of sweep t (48 bits: carry into the high word).
    let lo = S.sweep_lo + t;
    let hi = S.sweep_hi + select(0u, 1u, lo < S.sweep_lo);
    for (var c = 0u; c < 2u; c++) {
      for (var w = lid; w < g.nw; w += WG_SIZE) {
        let s = lat(r, c, w);
        let f = plane_flips(s, plane_counts(g, r, c, w, s), w, r, c, lo, hi);
        wg_lat[c * g.nw + w] = s ^ f;
        flips += countOneBits(f);
      }
      workgroupBarrier();
    }
    if (t >= S.measure_first && (t - S.measure_first) % S.measure_every == 0u) {
      resident_record(r, S.sample + (t - S.measure_first) / S.measure_every, resident_observables(g, lid), lid);
    }
  }
  for (var i = lid; i < 2u * g.nw; i += WG_SIZE) { spins[r * 2u * g.nw + i] = wg_lat[i]; }
  count_flips(r, flips, lid);
}

// Observables of the current lattices into ring slot S.sample: one workgroup per replica (the
// others of a wider dispatch return at once).
@compute @workgroup_size(WG_SIZE)
fn measure(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  if (wid.x != 0u) { return; }
  let r = wid.y;
  load_lattice(r, lid);
  resident_record(r, S.sample, resident_observables(plane_geometry(), lid), lid);
}
