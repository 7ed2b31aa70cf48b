/**
 * The two replicas side by side and their overlap image, each a 2D canvas: the spins (or s^a·s^b)
 * painted one pixel per site into an L×L image, scaled up without smoothing, and the frustrated
 * plaquettes dotted on top at the corner the four spins share (when shown).
 */

import { paintSpins } from '../../shared/spin-pixels.ts';
import { FRUSTRATED_CSS, paintOverlap } from './pictures.ts';

/** Canvas pixels per site: about 256 px per image, at least 1. */
const scaleOf = (L: number): number => Math.max(1, Math.floor(256 / L));

interface Picture {
  canvas: HTMLCanvasElement;
  g: CanvasRenderingContext2D;
}

export class PairView {
  private readonly pictures: Picture[];
  private readonly image: ImageData;
  private readonly scratch: HTMLCanvasElement;
  private readonly scale: number;
  showFrustration: boolean;

  /** `canvases`: replica a, replica b, overlap; `frustrated`: plaquette sites y·L + x. */
  constructor(
    canvases: HTMLCanvasElement[],
    private readonly L: number,
    private readonly frustrated: readonly number[],
    showFrustration: boolean,
  ) {
    this.scale = scaleOf(L);
    this.pictures = canvases.map((canvas) => {
      canvas.width = canvas.height = L * this.scale;
      const g = canvas.getContext('2d');
      if (!g) throw new Error('this canvas cannot give a 2D context');
      g.imageSmoothingEnabled = false;
      return { canvas, g };
    });
    this.scratch = document.createElement('canvas');
    this.scratch.width = this.scratch.height = L;
    this.image = new ImageData(L, L);
    this.showFrustration = showFrustration;
  }

  /** Draws replicas a and b of `spins` (L² values ±1 each) and their overlap; returns the agreeing sites. */
  draw(spins: Int8Array, a: number, b: number): number {
    const N = this.L * this.L;
    if (a < 0 || b < 0 || spins.length < (Math.max(a, b) + 1) * N) return 0;
    paintSpins(this.image, spins, a * N, N);
    this.blit(this.pictures[0]);
    paintSpins(this.image, spins, b * N, N);
    this.blit(this.pictures[1]);
    const agree = paintOverlap(this.image.data, spins, a * N, b * N, N);
    this.blit(this.pictures[2]);
    return agree;
  }

  private blit({ g }: Picture): void {
    const s = this.scratch.getContext('2d');
    if (!s) return;
    s.putImageData(this.image, 0, 0);
    g.drawImage(this.scratch, 0, 0, this.L * this.scale, this.L * this.scale);
    if (!this.showFrustration) return;
    // Plaquette (x, y)–(x+1, y+1): its centre is the corner between the four sites' pixels.
    const { L, scale } = this;
    const d = Math.max(2, Math.round(scale / 3));
    g.fillStyle = FRUSTRATED_CSS;
    for (const i of this.frustrated) {
      const cx = ((i % L) + 1) * scale;
      const cy = (Math.floor(i / L) + 1) * scale;
      g.fillRect(cx - d / 2, cy - d / 2, d, d);
    }
  }

  label(which: number, text: string): void {
    this.pictures[which].canvas.setAttribute('aria-label', text);
  }
}
