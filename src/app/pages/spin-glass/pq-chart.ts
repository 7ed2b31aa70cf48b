/** The live P(q) histogram of the pair, drawn on a 2D canvas (bars over q ∈ [−1, 1]). */

import type { OverlapHistogram } from './pictures.ts';

export function drawOverlapHistogram(canvas: HTMLCanvasElement, h: OverlapHistogram): void {
  const g = canvas.getContext('2d');
  if (!g) return;
  const W = canvas.width;
  const H = canvas.height;
  const axis = 18;
  g.fillStyle = '#15151c';
  g.fillRect(0, 0, W, H);
  const density = h.density();
  const max = Math.max(1e-12, ...density);
  const bw = W / h.bins;
  g.fillStyle = '#4fc3f7';
  density.forEach((p, b) => {
    const height = ((H - axis - 6) * p) / max;
    if (height > 0) g.fillRect(b * bw + 0.5, H - axis - height, Math.max(1, bw - 1), height);
  });
  g.strokeStyle = '#555';
  g.beginPath();
  g.moveTo(0, H - axis + 0.5);
  g.lineTo(W, H - axis + 0.5);
  g.moveTo(W / 2 + 0.5, H - axis);
  g.lineTo(W / 2 + 0.5, H - axis + 4);
  g.stroke();
  g.fillStyle = '#aaa';
  g.font = '11px system-ui, sans-serif';
  g.fillText('−1', 2, H - 4);
  g.fillText('q', W / 2 - 3, H - 4);
  g.fillText('+1', W - 16, H - 4);
}
