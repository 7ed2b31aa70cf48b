// Threefry-4x32-20 (Salmon et al., SC'11): twin of src/rng/threefry.ts (known-answer vectors in
// tests/threefry.test.ts). Used by the generator probe of `ising bench` only. THREEFRY_PARITY and
// the rotations THREEFRY_R<round><a|b> are declared from src/rng/threefry.ts.

fn rotl32(x: u32, r: u32) -> u32 { return (x << r) | (x >> (32u - r)); }

// Four rounds: mix (0,1),(2,3) then (0,3),(2,1), twice, with rotations ra0/rb0 … ra3/rb3.
fn threefry_quarter(v: vec4u, r: vec4u, s: vec4u) -> vec4u {
  var x = v;
  x.x += x.y; x.y = rotl32(x.y, r.x) ^ x.x; x.z += x.w; x.w = rotl32(x.w, s.x) ^ x.z;
  x.x += x.w; x.w = rotl32(x.w, r.y) ^ x.x; x.z += x.y; x.y = rotl32(x.y, s.y) ^ x.z;
  x.x += x.y; x.y = rotl32(x.y, r.z) ^ x.x; x.z += x.w; x.w = rotl32(x.w, s.z) ^ x.z;
  x.x += x.w; x.w = rotl32(x.w, r.w) ^ x.x; x.z += x.y; x.y = rotl32(x.y, s.w) ^ x.z;
  return x;
}

// Five blocks of four rounds, each followed by a key injection, unrolled so that every rotation
// amount and key index is a constant.
fn threefry4x32_20(counter: vec4u, key: vec4u) -> vec4u {
  let k4 = THREEFRY_PARITY ^ key.x ^ key.y ^ key.z ^ key.w;
  let ra = vec4u(THREEFRY_R0A, THREEFRY_R1A, THREEFRY_R2A, THREEFRY_R3A);
  let rb = vec4u(THREEFRY_R0B, THREEFRY_R1B, THREEFRY_R2B, THREEFRY_R3B);
  let sa = vec4u(THREEFRY_R4A, THREEFRY_R5A, THREEFRY_R6A, THREEFRY_R7A);
  let sb = vec4u(THREEFRY_R4B, THREEFRY_R5B, THREEFRY_R6B, THREEFRY_R7B);
  var x = counter + key;
  x = threefry_quarter(x, ra, rb) + vec4u(key.y, key.z, key.w, k4 + 1u);
  x = threefry_quarter(x, sa, sb) + vec4u(key.z, key.w, k4, key.x + 2u);
  x = threefry_quarter(x, ra, rb) + vec4u(key.w, k4, key.x, key.y + 3u);
  x = threefry_quarter(x, sa, sb) + vec4u(k4, key.x, key.y, key.z + 4u);
  return threefry_quarter(x, ra, rb) + vec4u(key.x, key.y, key.z, key.w + 5u);
}
