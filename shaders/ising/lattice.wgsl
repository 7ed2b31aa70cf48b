// Bindings and site numbering shared by the Ising kernels (checkerboard.wgsl, observables.wgsl).
// Twin of src/models/ising/layout.ts. Spins are u32 0 (down) / 1 (up), replica-major, row-major:
// spin (r, x, y) at r*lx*ly + y*lx + x.

// Threads per workgroup, chosen by the host per lattice (src/models/ising/gpu-sampler.ts).
override WG_SIZE: u32 = 256u;

struct LatticeParams {
  lx: u32,
  ly: u32,
  replicas: u32,
  half: u32,        // lx*ly/2: sites of one colour
  groups: u32,      // ceil(half/4): Philox calls per colour (4 sites each)
  seed_lo: u32,
  seed_hi: u32,
  sweep_wg_x: u32,  // workgroups along x of a sweep dispatch (the rest folds into z)
  measure_wg_x: u32,// workgroups per replica of a measurement dispatch
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

// One per dispatch, selected with a dynamic uniform offset (WebGPU has no push constants).
struct Step {
  sweep_lo: u32,    // absolute sweep number, low 32 bits
  sweep_hi: u32,    // high 16 bits
  phase: u32,       // checkerboard colour being updated (0 or 1)
  sample: u32,      // ring slot that a measurement writes
  mode: u32,        // init kernel: INIT_HOT or INIT_COLD
  exchange: u32,    // tempering: 0 record the permutation only, 1 + parity exchange pairs k ≡ parity
  _pad1: u32,
  _pad2: u32,
}

@group(0) @binding(0) var<uniform> P: LatticeParams;
@group(0) @binding(1) var<uniform> S: Step;
@group(0) @binding(2) var<storage, read_write> spins: array<u32>;
// Acceptance thresholds [slot * N_CLASSES + class]; class = spin * 5 + (number of up neighbours).
@group(0) @binding(3) var<storage, read> thresholds: array<u32>;
// Temperature slot of each replica (replica exchange permutes this, never the lattices).
@group(0) @binding(4) var<storage, read_write> replica_slot: array<u32>;
// [0, replicas): accepted flips per replica in this batch; then the sample ring,
// (sample * replicas + r) * 2 + {0: bond sum, 1: magnetisation} as two's-complement i32.
@group(0) @binding(5) var<storage, read_write> stats: array<atomic<u32>>;

// Site n of colour c (n = y*(lx/2) + (x >> 1)) → (x, y).
fn colour_site(n: u32, c: u32) -> vec2u {
  let hx = P.lx / 2u;
  let y = n / hx;
  return vec2u(2u * (n % hx) + ((y + c) & 1u), y);
}

fn site_index(r: u32, x: u32, y: u32) -> u32 {
  return (r * P.ly + y) * P.lx + x;
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
    let slot = P.replicas + (S.sample * P.replicas + r) * 2u;
    atomicAdd(&stats[slot], bitcast<u32>(atomicLoad(&wg_bonds)));
    atomicAdd(&stats[slot + 1u], bitcast<u32>(atomicLoad(&wg_mag)));
  }
}
