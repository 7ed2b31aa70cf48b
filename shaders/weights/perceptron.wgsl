// Binary-perceptron weight replicas, single-weight Metropolis (src/models/weights/gpu-perceptron-sampler.ts).
// Bit-identical twin of CpuPerceptronSampler (the contract in cpu-perceptron-sampler.ts) for ±1 inputs.
//
// One workgroup per replica r = wid.y * WG_X + wid.x. One dispatch runs step.count whole sweeps.
// - The replica's weights live in workgroup memory (wsh, N i32), loaded at the start of the
//   dispatch and stored back at its end; the sweep's N Philox words too (rndw, filled in parallel
//   at the start of each sweep, ceil(N/4) Philox calls shared among the threads).
// - The integer fields h_mu = w.x_mu live in storage; thread t owns examples mu = t, t + WG_SIZE, ...
//   and is the only one to read or write them, so they need no barrier.
// - For weight i (ONE barrier per weight): every thread adds its share of dE to a workgroup atomic
//   accumulator (three in rotation; thread 0 zeroes the one of the previous step, see below),
//   workgroupBarrier, every thread reads the same total and takes the same decision from the
//   threshold table and rndw[i]; on a flip every thread updates its own fields and thread 0 flips
//   wsh[i] (read by the others only at the next sweep, many barriers later).
// Replica exchange (step.exchange = 1; then each dispatch runs one sweep): the sweep kernel leaves
// each replica's errors in xstate, then the `exchange` entry point (one thread per chain of
// step.chain_k replicas) swaps slots by the rule of cpu-perceptron-sampler.ts's header.
// Constants from TypeScript: PN_N, PN_P, PN_R, PN_NWB (= ceil(N/32)), PN_WG_X, KEY_LO, KEY_HI,
// STREAM_WEIGHTS_UPDATE, STREAM_TEMPERING, MAX_WG, EXCHANGE_WG.

override WG_SIZE: u32 = 64u;
// The type of reduce_sum (weights/reduce.wgsl).
alias Red = i32;

// Generated from src/models/weights/gpu-perceptron-sampler.ts: the struct Step (sweep_lo, sweep_hi,
// count, measure_every, phase, sample_base, exchange: 1 = one sweep then the exchange dispatch,
// chain_k: slots per chain), the bindings (step, xt, ys, teach, thresholds, rmeta, wts, fields,
// stats, xstate, swap_tables) and the workgroup arrays wsh (N weights), red (MAX_WG), rndw (N
// random words) and acc (3 atomic accumulators).

fn err(y: i32, h: i32) -> i32 {
  return select(0, 1, y * h <= 0);
}

