// Block averages of one replica's spins for display: cell (i, j) of the view is the fraction of
// up spins in the block × block square whose corner is (x0 + i·block, y0 + j·block), wrapping
// periodically (so panning wraps like the torus). Sites are read through the kernel's spin_at,
// so every storage layout renders from its own buffer, on the GPU, with no copy.
// Dispatch: ceil(cells_w / BLOCK_WG) × ceil(cells_h / BLOCK_WG) workgroups.
// The struct BlockView and the group-1 bindings (V, cells) are generated from
// src/render/block-averager.ts.

@compute @workgroup_size(BLOCK_WG, BLOCK_WG)
fn blocks(@builtin(global_invocation_id) id: vec3u) {
  if (id.x >= V.cells_w || id.y >= V.cells_h) { return; }
  var ups = 0u;
  for (var by = 0u; by < V.block; by++) {
    let y = (V.y0 + id.y * V.block + by) % P.ly;
    for (var bx = 0u; bx < V.block; bx++) {
      ups += spin_at(V.replica, (V.x0 + id.x * V.block + bx) % P.lx, y);
    }
  }
  cells[id.y * V.cells_w + id.x] = f32(ups) / f32(V.block * V.block);
}
