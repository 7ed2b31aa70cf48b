/** Zoom and pan of the WebGPU lattice view: the visible square of the lattice and its block size. */

import type { BlockView } from '../../../render/view.ts';

export class Zoom {
  /** Side of the visible square in sites (0: the whole lattice); x0, y0: its top-left site. */
  span = 0;
  x0 = 0;
  y0 = 0;

  reset(L: number): void {
    this.span = L;
    this.x0 = 0;
    this.y0 = 0;
  }

  /** What an L×L lattice shows on `canvas`: blocks of sites averaged when there are more sites than pixels. */
  blockView(L: number, canvas: HTMLCanvasElement): BlockView {
    const px = Math.max(1, Math.min(canvas.width, canvas.height));
    const span = Math.min(L, Math.max(4, this.span || L));
    const block = Math.max(1, Math.ceil(span / px));
    const cells = Math.max(1, Math.min(Math.ceil(span / block), Math.floor(L / block)));
    const wrap = (v: number): number => ((Math.round(v) % L) + L) % L;
    return {
      cellsW: cells,
      cellsH: cells,
      x0: span >= L ? 0 : wrap(this.x0),
      y0: span >= L ? 0 : wrap(this.y0),
      block,
      replica: 0,
    };
  }

  /** Moves the view by a pointer's move of (dx, dy) CSS pixels on a canvas `width` CSS pixels wide. */
  pan(view: BlockView, dx: number, dy: number, width: number): void {
    const perPx = (view.cellsW * view.block) / width;
    this.x0 -= dx * perPx;
    this.y0 -= dy * perPx;
  }

  /** Zooms out (deltaY > 0) or in around the lattice point `at`, found at fraction (fx, fy) of the canvas. */
  wheel(L: number, deltaY: number, at: { x: number; y: number }, fx: number, fy: number): void {
    const span = Math.min(L, Math.max(4, (this.span || L) * (deltaY > 0 ? 1.25 : 0.8)));
    this.span = span;
    this.x0 = at.x - fx * span;
    this.y0 = at.y - fy * span;
  }
}
