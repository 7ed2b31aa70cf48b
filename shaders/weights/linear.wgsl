// Linear model with squared loss, single-coordinate Metropolis (src/models/weights/gpu-linear-sampler.ts).
// f32 twin of CpuLinearSampler (the contract in src/models/weights/linear.ts): the same Philox words
// per coordinate (counter (i, r, sweep, WEIGHTS_UPDATE << 24 | sweep_hi), phase 0), the same sweep order,
// proposal, Delta H and acceptance rule, evaluated in f32 instead of float64.
//
// One workgroup per replica r = wid.y * LN_WG_X + wid.x. One dispatch runs step.count whole sweeps.
// - The replica's theta lives in workgroup memory (th, N f32), loaded at the start of the dispatch and
//   stored back at its end. At the start of each sweep the threads fill, in parallel, the proposal
//   z_i = BoxMuller(w0, w1) (zsh) and the accept word w2 (ush) of every coordinate.
// - The residuals r_mu = theta.x_mu / sqrt(N) - y_mu live in storage; thread t owns examples
//   mu = t, t + WG_SIZE, ... and is the only one to read or write them, so they need no barrier.
// - Coordinate i (ONE barrier per coordinate): every thread writes its partial sum of r_mu x_mu,i into
//   red (two halves used alternately), workgroupBarrier, every thread sums the WG_SIZE partials in the
//   same order (so all get the same g and take the same decision), then
//     d = delta[slot, i] * z_i,  dH = 2 d (g / sqrt(N) + lambda theta_i) + d^2 A_ii,  x = beta dH,
//     threshold = 2^32 - 1 if x <= 0, else min(2^32 - 1, floor(2^32 exp(-x)))   (f32),
//     accept iff w2 < threshold (as on the CPU, w2 = 2^32 - 1 is rejected even when dH <= 0).
//   On acceptance every thread updates its own residuals and thread 0 writes th[i] (which every
//   thread read into a register before the barrier; nobody reads th[i] again before the next sweep's
//   barrier).
// - Measurement (after the sweeps with (phase + t + 1) % measure_every == 0): residuals are recomputed
//   from scratch (written back, as the CPU does), H = sum r^2 + lambda |theta|^2 is reduced, and H and
//   theta go into the ring.
// - step.flags bit 0: recompute the residuals from theta at the start of the dispatch (the CPU's
//   recomputeResiduals() at the end of tune()).
//
// Where f32 differs from the float64 reference (nowhere else):
// - z: u1 = (w0 + 1) / 2^32, u2 = w1 / 2^32 as on the CPU, but -ln u1 is evaluated as a series in
//   v = (2^32 - 1 - w0) / 2^32 (exact in u32) when v < 1/16, so z keeps its relative accuracy near
//   u1 = 1, and cos(2 pi u2) by an exact integer octant reduction of w1 and Taylor polynomials on
//   [0, pi/4] (WGSL's cos guarantees only 2^-11 absolute). z is accurate to ~1e-6 relative.
// - delta (host float64, rounded to f32), the products and sums of dH, residuals kept incrementally in
//   f32 between measurements, H reduced in f32.
// - exp(-x) in f32 (WGSL: 3 + 2|x| ULP), and dH evaluated at the GPU's theta, which drifts from the
//   CPU's by accumulated f32 rounding (~1e-6 after tens of sweeps, ~1e-5 after thousands; dH is a
//   difference of larger terms): the threshold can differ from the float64 one by a relative ~1e-6
//   early on, ~1e-5 later, so a decision can differ where w2 lies that close to the threshold. Then
//   the trajectories part (both stay exact Metropolis chains of the same Gibbs measure): short runs
//   agree decision for decision, long runs statistically (at N = 20, P = 40, T = 0.5 the first
//   differing decision came after ~6800 sweeps, at a relative gap of 3e-5).
// Constants from TypeScript: LN_N, LN_P, LN_R, LN_K, LN_WG_X, LN_INV_SQRT_N, LN_LAMBDA, KEY_LO, KEY_HI,
// STREAM_WEIGHTS_UPDATE, MAX_WG.

override WG_SIZE: u32 = 64u;
// The type of reduce_sum (weights/reduce.wgsl).
alias Red = f32;

// Generated from src/models/weights/gpu-linear-sampler.ts: the struct Step (sweep_lo, sweep_hi,
// count, measure_every, phase, sample_base, flags), the bindings (step, xt, ys, params, slots,
// theta, resid, stats) and the workgroup arrays th, zsh, ush (N each) and red (2 MAX_WG).

const TWO_POW_32: f32 = 4294967296.0;
const TWO_POW_M32: f32 = 2.3283064365386963e-10;
const PI_2_OVER_2_POW_30: f32 = 1.4629180792671596e-9; // (pi / 2) / 2^30

// cos x and sin x for x in [0, pi/4] (Taylor, truncation < 2e-9).
fn cos_small(x: f32) -> f32 {
  let x2 = x * x;
  return 1.0 - x2 * (0.5 - x2 * (1.0 / 24.0 - x2 * (1.0 / 720.0 - x2 * (1.0 / 40320.0 - x2 * (1.0 / 3628800.0)))));
}
fn sin_small(x: f32) -> f32 {
  let x2 = x * x;
  return x * (1.0 - x2 * (1.0 / 6.0 - x2 * (1.0 / 120.0 - x2 * (1.0 / 5040.0 - x2 * (1.0 / 362880.0)))));
}

