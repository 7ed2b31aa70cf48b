// Column and row sums of every replica, for the structure factor at the smallest wavevectors
// (src/models/ising/structure.ts turns them into F on the host, the same way for both backends).
// One thread per line: thread t < lx sums column t, thread lx + y sums row y, through the kernel's
// spin_at, so every storage layout works. Dispatch: (ceil((lx + ly) / WG_SIZE), replicas, 1), after
// a measurement; the sums go to ring entry S.sample of `lines` (a SampleRing of lx + ly words).

@compute @workgroup_size(WG_SIZE)
fn line_sums(@builtin(global_invocation_id) gid: vec3u) {
  let t = gid.x;
  let r = gid.y;
  if (t >= P.lx + P.ly) { return; }
  var sum = 0i;
  if (t < P.lx) {
    for (var y = 0u; y < P.ly; y++) { sum += 2i * i32(spin_at(r, t, y)) - 1i; }
  } else {
    let y = t - P.lx;
    for (var x = 0u; x < P.lx; x++) { sum += 2i * i32(spin_at(r, x, y)) - 1i; }
  }
  lines[P.replicas + (S.sample * P.replicas + r) * (P.lx + P.ly) + t] = bitcast<u32>(sum);
}
