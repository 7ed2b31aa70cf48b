/**
 * uPlot charts of the learning view: live running means per temperature against sweeps, the exact
 * enumeration curves over β (with the β slider's marker), and a small canvas histogram of replica
 * overlaps P(q).
 */

import { AXIS, lineSeries, uPlot, type LineSpec } from '../../shared/uplot.ts';

/** Most points kept per series; beyond this every other point is dropped. */
const MAX_POINTS = 400;

/** Colour of temperature slot k of K: cold blue … hot red. */
export const slotColor = (k: number, K: number): string =>
  `hsl(${Math.round(220 - (220 * k) / Math.max(1, K - 1))}, 85%, 60%)`;

/** A growing chart: x (sweeps) and one y per series. */
export class LiveChart {
  readonly plot: uPlot;
  private readonly data: number[][];

  constructor(
    title: string,
    series: LineSpec[],
    el: HTMLElement,
    width: number,
    height: number,
    yRange?: [number, number],
  ) {
    this.data = [[], ...series.map(() => [])];
    this.plot = new uPlot(
      {
        title,
        width,
        height,
        scales: { x: { time: false }, y: yRange ? { range: () => yRange } : { auto: true } },
        axes: [{ ...AXIS, label: 'sweeps' }, { ...AXIS }],
        series: [{ label: 'sweeps' }, ...lineSeries(series, 1.5)],
        legend: { show: true },
        cursor: { show: false },
      },
      this.data as uPlot.AlignedData,
      el,
    );
  }

  get points(): number {
    return this.data[0].length;
  }

  /** The chart's columns: x, then one per series (as drawn, thinned on long runs). */
  columns(): readonly (readonly number[])[] {
    return this.data;
  }

  push(x: number, ys: number[]): void {
    this.data[0].push(x);
    ys.forEach((y, i) => {
      this.data[i + 1].push(y);
    });
    if (this.data[0].length > MAX_POINTS)
      for (let i = 0; i < this.data.length; i++) this.data[i] = this.data[i].filter((_, j) => j % 2 === 0);
    this.plot.setData(this.data as uPlot.AlignedData);
  }
}

/** A marker on a static chart: a vertical line at x and a dot per series value (NaN: no dot). */
export interface ChartMarker {
  x: number;
  ys: number[];
}

/** Static curves over a given x (β, log axis); marker() (read on every redraw) draws the slider's position. */
export function staticChart(
  title: string,
  xLabel: string,
  x: number[],
  series: (LineSpec & { y: number[] })[],
  el: HTMLElement,
  width: number,
  height: number,
  marker?: () => ChartMarker | undefined,
): uPlot {
  const drawMarker = (u: uPlot): void => {
    const m = marker?.();
    if (!m) return;
    const ctx = u.ctx;
    const px = Math.round(u.valToPos(m.x, 'x', true)) + 0.5;
    const { top, height: h } = u.bbox;
    ctx.save();
    ctx.strokeStyle = '#e0e0e0';
    ctx.lineWidth = Math.max(1, devicePixelRatio);
    ctx.beginPath();
    ctx.moveTo(px, top);
    ctx.lineTo(px, top + h);
    ctx.stroke();
    m.ys.forEach((y, i) => {
      if (!Number.isFinite(y)) return;
      ctx.fillStyle = series[i].color;
      ctx.beginPath();
      ctx.arc(px, u.valToPos(y, 'y', true), 4 * devicePixelRatio, 0, 2 * Math.PI);
      ctx.fill();
    });
    ctx.restore();
  };
  return new uPlot(
    {
      title,
      width,
      height,
      hooks: { draw: [drawMarker] },
      scales: { x: { time: false, distr: 3 }, y: { auto: true } },
      axes: [{ ...AXIS, label: xLabel }, { ...AXIS }],
      series: [{ label: xLabel }, ...lineSeries(series, 2)],
      legend: { show: true },
      cursor: { show: false },
    },
    [x, ...series.map((s) => s.y)] as uPlot.AlignedData,
    el,
  );
}

/** Histogram of overlaps q ∈ [−1, 1] for two temperatures, drawn on a 2D canvas. */
export class OverlapHistogram {
  readonly counts: Float64Array[];
  private readonly ctx: CanvasRenderingContext2D;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    readonly bins: number,
    private readonly colors: string[],
  ) {
    this.counts = colors.map(() => new Float64Array(bins));
    this.ctx = canvas.getContext('2d')!;
  }

  add(series: number, q: number): void {
    const b = Math.min(this.bins - 1, Math.max(0, Math.floor(((q + 1) / 2) * this.bins)));
    this.counts[series][b]++;
  }

  draw(): void {
    const { ctx, canvas, bins } = this;
    const W = canvas.width;
    const H = canvas.height;
    ctx.fillStyle = '#15151c';
    ctx.fillRect(0, 0, W, H);
    const pad = 18;
    ctx.strokeStyle = '#555';
    ctx.beginPath();
    ctx.moveTo(0, H - pad + 0.5);
    ctx.lineTo(W, H - pad + 0.5);
    ctx.moveTo(W / 2 + 0.5, 0);
    ctx.lineTo(W / 2 + 0.5, H - pad);
    ctx.stroke();
    ctx.fillStyle = '#aaa';
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillText('q = −1', 2, H - 4);
    ctx.fillText('0', W / 2 - 3, H - 4);
    ctx.fillText('1', W - 10, H - 4);
    const bw = W / bins;
    this.counts.forEach((c, s) => {
      const total = c.reduce((a, b) => a + b, 0);
      const max = Math.max(...c);
      if (total === 0 || max === 0) return;
      ctx.fillStyle = this.colors[s];
      ctx.globalAlpha = 0.65;
      for (let b = 0; b < bins; b++) {
        const h = ((H - pad - 4) * c[b]) / max;
        if (h > 0) ctx.fillRect(b * bw + 1, H - pad - h, Math.max(1, bw - 2), h);
      }
      ctx.globalAlpha = 1;
    });
  }
}
