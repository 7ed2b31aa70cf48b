/**
 * Draws ±1 spins, or cluster labels in their colours (cluster-colours.ts, as the WebGPU renderer),
 * with regl (WebGL), for the CPU fallback: one RGBA texture, nearest sampling.
 */

import createREGL from 'regl';
import { clusterRgb } from '../../../render/cluster-colours.ts';

/** Grey levels of a down and an up spin. */
const DOWN = 20;
const UP = 235;

export class ReglView {
  private readonly regl: createREGL.Regl;
  private readonly texture: createREGL.Texture2D;
  private readonly drawQuad: createREGL.DrawCommand;
  private bytes = new Uint8Array(0);

  constructor(canvas: HTMLCanvasElement) {
    this.regl = createREGL({ canvas, attributes: { preserveDrawingBuffer: true, antialias: false } });
    this.texture = this.regl.texture({ width: 2, height: 2, format: 'rgba', mag: 'nearest', min: 'nearest' });
    this.drawQuad = this.regl({
      frag: `precision mediump float; uniform sampler2D tex; varying vec2 uv;
        void main() { gl_FragColor = vec4(texture2D(tex, uv).rgb, 1.0); }`,
      vert: `precision mediump float; attribute vec2 position; varying vec2 uv;
        void main() { uv = vec2(0.5 * (position.x + 1.0), 0.5 * (1.0 - position.y)); gl_Position = vec4(position, 0, 1); }`,
      attributes: {
        position: [
          [-1, -1],
          [3, -1],
          [-1, 3],
        ],
      },
      uniforms: { tex: this.texture },
      count: 3,
      depth: { enable: false },
    });
  }

  draw(spins: Int8Array, L: number): void {
    this.show(spins.length, L, (i) => (spins[i] > 0 ? UP * 0x10101 : DOWN * 0x10101));
  }

  /** Each site in the colour of its cluster label. */
  drawClusters(labels: Int32Array, L: number): void {
    this.show(labels.length, L, (i) => clusterRgb(labels[i]));
  }

  /** Draws n sites (L × L), site i in colour rgb(i) = 0xRRGGBB. */
  private show(n: number, L: number, rgb: (i: number) => number): void {
    if (this.bytes.length !== 4 * n) this.bytes = new Uint8Array(4 * n);
    const b = this.bytes;
    for (let i = 0; i < n; i++) {
      const c = rgb(i);
      b[4 * i] = c >> 16;
      b[4 * i + 1] = (c >> 8) & 255;
      b[4 * i + 2] = c & 255;
      b[4 * i + 3] = 255;
    }
    this.texture({ width: L, height: L, format: 'rgba', data: b, mag: 'nearest', min: 'nearest' });
    this.regl.poll();
    this.regl.clear({ color: [0.02, 0.02, 0.03, 1], depth: 1 });
    this.drawQuad();
  }
}
