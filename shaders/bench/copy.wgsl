// Copy probe for `ising bench`: the bandwidth a compute shader reaches moving 16-byte words,
// the ceiling that the memory-bound kernels are compared with.

@group(0) @binding(0) var<storage, read> src: array<vec4u>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4u>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let n = arrayLength(&src);
  for (var i = id.x; i < n; i += nwg.x * 256u) {
    dst[i] = src[i];
  }
}
