// Bit-plane decisions for 32 same-colour spins at once (kernels msc-planes and resident), shared by
// both. Storage is msc-1bit's: per colour a ring of half/32 words, site n = y*(lx/2) + (x >> 1) at
// bit n & 31 of word n >> 5. The kernel's file defines lat(r, c, w), the word w of colour c of
// replica r (global or workgroup memory), and plane_threshold(r, ci), replica r's threshold of
// class ci (storage, or a workgroup copy). Random words follow src/rng/planes.ts: plane k of word w
// is word k & 3 of Philox group w*PLANE_GROUPS + (k >> 2) on STREAM_ISING_PLANES, and lane j's
// uniform has bit j of plane k as its bit 31 - k. Rows align with words: lx/2 divides 32 or is a
// multiple of 32 (src/models/ising/planes/cpu-planes.ts, planesMisfit).

// Per-lattice masks, computed once per thread: hx = lx/2, nw = words per colour; for hx < 32,
// start = the first lane of each row in a word, row0 = the lanes of the word's even rows.
struct PlaneGeometry { hx: u32, nw: u32, start: u32, row0: u32 }

fn plane_geometry() -> PlaneGeometry {
  let hx = P.lx / 2u;
  var start = 0u;
  var row0 = 0u;
  if (hx < 32u) {
    for (var b = 0u; b < 32u; b += hx) {
      start |= 1u << b;
      if (((b / hx) & 1u) == 0u) { row0 |= ((1u << hx) - 1u) << b; }
    }
  }
  return PlaneGeometry(hx, P.half / 32u, start, row0);
}

// Aligned-neighbour counts (0..4: neighbours equal to the site's spin) of the 32 sites of word w of
// colour c, whose spins are s, as three bit planes (.x = bit 0, .y = bit 1, .z = bit 2).
fn plane_counts(g: PlaneGeometry, r: u32, c: u32, w: u32, s: u32) -> vec3u {
  let o = 1u - c;
  let same = lat(r, o, w);
  var up: u32;
  var down: u32;
  var side: u32;
  if (g.hx >= 32u) {
    // Words per row wpr; rows of one parity take the left neighbour (site j - 1), the others the right.
    let wpr = g.hx / 32u;
    let y = w / wpr;
    let k = w - y * wpr;
    up = lat(r, o, select(w - wpr, w + g.nw - wpr, w < wpr));
    down = lat(r, o, select(w + wpr, w + wpr - g.nw, w + wpr >= g.nw));
    if (((y + c) & 1u) == 0u) {
      side = (same << 1u) | (lat(r, o, select(w - 1u, w + wpr - 1u, k == 0u)) >> 31u);
    } else {
      side = (same >> 1u) | (lat(r, o, select(w + 1u, w + 1u - wpr, k + 1u == wpr)) << 31u);
    }
  } else {
    // Several rows per word: n -+ hx crosses into the neighbouring word of the ring; the side
    // neighbour rotates by one lane inside each row, left or right by the row's parity.
    up = (same << g.hx) | (lat(r, o, select(w - 1u, g.nw - 1u, w == 0u)) >> (32u - g.hx));
    down = (same >> g.hx) | (lat(r, o, select(w + 1u, 0u, w + 1u == g.nw)) << (32u - g.hx));
    let end = g.start << (g.hx - 1u);
    let left = ((same << 1u) & ~g.start) | ((same >> (g.hx - 1u)) & g.start);
    let right = ((same >> 1u) & ~end) | ((same << (g.hx - 1u)) & end);
    let y0 = (w * 32u) / g.hx;
    let takes_left = select(~g.row0, g.row0, ((y0 + c) & 1u) == 0u);
    side = (left & takes_left) | (right & ~takes_left);
  }
  return add4_planes(~(same ^ s), ~(side ^ s), ~(up ^ s), ~(down ^ s));
}

// Classes are (spin, up count 0..4); plane_flips reads them by aligned count.
const_assert N_CLASSES == 10u && CLASS_STRIDE == 5u;

// The comparison so far: lanes undecided, lanes that flip, and the thresholds by aligned count a
// (vector: a = 0..3, scalar: a = 4) of up spins and of down spins, shifted so that the current
// plane's bit is the top one.
struct PlaneState { undecided: u32, flips: u32, up: vec4u, up4: u32, down: vec4u, down4: u32 }

// Lanes (masks m by aligned count) whose threshold has its top bit set.
fn level_bits(m: vec4u, m4: u32, t: vec4u, t4: u32) -> u32 {
  let v = m & (vec4u(0u) - (t >> vec4u(31u)));
  return v.x | v.y | v.z | v.w | (m4 & (0u - (t4 >> 31u)));
}

