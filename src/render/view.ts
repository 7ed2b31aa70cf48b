/** Which part of a lattice a view shows, and at what block size: pure functions, no GPU. */

/** A grid of cells, each the average of a block × block square of spins starting at (x0, y0). */
export interface BlockView {
  cellsW: number;
  cellsH: number;
  x0: number;
  y0: number;
  /** Spins per cell side (≥ 1). */
  block: number;
  replica: number;
}

/**
 * The whole Lx × Ly lattice on a W × H pixel canvas: blocks just large enough that there are no
 * more cells than pixels along either side (block 1 when the lattice is smaller than the canvas).
 */
export function fitView(Lx: number, Ly: number, width: number, height: number, replica = 0): BlockView {
  const block = Math.max(1, Math.ceil(Math.max(Lx / Math.max(1, width), Ly / Math.max(1, height))));
  return { cellsW: Math.ceil(Lx / block), cellsH: Math.ceil(Ly / block), x0: 0, y0: 0, block, replica };
}

/** CPU twin of shaders/render/blocks.wgsl, for tests: fraction of up spins per cell. */
export function blockAverages(spins: Int8Array, Lx: number, Ly: number, view: BlockView): Float32Array {
  const out = new Float32Array(view.cellsW * view.cellsH);
  const base = view.replica * Lx * Ly;
  for (let j = 0; j < view.cellsH; j++) {
    for (let i = 0; i < view.cellsW; i++) {
      let ups = 0;
      for (let by = 0; by < view.block; by++) {
        const y = (view.y0 + j * view.block + by) % Ly;
        for (let bx = 0; bx < view.block; bx++) {
          const x = (view.x0 + i * view.block + bx) % Lx;
          if (spins[base + y * Lx + x] > 0) ups++;
        }
      }
      out[j * view.cellsW + i] = ups / (view.block * view.block);
    }
  }
  return out;
}