@compute @workgroup_size(WG_SIZE)
fn sweeps(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) tid: u32) {
  let r = wid.y * PN_WG_X + wid.x;
  if (r >= PN_R) {
    return;
  }
  let d = rmeta[r];
  let tbase = i32(rmeta[PN_R + r] * (2u * PN_P + 1u) + PN_P);
  let xbase = d * PN_N * PN_P;
  let ybase = d * PN_P;
  let fbase = r * PN_P;
  for (var i = tid; i < PN_N; i += WG_SIZE) {
    wsh[i] = wts[r * PN_N + i];
  }
  workgroupBarrier();

  if (tid == 0u) {
    atomicStore(&acc[0], 0);
    atomicStore(&acc[1], 0);
    atomicStore(&acc[2], 0);
  }
  var flips = 0u;
  var sample = step.sample_base;
  var j = 0u; // accumulator in use (rotates 0, 1, 2)
  for (var t = 0u; t < step.count; t++) {
    let s_lo = step.sweep_lo + t;
    let s_hi = step.sweep_hi + select(0u, 1u, s_lo < step.sweep_lo);
    workgroupBarrier(); // everybody is done with the previous sweep's rndw
    for (var g = tid; 4u * g < PN_N; g += WG_SIZE) {
      let words = philox4x32_10(step_counter(g, r, STREAM_WEIGHTS_UPDATE, 0u, s_lo, s_hi), vec2u(KEY_LO, KEY_HI));
      for (var k = 0u; k < 4u && 4u * g + k < PN_N; k++) {
        rndw[4u * g + k] = words[k];
      }
    }
    workgroupBarrier();
    for (var i = 0u; i < PN_N; i++) {
      let wi = wsh[i];
      let xrow = xbase + i * PN_P;
      var part = 0;
      for (var mu = tid; mu < PN_P; mu += WG_SIZE) {
        let h = fields[fbase + mu];
        let y = ys[ybase + mu];
        part += err(y, h - 2 * wi * xt[xrow + mu]) - err(y, h);
      }
      if (part != 0) {
        atomicAdd(&acc[j], part);
      }
      workgroupBarrier();
      let dE = atomicLoad(&acc[j]);
      // acc[(j + 2) % 3] was last read at the previous step (everybody has passed this step's
      // barrier, so those reads are done) and is next added to two steps on (after the next
      // barrier, which thread 0 reaches only after zeroing it).
      if (tid == 0u) {
        atomicStore(&acc[(j + 2u) % 3u], 0);
      }
      j = (j + 1u) % 3u;
      if (rndw[i] < thresholds[u32(tbase + dE)]) {
        for (var mu = tid; mu < PN_P; mu += WG_SIZE) {
          fields[fbase + mu] = fields[fbase + mu] - 2 * wi * xt[xrow + mu];
        }
        if (tid == 0u) {
          wsh[i] = -wi;
          flips += 1u;
        }
      }
    }
    if (step.measure_every > 0u && (step.phase + t + 1u) % step.measure_every == 0u) {
      var e = 0;
      for (var mu = tid; mu < PN_P; mu += WG_SIZE) {
        e += err(ys[ybase + mu], fields[fbase + mu]);
      }
      let E = reduce_sum(tid, e);
      var m = 0;
      for (var i = tid; i < PN_N; i += WG_SIZE) {
        m += wsh[i] * teach[d * PN_N + i];
      }
      let M = reduce_sum(tid, m);
      let at = PN_R + (sample * PN_R + r) * (3u + PN_NWB);
      if (tid == 0u) {
        stats[at] = u32(E);
        stats[at + 1u] = bitcast<u32>(M);
        stats[at + 2u] = rmeta[PN_R + r];
      }
      for (var k = tid; k < PN_NWB; k += WG_SIZE) {
        var bits = 0u;
        for (var b = 0u; b < 32u && 32u * k + b < PN_N; b++) {
          if (wsh[32u * k + b] > 0) {
            bits = bits | (1u << b);
          }
        }
        stats[at + 3u + k] = bits;
      }
      sample += 1u;
    }
  }
  if (step.exchange == 1u) {
    var e = 0;
    for (var mu = tid; mu < PN_P; mu += WG_SIZE) {
      e += err(ys[ybase + mu], fields[fbase + mu]);
    }
    let E = reduce_sum(tid, e);
    if (tid == 0u) {
      xstate[r] = u32(E);
    }
  }
  workgroupBarrier();
  for (var i = tid; i < PN_N; i += WG_SIZE) {
    wts[r * PN_N + i] = wsh[i];
  }
  if (tid == 0u) {
    stats[r] = stats[r] + flips;
  }
}

// After the one sweep (step.sweep_lo, step.sweep_hi) of the preceding dispatch: pairs (k, k + 1)
// with k = (s + 1) mod 2, increasing k; then, if that sweep was measured, the slots after the
// exchange go into the ring entry of sample step.sample_base.
@compute @workgroup_size(EXCHANGE_WG)
fn exchange(@builtin(global_invocation_id) id: vec3u) {
  let K = step.chain_k;
  let c = id.x;
  if ((c + 1u) * K > PN_R) {
    return;
  }
  let base = c * K;
  for (var k = (step.sweep_lo + 1u) & 1u; k + 1u < K; k += 2u) {
    let a = xstate[PN_R + base + k];
    let b = xstate[PN_R + base + k + 1u];
    let u = philox4x32_10(step_counter(k, c, STREAM_TEMPERING, 0u, step.sweep_lo, step.sweep_hi), vec2u(KEY_LO, KEY_HI)).x;
    let dE = i32(xstate[a]) - i32(xstate[b]);
    if (u < swap_threshold(4u * (K - 1u), k, dE)) {
      xstate[PN_R + base + k] = b;
      xstate[PN_R + base + k + 1u] = a;
      rmeta[PN_R + a] = k + 1u;
      rmeta[PN_R + b] = k;
      let at = 2u * PN_R + c * (K - 1u) + k;
      xstate[at] = xstate[at] + 1u;
    }
  }
  if (step.measure_every > 0u && (step.phase + 1u) % step.measure_every == 0u) {
    for (var k = 0u; k < K; k++) {
      let r = xstate[PN_R + base + k];
      stats[PN_R + (step.sample_base * PN_R + r) * (3u + PN_NWB) + 2u] = k;
    }
  }
}