// cos(2 pi w / 2^32): quadrant q = w >> 30, angle a = (w mod 2^30) (pi/2) / 2^30 in [0, pi/2),
// folded onto [0, pi/4] through the exact integer complement 2^30 - (w mod 2^30).
fn cos_turns(w: u32) -> f32 {
  let q = w >> 30u;
  let low = w & 0x3FFFFFFFu;
  var c: f32;
  var s: f32;
  if (low <= 0x20000000u) {
    let a = f32(low) * PI_2_OVER_2_POW_30;
    c = cos_small(a);
    s = sin_small(a);
  } else {
    let a = f32(0x40000000u - low) * PI_2_OVER_2_POW_30;
    c = sin_small(a);
    s = cos_small(a);
  }
  // cos(q pi/2 + a) = cos a, -sin a, -cos a, sin a.
  switch (q) {
    case 0u: { return c; }
    case 1u: { return -s; }
    case 2u: { return -c; }
    default: { return s; }
  }
}

// The CPU's boxMuller(w0, w1) = sqrt(-2 ln u1) cos(2 pi u2), u1 = (w0 + 1) / 2^32, u2 = w1 / 2^32, in f32.
fn box_muller(w0: u32, w1: u32) -> f32 {
  // 1 - u1 = v = (2^32 - 1 - w0) / 2^32 exactly.
  let v = f32(~w0) * TWO_POW_M32;
  var l: f32; // -ln u1
  if (v < 0.0625) {
    l = v * (1.0 + v * (0.5 + v * (1.0 / 3.0 + v * (0.25 + v * (0.2 + v * (1.0 / 6.0 + v * (1.0 / 7.0)))))));
  } else {
    l = -log((f32(w0) + 1.0) * TWO_POW_M32);
  }
  return sqrt(2.0 * l) * cos_turns(w1);
}

fn recompute_residuals(tid: u32, rb: u32) -> f32 {
  var sq = 0.0;
  for (var mu = tid; mu < LN_P; mu += WG_SIZE) {
    var h = 0.0;
    for (var i = 0u; i < LN_N; i++) {
      h += th[i] * xt[i * LN_P + mu];
    }
    let rr = h * LN_INV_SQRT_N - ys[mu];
    resid[rb + mu] = rr;
    sq += rr * rr;
  }
  return sq;
}

@compute @workgroup_size(WG_SIZE)
fn sweeps(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) tid: u32) {
  let r = wid.y * LN_WG_X + wid.x;
  if (r >= LN_R) { return; } // the last row of workgroups may be partial
  let k = slots[r];
  let beta = params[LN_N + k];
  let dbase = LN_N + LN_K + k * LN_N;
  let rb = r * LN_P;
  for (var i = tid; i < LN_N; i += WG_SIZE) {
    th[i] = theta[r * LN_N + i];
  }
  workgroupBarrier();
  if ((step.flags & 1u) != 0u) {
    _ = recompute_residuals(tid, rb);
  }

  var accepted = 0u;
  var sample = step.sample_base;
  for (var t = 0u; t < step.count; t++) {
    let s_lo = step.sweep_lo + t;
    let s_hi = step.sweep_hi + select(0u, 1u, s_lo < step.sweep_lo);
    workgroupBarrier(); // everybody is done with the previous sweep's zsh, ush, red
    for (var i = tid; i < LN_N; i += WG_SIZE) {
      let w = philox4x32_10(step_counter(i, r, STREAM_WEIGHTS_UPDATE, 0u, s_lo, s_hi), vec2u(KEY_LO, KEY_HI));
      zsh[i] = box_muller(w.x, w.y);
      ush[i] = w.z;
    }
    workgroupBarrier();
    for (var i = 0u; i < LN_N; i++) {
      let thi = th[i];
      let xrow = i * LN_P;
      var part = 0.0;
      for (var mu = tid; mu < LN_P; mu += WG_SIZE) {
        part += resid[rb + mu] * xt[xrow + mu];
      }
      let hb = (i & 1u) * MAX_WG;
      red[hb + tid] = part;
      workgroupBarrier();
      // red[hb + ...] is written again two coordinates on, after the next barrier, which every
      // thread reaches only after this sum.
      var g = 0.0;
      for (var q = 0u; q < WG_SIZE; q++) {
        g += red[hb + q];
      }
      let d = params[dbase + i] * zsh[i];
      let dH = 2.0 * d * (g * LN_INV_SQRT_N + LN_LAMBDA * thi) + d * d * params[i];
      let x = beta * dH;
      var thr = 0xFFFFFFFFu;
      if (x > 0.0) {
        let p = exp(-x) * TWO_POW_32;
        thr = select(u32(floor(p)), 0xFFFFFFFFu, p >= TWO_POW_32);
      }
      if (ush[i] < thr) {
        let ds = d * LN_INV_SQRT_N;
        for (var mu = tid; mu < LN_P; mu += WG_SIZE) {
          resid[rb + mu] = resid[rb + mu] + ds * xt[xrow + mu];
        }
        if (tid == 0u) {
          th[i] = thi + d;
          accepted += 1u;
        }
      }
    }
    if (step.measure_every > 0u && (step.phase + t + 1u) % step.measure_every == 0u) {
      workgroupBarrier(); // th complete; everybody is done with red
      var part = recompute_residuals(tid, rb);
      for (var i = tid; i < LN_N; i += WG_SIZE) {
        part += LN_LAMBDA * th[i] * th[i];
      }
      let H = reduce_sum(tid, part);
      let at = LN_R + (sample * LN_R + r) * (1u + LN_N);
      if (tid == 0u) {
        stats[at] = bitcast<u32>(H);
      }
      for (var i = tid; i < LN_N; i += WG_SIZE) {
        stats[at + 1u + i] = bitcast<u32>(th[i]);
      }
      sample += 1u;
    }
  }
  workgroupBarrier();
  for (var i = tid; i < LN_N; i += WG_SIZE) {
    theta[r * LN_N + i] = th[i];
  }
  if (tid == 0u) {
    stats[r] = stats[r] + accepted;
  }
}
