// Exact density of states g(E) of the binary perceptron on the GPU (src/models/weights/gpu-enumeration.ts).
// Thread k fixes the high weights w_{L+b} = +1 iff bit b of k is set and walks the 2^L settings of
// the low L weights in Gray-code order (start all -1; step s flips weight ctz(s)), keeping its P
// integer fields in a private array and its error count E; every visited vector adds 1 to g(E) in a
// workgroup histogram, summed into the global one at the end. Exact u32 counts (2^N <= 2^24).
// Constants: EN_N, EN_P, EN_PA (= max(P, 1)), EN_L, EN_THREADS (= 2^(N-L)), EN_WG_X, EN_WG.
// Generated from src/models/weights/gpu-enumeration.ts: the bindings xs (X[mu * N + i], ±1),
// ys (sign(y_mu)) and hist (g(E), E = 0 … P), and the workgroup histogram whist (EN_PA + 1).

fn en_err(y: i32, h: i32) -> i32 {
  return select(0, 1, y * h <= 0);
}

@compute @workgroup_size(EN_WG)
fn enumerate(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  for (var e = lid; e <= EN_P; e += EN_WG) {
    atomicStore(&whist[e], 0u);
  }
  workgroupBarrier();
  let k = (wid.y * EN_WG_X + wid.x) * EN_WG + lid;
  if (k < EN_THREADS) {
    var h: array<i32, EN_PA>;
    var E = 0;
    for (var mu = 0u; mu < EN_P; mu++) {
      var s = 0;
      for (var i = 0u; i < EN_N; i++) {
        var w = -1;
        if (i >= EN_L && ((k >> (i - EN_L)) & 1u) == 1u) {
          w = 1;
        }
        s += w * xs[mu * EN_N + i];
      }
      h[mu] = s;
      E += en_err(ys[mu], s);
    }
    atomicAdd(&whist[E], 1u);
    var low = 0u; // bit i set iff w_i = +1 (i < L)
    let count = 1u << EN_L;
    for (var step = 1u; step < count; step++) {
      let i = countTrailingZeros(step);
      let d = select(-2, 2, ((low >> i) & 1u) == 1u); // 2 w_i before the flip
      for (var mu = 0u; mu < EN_P; mu++) {
        let old = h[mu];
        let nh = old - d * xs[mu * EN_N + i];
        E += en_err(ys[mu], nh) - en_err(ys[mu], old);
        h[mu] = nh;
      }
      low = low ^ (1u << i);
      atomicAdd(&whist[E], 1u);
    }
  }
  workgroupBarrier();
  for (var e = lid; e <= EN_P; e += EN_WG) {
    let c = atomicLoad(&whist[e]);
    if (c != 0u) {
      atomicAdd(&hist[e], c);
    }
  }
}
