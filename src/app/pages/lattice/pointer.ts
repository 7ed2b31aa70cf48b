/** Pointer input on the lattice: Shift+drag paints spins (Alt: down), drag pans and the wheel zooms (WebGPU view). */

import type { LatticePage } from './page.ts';

/** Delay that gathers the points of a stroke into one repaint, ms. */
const PAINT_MS = 60;

export class PointerInput {
  private drag?: { paint: number; x: number; y: number; px: number; py: number };
  private paintQueued = false;
  private readonly paintPoints: { x: number; y: number }[] = [];

  constructor(private readonly page: LatticePage) {
    for (const c of [page.gpuCanvas, page.glCanvas]) this.attach(c);
  }

  /** Lattice coordinates under a pointer event. */
  private latticeAt(ev: PointerEvent | WheelEvent): { x: number; y: number } {
    const { page } = this;
    const r = page.activeCanvas().getBoundingClientRect();
    const fx = (ev.clientX - r.left) / r.width;
    const fy = (ev.clientY - r.top) / r.height;
    const L = page.engine?.L ?? page.P.L;
    if (page.mode === 'cpu') return { x: Math.floor(fx * L), y: Math.floor(fy * L) };
    const v = page.zoom.blockView(L, page.gpuCanvas);
    return { x: v.x0 + fx * v.cellsW * v.block, y: v.y0 + fy * v.cellsH * v.block };
  }

  private attach(c: HTMLCanvasElement): void {
    const { page } = this;
    c.addEventListener('pointerdown', (ev) => {
      c.setPointerCapture(ev.pointerId);
      const at = this.latticeAt(ev);
      this.drag = { paint: ev.shiftKey ? (ev.altKey ? -1 : 1) : 0, ...at, px: ev.clientX, py: ev.clientY };
      if (this.drag.paint) this.paint(at, this.drag.paint);
    });
    c.addEventListener('pointermove', (ev) => {
      const { drag } = this;
      if (!drag) return;
      if (drag.paint) this.paint(this.latticeAt(ev), drag.paint);
      else if (page.mode === 'gpu') {
        const view = page.zoom.blockView(page.engine?.L ?? page.P.L, page.gpuCanvas);
        page.zoom.pan(view, ev.clientX - drag.px, ev.clientY - drag.py, c.getBoundingClientRect().width);
        drag.px = ev.clientX;
        drag.py = ev.clientY;
        this.redrawIfPaused();
      }
    });
    c.addEventListener('pointerup', () => {
      this.drag = undefined;
    });
    c.addEventListener('wheel', (ev) => this.wheel(c, ev), { passive: false });
  }

  private wheel(c: HTMLCanvasElement, ev: WheelEvent): void {
    const { page } = this;
    if (page.mode !== 'gpu' || !page.engine) return;
    ev.preventDefault();
    const at = this.latticeAt(ev);
    const r = c.getBoundingClientRect();
    page.zoom.wheel(page.engine.L, ev.deltaY, at, (ev.clientX - r.left) / r.width, (ev.clientY - r.top) / r.height);
    this.redrawIfPaused();
  }

  private redrawIfPaused(): void {
    if (!this.page.running) void this.page.serial(async () => this.page.draw());
  }

  /** Queues a disc of spins `value` around `at`; a stroke's discs are painted together. */
  private paint(at: { x: number; y: number }, value: number): void {
    this.paintPoints.push(at);
    if (this.paintQueued) return;
    this.paintQueued = true;
    setTimeout(() => void this.page.serial(() => this.flush(value)), PAINT_MS);
  }

  private async flush(value: number): Promise<void> {
    const { page } = this;
    const { engine } = page;
    this.paintQueued = false;
    if (!engine || this.paintPoints.length === 0) return;
    const L = engine.L;
    const spins = await engine.spins();
    const r = Math.max(1.5, (page.mode === 'gpu' ? Math.min(page.zoom.span || L, L) : L) / 40);
    const R = Math.ceil(r);
    for (const p of this.paintPoints.splice(0)) {
      for (let dy = -R; dy <= R; dy++)
        for (let dx = -R; dx <= R; dx++) {
          if (dx * dx + dy * dy > r * r) continue;
          const x = (((Math.floor(p.x) + dx) % L) + L) % L;
          const y = (((Math.floor(p.y) + dy) % L) + L) % L;
          spins[y * L + x] = value;
        }
    }
    await engine.restore({ spins, sweepsDone: engine.sweepsDone });
    // Painted spins are out of equilibrium: ξ waits for the energy to settle again.
    page.readouts.resetEquilibration();
    const o = await engine.advance(0);
    page.readouts.show(engine, o.bonds, o.magnetization, false);
    page.draw();
  }
}
