// Cluster updates of the Ising lattice (checkerboard-u32 layout, spins 0/1 in natural order):
// one Swendsen-Wang sweep or one Wolff step, as a sequence of dispatches over (wg_x, replicas, z)
// workgroups, one thread per 4 consecutive sites i = 4g .. 4g+3 (one Philox call per direction):
//   cluster_init   labels[i] = i, charge[i] = 0
//   cluster_bonds  activate satisfied bonds (u < bond_thresholds[slot]) and unite their sites
//   cluster_charge flatten (labels[i] = root) and add s_i*s_root to the root's charge
//   cluster_decide (Swendsen-Wang) each root draws its new spin; charge[root] = flip flag
//   cluster_flip   (Swendsen-Wang) every site follows its root's flip flag
//   wolff_flip     (Wolff) flip the sites whose label is that of the seed site
// In a measured sweep (S.sample != NO_SAMPLE) the step also writes the words of its improved M²
// estimate into ring entry S.sample of `cstats`: Swendsen-Wang the 64-bit sum over clusters of q²
// (lo, hi), Wolff the size and charge of the flipped cluster (|C|, q as i32).
// The random words and thresholds are those of the CPU twin (src/models/ising/cluster/), so the
// lattices are the same bit for bit. ClusterParams CP, the bindings and the STREAM_*/phase
// constants are generated from src/models/ising/cluster/gpu-cluster.ts.

fn cluster_group(wid: vec3u, lid: u32) -> u32 {
  return (wid.z * CP.wg_x + wid.x) * WG_SIZE + lid;
}

fn cluster_words(g: u32, r: u32, stream: u32, phase: u32) -> vec4u {
  return philox4x32_10(step_counter(g, r, stream, phase, S.sweep_lo, S.sweep_hi), vec2u(P.seed_lo, P.seed_hi));
}

// Satisfied (J s_i s_j > 0): parallel spins for J > 0, antiparallel for J < 0 (CP.antiferro = 1).
fn satisfied(base: u32, i: u32, j: u32) -> bool {
  return (spins[base + i] == spins[base + j]) != (CP.antiferro == 1u);
}

@compute @workgroup_size(WG_SIZE)
fn cluster_init(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let g = cluster_group(wid, lid);
  if (g >= CP.groups) { return; }
  let base = wid.y * CP.n;
  for (var k = 0u; k < 4u; k++) {
    let i = 4u * g + k;
    atomicStore(&labels[base + i], i);
    atomicStore(&charge[base + i], 0i);
  }
}

@compute @workgroup_size(WG_SIZE)
fn cluster_bonds(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let g = cluster_group(wid, lid);
  if (g >= CP.groups) { return; }
  let r = wid.y;
  let base = r * CP.n;
  let right = cluster_words(g, r, STREAM_CLUSTER_BONDS, PHASE_BOND_RIGHT);
  let down = cluster_words(g, r, STREAM_CLUSTER_BONDS, PHASE_BOND_DOWN);
  let t = bond_thresholds[replica_slot[r]];
  for (var k = 0u; k < 4u; k++) {
    let i = 4u * g + k;
    let y = i / P.lx;
    let x = i - y * P.lx;
    let jr = y * P.lx + select(x + 1u, 0u, x + 1u == P.lx);
    let jd = select(y + 1u, 0u, y + 1u == P.ly) * P.lx + x;
    if (right[k] < t && satisfied(base, i, jr)) { uf_unite(base, i, jr); }
    if (down[k] < t && satisfied(base, i, jd)) { uf_unite(base, i, jd); }
  }
}

@compute @workgroup_size(WG_SIZE)
fn cluster_charge(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let g = cluster_group(wid, lid);
  if (g >= CP.groups) { return; }
  let base = wid.y * CP.n;
  for (var k = 0u; k < 4u; k++) {
    let i = 4u * g + k;
    let root = uf_find(base, i);
    atomicStore(&labels[base + i], root); // another root-pointing link: finds stay valid
    atomicAdd(&charge[base + root], select(-1i, 1i, spins[base + i] == spins[base + root]));
  }
}

