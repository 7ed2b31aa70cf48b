// Copy probe for `ising bench`: the bandwidth a compute shader reaches moving 16-byte words,
// the ceiling that the memory-bound kernels are compared with. Bindings (src, dst) and BENCH_WG
// are generated from src/gpu/microbench.ts.

@compute @workgroup_size(BENCH_WG)
fn main(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let n = arrayLength(&src);
  for (var i = id.x; i < n; i += nwg.x * BENCH_WG) {
    dst[i] = src[i];
  }
}
