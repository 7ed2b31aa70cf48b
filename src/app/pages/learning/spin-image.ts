/** Small views of the learning page: a labelled spin image of N weights, and a sliding-window mean. */

import { paintSpins } from '../../shared/spin-pixels.ts';
import { imageShape } from './params.ts';

/** A labelled spin image of N weights (√N×√N when N is a square, else a row). */
export class SpinImage {
  readonly root: HTMLElement;
  readonly label: HTMLElement;
  /** The image; its aria-label says what it shows now. */
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly image: ImageData;

  constructor(container: HTMLElement, N: number, text: string, color: string) {
    const { w, h } = imageShape(N);
    this.root = document.createElement('figure');
    this.root.className = 'spin-card';
    this.root.style.setProperty('--color', color);
    this.label = document.createElement('figcaption');
    this.label.className = 'spin-label';
    this.label.textContent = text;
    const canvas = document.createElement('canvas');
    canvas.className = h === 1 ? 'spin-image row' : 'spin-image';
    canvas.width = w;
    canvas.height = h;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', text);
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d')!;
    this.image = this.ctx.createImageData(w, h);
    this.root.append(this.label, canvas);
    container.append(this.root);
  }

  draw(w: ArrayLike<number>): void {
    paintSpins(this.image, w);
    this.ctx.putImageData(this.image, 0, 0);
  }
}

/** Sliding-window mean. */
export class WindowMean {
  private readonly buf: Float64Array;
  private n = 0;
  private at = 0;
  private sum = 0;
  constructor(size: number) {
    this.buf = new Float64Array(size);
  }
  add(x: number): void {
    if (this.n === this.buf.length) this.sum -= this.buf[this.at];
    else this.n++;
    this.buf[this.at] = x;
    this.sum += x;
    this.at = (this.at + 1) % this.buf.length;
  }
  get mean(): number {
    return this.n === 0 ? NaN : this.sum / this.n;
  }
}
