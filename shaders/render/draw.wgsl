// Draws a grid of cell values (0 = all down, 1 = all up) as grey levels, nearest-cell sampling so
// that single spins stay crisp when zoomed in. The vertex stage is fullscreen.wgsl. The struct
// Grid and the bindings (G, values) are generated from src/render/lattice-view.ts.

// Spin-down and spin-up colours (dark blue-grey, warm white).
const DOWN = vec3f(0.07, 0.08, 0.12);
const UP = vec3f(0.96, 0.94, 0.88);

@fragment
fn fs(in: VertexOut) -> @location(0) vec4f {
  let c = min(vec2u(in.uv * vec2f(f32(G.cells_w), f32(G.cells_h))), vec2u(G.cells_w - 1u, G.cells_h - 1u));
  let v = values[c.y * G.cells_w + c.x];
  return vec4f(mix(DOWN, UP, v), 1.0);
}
