// Philox throughput probe for `ising bench`: each thread chains CALLS Philox4x32-10 calls and
// writes one word, so the compiler cannot drop the work and memory traffic is negligible.
// The binding (sink) and BENCH_WG are generated from src/gpu/microbench.ts.

@compute @workgroup_size(BENCH_WG)
fn main(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = id.x + id.y * nwg.x * BENCH_WG;
  var acc = vec4u(t, 0u, 0u, 0u);
  for (var i = 0u; i < CALLS; i++) {
    acc = philox4x32_10(vec4u(i, t, acc.x, acc.y), vec2u(acc.z, 0x5eedu));
  }
  sink[t] = acc.x ^ acc.y ^ acc.z ^ acc.w;
}
