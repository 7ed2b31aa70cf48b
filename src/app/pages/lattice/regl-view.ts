/** Draws ±1 spins with regl (WebGL), for the CPU fallback: one luminance texture, nearest sampling. */

import createREGL from 'regl';

export class ReglView {
  private readonly regl: createREGL.Regl;
  private readonly texture: createREGL.Texture2D;
  private readonly drawQuad: createREGL.DrawCommand;
  private bytes = new Uint8Array(0);

  constructor(canvas: HTMLCanvasElement) {
    this.regl = createREGL({ canvas, attributes: { preserveDrawingBuffer: true, antialias: false } });
    this.texture = this.regl.texture({ width: 2, height: 2, format: 'luminance', mag: 'nearest', min: 'nearest' });
    this.drawQuad = this.regl({
      frag: `precision mediump float; uniform sampler2D tex; varying vec2 uv;
        void main() { float s = texture2D(tex, uv).r; gl_FragColor = vec4(vec3(0.08 + 0.84 * s), 1.0); }`,
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
    if (this.bytes.length !== spins.length) this.bytes = new Uint8Array(spins.length);
    for (let i = 0; i < spins.length; i++) this.bytes[i] = spins[i] > 0 ? 255 : 0;
    this.texture({ width: L, height: L, format: 'luminance', data: this.bytes, mag: 'nearest', min: 'nearest' });
    this.regl.poll();
    this.regl.clear({ color: [0.02, 0.02, 0.03, 1], depth: 1 });
    this.drawQuad();
  }
}