// One plane u: T = the lanes whose threshold has this bit set; lanes with u = 0 < T = 1 flip, lanes
// where u and T differ are decided. With h = 0 (sym) up and down spins share the thresholds.
fn plane_step(st: PlaneState, u: u32, s: u32, m: vec4u, m4: u32, sym: bool) -> PlaneState {
  var th = level_bits(m, m4, st.up, st.up4);
  if (!sym) { th = (th & s) | (level_bits(m, m4, st.down, st.down4) & ~s); }
  return PlaneState(st.undecided & ~(th ^ u), st.flips | (st.undecided & th & ~u),
    st.up << vec4u(1u), st.up4 << 1u, st.down << vec4u(1u), st.down4 << 1u);
}

// Lanes whose spin flips at (sweep lo/hi, colour c): lane j flips iff U_j < t_j, decided
// bit-serially from plane 0; planes are drawn 4 at a time until no lane is undecided. A lane
// whose U equals t through all 32 planes stays undecided and does not flip (U < t is false).
// s: the word's spins; a: aligned-neighbour count planes. No arrays and no per-lane loop.
fn plane_flips(s: u32, a: vec3u, w: u32, r: u32, c: u32, lo: u32, hi: u32) -> u32 {
  // Lanes per aligned count (counts <= 4, so z set means exactly 4).
  let m = vec4u(~(a.x | a.y | a.z), a.x & ~a.y, ~a.x & a.y, a.x & a.y);
  // An up spin with a aligned neighbours has a up neighbours; a down spin has 4 - a.
  let up = vec4u(plane_threshold(r, class_index(1u, 0u)), plane_threshold(r, class_index(1u, 1u)),
    plane_threshold(r, class_index(1u, 2u)), plane_threshold(r, class_index(1u, 3u)));
  let down = vec4u(plane_threshold(r, class_index(0u, 4u)), plane_threshold(r, class_index(0u, 3u)),
    plane_threshold(r, class_index(0u, 2u)), plane_threshold(r, class_index(0u, 1u)));
  var st = PlaneState(0xFFFFFFFFu, 0u, up, plane_threshold(r, class_index(1u, 4u)), down, plane_threshold(r, class_index(0u, 0u)));
  let sym = all(st.up == st.down) && st.up4 == st.down4;
  for (var pg = 0u; pg < PLANE_GROUPS && st.undecided != 0u; pg++) {
    let rnd = philox4x32_10(
      step_counter(w * PLANE_GROUPS + pg, P.replica_base + r, STREAM_ISING_PLANES, c, lo, hi), vec2u(P.seed_lo, P.seed_hi));
    st = plane_step(st, rnd.x, s, m, a.z, sym);
    st = plane_step(st, rnd.y, s, m, a.z, sym);
    st = plane_step(st, rnd.z, s, m, a.z, sym);
    st = plane_step(st, rnd.w, s, m, a.z, sym);
  }
  return st.flips;
}

// Bond sum of the 32 colour-0 sites of a word from their aligned counts: s_i times the sum of its
// neighbours is a_i - (4 - a_i), summed over the lanes.
fn plane_bonds(a: vec3u) -> i32 {
  return 2i * i32(countOneBits(a.x) + 2u * countOneBits(a.y) + 4u * countOneBits(a.z)) - 128i;
}

// Hot/cold initial word w of colour c: the per-site mapping of every kernel (ISING_INIT, sweep 0),
// so all kernels start from the same lattice.
fn plane_init_word(r: u32, c: u32, w: u32) -> u32 {
  var word = 0u;
  for (var q = 0u; q < 8u; q++) {
    let rnd = philox4x32_10(step_counter(w * 8u + q, P.replica_base + r, STREAM_ISING_INIT, c, 0u, 0u), vec2u(P.seed_lo, P.seed_hi));
    for (var i = 0u; i < 4u; i++) {
      word |= select(rnd[i] >> 31u, 1u, S.mode == INIT_COLD) << (4u * q + i);
    }
  }
  return word;
}

// Word j (< WORDS_PER_THREAD) of a thread of a sweep or init dispatch: a workgroup owns
// WORDS_PER_THREAD * WG_SIZE consecutive words and reads them WG_SIZE at a time (coalesced). More
// words per thread spread each workgroup's fixed cost (its flip-count barrier) over more updates.
fn plane_thread_word(wid: vec3u, lid: u32, j: u32) -> u32 {
  return ((wid.z * P.sweep_wg_x + wid.x) * WORDS_PER_THREAD + j) * WG_SIZE + lid;
}

// Initial state of both colours: dispatch (sweep_wg_x [* z], replicas) as the sweep.
@compute @workgroup_size(WG_SIZE)
fn init(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let r = wid.y;
  let nw = P.half / 32u;
  for (var j = 0u; j < WORDS_PER_THREAD; j++) {
    let w = plane_thread_word(wid, lid, j);
    if (w < nw) {
      for (var c = 0u; c < 2u; c++) { spins[(r * 2u + c) * nw + w] = plane_init_word(r, c, w); }
    }
  }
}
