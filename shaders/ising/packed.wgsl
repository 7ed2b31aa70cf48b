// Multi-spin-coded checkerboard kernels: the two colours in separate arrays, SPW = 32/BITS spins
// per u32 (BITS = 8: bytes, 4: nibbles, 1: bits), lane i of word k of row y of colour c holding
// colour-site j = SPW*k + i (x = 2j + ((y + c) & 1)). Storage: [replica][colour][row][word].
// Neighbour counts are computed for all SPW lanes of a word at once: lane-wise additions for
// BITS >= 4 (a count <= 4 fits a lane), bit-sliced full adders for BITS = 1. Random words follow
// the layout-independent mapping of src/rng/streams.ts (site n of a colour takes word n & 3 of
// Philox group n >> 2), so the lattices equal the CPU reference's bit for bit.
// Needs Lx/2 to be a multiple of SPW (a word never straddles two rows).

const SPW: u32 = 32u / BITS;
const LANE_MASK: u32 = (1u << BITS) - 1u;
// Bit 0 of every lane: the spin bits of a word (0x01010101, 0x11111111 or all ones).
const SPIN_BITS: u32 = 0xFFFFFFFFu / LANE_MASK;

fn words_per_row() -> u32 { return P.lx / 2u / SPW; }

fn word_index(r: u32, c: u32, y: u32, k: u32) -> u32 {
  return ((r * 2u + c) * P.ly + y) * words_per_row() + k;
}

// Spin (0/1) at (x, y) of replica r: the layout-generic accessor that renderers use.
fn spin_at(r: u32, x: u32, y: u32) -> u32 {
  let c = (x + y) & 1u;
  let j = x >> 1u;
  return (spins[word_index(r, c, y, j / SPW)] >> ((j % SPW) * BITS)) & 1u;
}

// With couplings: the antiferromagnetic bits, lane-aligned, of the bonds of the sites of word k,
// row y, colour c to their same, side, up and down neighbours (as in neighbour_counts), planes
// [sample][colour][direction][row][word] (KernelSpec.packCouplings); 0 without couplings.
fn bond_words(r: u32, c: u32, y: u32, k: u32) -> vec4u {
  if (P.glass == 0u) { return vec4u(0u); }
  let wpr = words_per_row();
  let plane = P.ly * wpr;
  let base = ((r / P.sample_replicas) * 2u + c) * 4u * plane + y * wpr + k;
  return vec4u(couplings[base], couplings[base + plane], couplings[base + 2u * plane], couplings[base + 3u * plane]);
}

// Up-neighbour counts (0..4) of the SPW sites of word k, row y, colour c: returned lane-wise
// (BITS >= 4) or as three bit planes (BITS = 1, in .x = bit 0, .y = bit 1, .z = bit 2). With
// couplings, neighbours with J_ij s_j = +1: each neighbour word XOR its bonds' antiferromagnetic bits.
fn neighbour_counts(r: u32, c: u32, y: u32, k: u32) -> vec3u {
  let o = 1u - c;
  let wpr = words_per_row();
  let yu = select(y - 1u, P.ly - 1u, y == 0u);
  let yd = select(y + 1u, 0u, y + 1u == P.ly);
  let raw = spins[word_index(r, o, y, k)];
  let bonds = bond_words(r, c, y, k);
  let same = raw ^ bonds.x;
  let up = spins[word_index(r, o, yu, k)] ^ bonds.z;
  let down = spins[word_index(r, o, yd, k)] ^ bonds.w;
  // Horizontal neighbours of x = 2j + p are other-colour sites j - 1 + p and j + p.
  var side: u32;
  if (((y + c) & 1u) == 0u) {
    let prev = spins[word_index(r, o, y, select(k - 1u, wpr - 1u, k == 0u))];
    side = ((raw << BITS) | (prev >> (32u - BITS))) ^ bonds.y;
  } else {
    let next = spins[word_index(r, o, y, select(k + 1u, 0u, k + 1u == wpr))];
    side = ((raw >> BITS) | (next << (32u - BITS))) ^ bonds.y;
  }
  if (BITS == 1u) { return add4_planes(same, side, up, down); }
  return vec3u(same + side + up + down, 0u, 0u);
}

fn lane_count(counts: vec3u, i: u32) -> u32 {
  if (BITS == 1u) {
    return ((counts.x >> i) & 1u) | (((counts.y >> i) & 1u) << 1u) | (((counts.z >> i) & 1u) << 2u);
  }
  return (counts.x >> (i * BITS)) & LANE_MASK;
}

