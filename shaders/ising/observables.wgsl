// Per-replica integer observables: bond sum Σ s_i (J_right s_right + J_down s_down) (J = ±1 with
// couplings, else 1) and magnetisation Σ s_i,
// written into sample slot S.sample of the ring in `stats`. Integers make energies exact
// (E = -J*bonds - h*M) and identical on every backend.
// Dispatch: (measure_wg_x, replicas, 1); each workgroup strides over its replica's sites.

@compute @workgroup_size(WG_SIZE)
fn measure(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let r = wid.y;
  let n = P.lx * P.ly;
  let base = r * n;
  var bonds = 0i;
  var mag = 0i;
  for (var i = wid.x * WG_SIZE + lid; i < n; i += P.measure_wg_x * WG_SIZE) {
    let y = i / P.lx;
    let x = i - y * P.lx;
    let xr = select(x + 1u, 0u, x + 1u == P.lx);
    let yd = select(y + 1u, 0u, y + 1u == P.ly);
    let s = 2i * i32(spins[base + i]) - 1i;
    let right = 2i * i32(spins[base + y * P.lx + xr]) - 1i;
    let down = 2i * i32(spins[base + yd * P.lx + x]) - 1i;
    let a = afm_bits(r, x, y);
    bonds += s * ((1i - 2i * i32(a & 1u)) * right + (1i - 2i * i32(a >> 1u)) * down);
    mag += s;
  }
  record_sample(r, bonds, mag, lid);
}
