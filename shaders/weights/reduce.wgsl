// The workgroup sum of the weight kernels (perceptron.wgsl, linear.wgsl), assembled with them.
// The kernel declares `alias Red = i32;` (or f32), `override WG_SIZE` (a power of two) and a
// workgroup array `red` of at least WG_SIZE values of type Red.

// Sum of v over the workgroup (uniform result). Every thread must call it; red must be free.
fn reduce_sum(tid: u32, v: Red) -> Red {
  red[tid] = v;
  workgroupBarrier();
  for (var s = WG_SIZE / 2u; s > 0u; s = s >> 1u) {
    if (tid < s) {
      red[tid] = red[tid] + red[tid + s];
    }
    workgroupBarrier();
  }
  return workgroupUniformLoad(&red[0]);
}