@compute @workgroup_size(WG_SIZE)
fn cluster_decide(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let g = cluster_group(wid, lid);
  let r = wid.y;
  let base = r * CP.n;
  var q2 = vec2u(0u, 0u); // Σ q² of this thread's roots, (lo, hi)
  if (g < CP.groups) {
    let rnd = cluster_words(g, r, STREAM_CLUSTER_SPINS, PHASE_CLUSTER_SPIN);
    let q_max = i32(CP.q_max);
    let table = replica_slot[r] * (2u * CP.q_max + 1u);
    for (var k = 0u; k < 4u; k++) {
      let i = 4u * g + k;
      if (atomicLoad(&labels[base + i]) == i) {
        let q = atomicLoad(&charge[base + i]);
        let a = u32(abs(q));
        q2 = add_u64(q2, vec2u(a * a, philox_mulhi(a, a)));
        let up = select(0u, 1u, rnd[k] < spin_thresholds[table + u32(clamp(q, -q_max, q_max) + q_max)]);
        atomicStore(&charge[base + i], select(0i, 1i, up != spins[base + i]));
      }
    }
  }
  record_moment(r, q2, lid);
}

@compute @workgroup_size(WG_SIZE)
fn cluster_flip(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let g = cluster_group(wid, lid);
  let r = wid.y;
  let base = r * CP.n;
  var flips = 0u;
  if (g < CP.groups) {
    for (var k = 0u; k < 4u; k++) {
      let i = 4u * g + k;
      if (atomicLoad(&charge[base + atomicLoad(&labels[base + i])]) == 1i) {
        spins[base + i] = 1u - spins[base + i];
        flips += 1u;
      }
    }
  }
  count_flips(r, flips, lid);
}

@compute @workgroup_size(WG_SIZE)
fn wolff_flip(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let g = cluster_group(wid, lid);
  let r = wid.y;
  let base = r * CP.n;
  let seed = philox_mulhi(cluster_words(0u, r, STREAM_CLUSTER_SPINS, PHASE_WOLFF_SEED).x, CP.n);
  let seed_label = atomicLoad(&labels[base + seed]);
  var flips = 0u;
  if (g < CP.groups) {
    for (var k = 0u; k < 4u; k++) {
      let i = 4u * g + k;
      if (atomicLoad(&labels[base + i]) == seed_label) {
        spins[base + i] = 1u - spins[base + i];
        flips += 1u;
      }
    }
  }
  count_flips(r, flips, lid);
  if (S.sample != NO_SAMPLE && lid == 0u) {
    let e = moment_entry(r);
    atomicAdd(&cstats[e], atomicLoad(&wg_flips)); // |C|: this workgroup's share (count_flips reduced it)
    if (g == 0u) { atomicStore(&cstats[e + 1u], bitcast<u32>(atomicLoad(&charge[base + seed_label]))); }
  }
}

// ---- improved-estimator words

// (lo, hi) + (lo, hi) as 64-bit unsigned integers.
fn add_u64(a: vec2u, b: vec2u) -> vec2u {
  let lo = a.x + b.x;
  return vec2u(lo, a.y + b.y + select(0u, 1u, lo < b.x));
}

fn moment_entry(r: u32) -> u32 {
  return P.replicas + (S.sample * P.replicas + r) * 2u;
}

var<workgroup> wg_q2_lo: atomic<u32>;
var<workgroup> wg_q2_hi: atomic<u32>;

// Adds this thread's 64-bit q2 to ring entry S.sample of replica r, in a measured sweep: summed in
// the workgroup, then one 64-bit add to the ring. A 32-bit atomicAdd wrapped iff old + x < old,
// and then carries one into the high word, so the sum is exact. Call from uniform control flow.
fn record_moment(r: u32, q2: vec2u, lid: u32) {
  if (S.sample == NO_SAMPLE) { return; }
  let old = atomicAdd(&wg_q2_lo, q2.x);
  atomicAdd(&wg_q2_hi, q2.y + select(0u, 1u, old + q2.x < old));
  workgroupBarrier();
  if (lid == 0u) {
    let e = moment_entry(r);
    let lo = atomicLoad(&wg_q2_lo);
    let prev = atomicAdd(&cstats[e], lo);
    atomicAdd(&cstats[e + 1u], atomicLoad(&wg_q2_hi) + select(0u, 1u, prev + lo < prev));
  }
}
