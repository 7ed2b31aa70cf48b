// Draws the clusters of the last cluster step straight from the cluster label buffer: each cell
// takes the colour of the label of its block's first site (x0 + i·block, y0 + j·block, wrapping
// like the torus), so with block 1 every site shows its own cluster. The vertex stage is
// fullscreen.wgsl; the struct ClusterGrid, the bindings (C, labels) and cluster_rgb (the hash and
// palette of src/render/cluster-colours.ts) are generated from src/render/lattice-view.ts.

@fragment
fn fs_clusters(in: VertexOut) -> @location(0) vec4f {
  let c = min(vec2u(in.uv * vec2f(f32(C.cells_w), f32(C.cells_h))), vec2u(C.cells_w - 1u, C.cells_h - 1u));
  let x = (C.x0 + c.x * C.block) % C.lx;
  let y = (C.y0 + c.y * C.block) % C.ly;
  let rgb = cluster_rgb(labels[C.base + y * C.lx + x]);
  return vec4f(vec3f(f32(rgb >> 16u), f32((rgb >> 8u) & 255u), f32(rgb & 255u)) / 255.0, 1.0);
}