// The threshold table of this workgroup's replica (all its threads share one replica), staged in
// workgroup memory so that the per-lane lookups do not go to the storage buffer.
var<workgroup> wg_table: array<u32, N_CLASSES>;

// Metropolis / heat-bath decision for lane i of a word, with its random word u.
fn update_lane(word: u32, counts: vec3u, i: u32, u: u32, flips: ptr<function, u32>) -> u32 {
  let s = (word >> (i * BITS)) & 1u;
  if (u < wg_table[class_index(s, lane_count(counts, i))]) {
    *flips += 1u;
    return word ^ (1u << (i * BITS));
  }
  return word;
}


@compute @workgroup_size(WG_SIZE)
fn sweep(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let r = wid.y;
  let t = thread_word(wid, lid);
  let wpr = words_per_row();
  for (var ci = lid; ci < N_CLASSES; ci += WG_SIZE) { wg_table[ci] = thresholds[replica_slot[r] * N_CLASSES + ci]; }
  workgroupBarrier();
  var flips = 0u;
  if (t < P.ly * wpr) {
    let c = S.phase;
    let y = t / wpr;
    let k = t - y * wpr;
    let counts = neighbour_counts(r, c, y, k);
    let idx = word_index(r, c, y, k);
    var word = spins[idx];
    // Colour-site index of lane 0; SPW is a multiple of 4 (or 8/32), so groups align with words.
    let n0 = y * (P.lx / 2u) + k * SPW;
    for (var q = 0u; q < SPW / 4u; q++) {
      let rnd = philox4x32_10(
        step_counter((n0 >> 2u) + q, P.replica_base + r, STREAM_ISING_UPDATE, c, S.sweep_lo, S.sweep_hi),
        vec2u(P.seed_lo, P.seed_hi));
      // Four lanes per Philox call, unrolled so the words stay in registers.
      word = update_lane(word, counts, 4u * q, rnd.x, &flips);
      word = update_lane(word, counts, 4u * q + 1u, rnd.y, &flips);
      word = update_lane(word, counts, 4u * q + 2u, rnd.z, &flips);
      word = update_lane(word, counts, 4u * q + 3u, rnd.w, &flips);
    }
    spins[idx] = word;
  }
  count_flips(r, flips, lid);
}

@compute @workgroup_size(WG_SIZE)
fn init(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let r = wid.y;
  let t = thread_word(wid, lid);
  let wpr = words_per_row();
  if (t >= P.ly * wpr) { return; }
  let y = t / wpr;
  let k = t - y * wpr;
  for (var c = 0u; c < 2u; c++) {
    var word = 0u;
    let n0 = y * (P.lx / 2u) + k * SPW;
    for (var q = 0u; q < SPW / 4u; q++) {
      let rnd = philox4x32_10(step_counter((n0 >> 2u) + q, P.replica_base + r, STREAM_ISING_INIT, c, 0u, 0u), vec2u(P.seed_lo, P.seed_hi));
      for (var m = 0u; m < 4u; m++) {
        let bit = select(rnd[m] >> 31u, 1u, S.mode == INIT_COLD);
        word |= bit << ((4u * q + m) * BITS);
      }
    }
    spins[word_index(r, c, y, k)] = word;
  }
}

// Bond sum = Σ over colour-0 sites of s·(sum of its 4 neighbours): every bond joins the two
// colours, and the right and down bonds of all sites are the 4 bonds of each colour-0 site.
@compute @workgroup_size(WG_SIZE)
fn measure(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let r = wid.y;
  let wpr = words_per_row();
  var bonds = 0i;
  var mag = 0i;
  for (var t = wid.x * WG_SIZE + lid; t < P.ly * wpr; t += P.measure_wg_x * WG_SIZE) {
    let y = t / wpr;
    let k = t - y * wpr;
    let counts = neighbour_counts(r, 0u, y, k);
    let w0 = spins[word_index(r, 0u, y, k)];
    let w1 = spins[word_index(r, 1u, y, k)];
    for (var i = 0u; i < SPW; i++) {
      let s = 2i * i32((w0 >> (i * BITS)) & 1u) - 1i;
      bonds += s * (2i * i32(lane_count(counts, i)) - 4i);
    }
    // Σ s over the 2·SPW sites of the two words = 2·(up spins) − 2·SPW.
    mag += 2i * i32(countOneBits(w0 & SPIN_BITS) + countOneBits(w1 & SPIN_BITS)) - 2i * i32(SPW);
  }
  record_sample(r, bonds, mag, lid);
}
