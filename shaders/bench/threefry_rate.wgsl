// Threefry throughput probe for `ising bench`, the twin of philox_rate.wgsl: each thread chains
// CALLS Threefry-4x32-20 calls and writes one word.

@compute @workgroup_size(BENCH_WG)
fn main(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = id.x + id.y * nwg.x * BENCH_WG;
  var acc = vec4u(t, 0u, 0u, 0u);
  for (var i = 0u; i < CALLS; i++) {
    acc = threefry4x32_20(vec4u(i, t, acc.x, acc.y), vec4u(acc.z, 0x5eedu, 0u, 0u));
  }
  sink[t] = acc.x ^ acc.y ^ acc.z ^ acc.w;
}
