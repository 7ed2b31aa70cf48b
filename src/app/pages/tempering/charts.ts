/**
 * The tempering page's curves, with uPlot: per chart, Monte Carlo points with error bars at the
 * ladder's temperatures and exact curves on a dense temperature grid. uPlot wants one sorted x
 * array per chart, so x is the union of the grid and the ladder; exact series are defined at
 * every x, Monte Carlo series only on the ladder (null elsewhere, drawn as points only).
 * Error bars are drawn by a small uPlot plugin in its draw hook (uPlot has none built in).
 */

import { TC } from '../../../physics/constants.ts';
import { AXIS, lineSeries, uPlot } from '../../shared/uplot.ts';

export interface ExactCurve {
  label: string;
  color: string;
  dash?: number[];
  /** Value at temperature T (non-finite values are left out). */
  f: (T: number) => number;
}

export interface ChartSpec {
  /** Element id of the chart's container. */
  id: string;
  title: string;
  /** Monte Carlo series label and colour. */
  mc: { label: string; color: string };
  exact: ExactCurve[];
  /** Keep these values inside the y range (e.g. 0 for |m|). */
  include?: number[];
}

export interface Point {
  mean: number;
  err: number;
}

/** A dense grid over [Tmin, Tmax] widened by 5 % each side, merged with the ladder (sorted, unique). */
function temperatureAxis(ladder: readonly number[], points = 240): { x: number[]; ladderIndex: number[] } {
  const Tmin = ladder[0];
  const Tmax = ladder[ladder.length - 1];
  const pad = 0.05 * (Tmax - Tmin);
  const lo = Math.max(1e-3, Tmin - pad);
  const hi = Tmax + pad;
  const grid = Array.from({ length: points }, (_, i) => lo + ((hi - lo) * i) / (points - 1));
  const x = [...new Set([...grid, ...ladder])].sort((a, b) => a - b);
  return { x, ladderIndex: ladder.map((T) => x.indexOf(T)) };
}

/** Draws ±err whiskers (with caps) for the series that have errors, clipped to the plot area. */
function errorBarsPlugin(errors: () => Map<number, (number | null)[]>): uPlot.Plugin {
  return {
    hooks: {
      draw: (u: uPlot) => {
        const ctx = u.ctx;
        const dpr = window.devicePixelRatio || 1;
        const { left, top, width, height } = u.bbox;
        ctx.save();
        ctx.beginPath();
        ctx.rect(left, top, width, height);
        ctx.clip();
        // The critical temperature of the infinite lattice, as a faint dashed line.
        const xc = u.valToPos(TC, 'x', true);
        if (xc >= left && xc <= left + width) {
          ctx.strokeStyle = '#666';
          ctx.lineWidth = dpr;
          ctx.setLineDash([3 * dpr, 3 * dpr]);
          ctx.beginPath();
          ctx.moveTo(xc, top);
          ctx.lineTo(xc, top + height);
          ctx.stroke();
          ctx.setLineDash([]);
          ctx.fillStyle = '#888';
          ctx.font = `${11 * dpr}px system-ui, sans-serif`;
          ctx.fillText('Tc', xc + 3 * dpr, top + 12 * dpr);
        }
        for (const [s, errs] of errors()) {
          const series = u.series[s];
          const ys = u.data[s];
          if (!series || !ys || series.show === false) continue;
          ctx.strokeStyle =
            typeof series.stroke === 'function' ? (series.stroke(u, s) as string) : String(series.stroke ?? '#fff');
          ctx.lineWidth = 1.5 * dpr;
          ctx.beginPath();
          const cap = 3 * dpr;
          for (let i = 0; i < ys.length; i++) {
            const y = ys[i];
            const e = errs[i];
            if (y == null || e == null || !Number.isFinite(e) || e <= 0) continue;
            const x = u.valToPos(u.data[0][i], 'x', true);
            const y0 = u.valToPos(y - e, series.scale ?? 'y', true);
            const y1 = u.valToPos(y + e, series.scale ?? 'y', true);
            ctx.moveTo(x, y0);
            ctx.lineTo(x, y1);
            ctx.moveTo(x - cap, y0);
            ctx.lineTo(x + cap, y0);
            ctx.moveTo(x - cap, y1);
            ctx.lineTo(x + cap, y1);
          }
          ctx.stroke();
        }
        ctx.restore();
      },
    },
  };
}

/** One chart: exact curves fixed at construction, Monte Carlo points updated with setPoints. */
export class ObservableChart {
  readonly plot: uPlot;
  private readonly x: number[];
  private readonly ladderIndex: number[];
  private readonly exactData: (number | null)[][];
  private mc: (number | null)[];
  private mcErr: (number | null)[];
  /** Ladder points that have an estimate now. */
  points = 0;

  constructor(
    readonly spec: ChartSpec,
    ladder: readonly number[],
    container: HTMLElement,
    width: number,
    height: number,
  ) {
    ({ x: this.x, ladderIndex: this.ladderIndex } = temperatureAxis(ladder));
    this.exactData = spec.exact.map((c) =>
      this.x.map((T) => {
        const v = c.f(T);
        return Number.isFinite(v) ? v : null;
      }),
    );
    this.mc = this.x.map(() => null);
    this.mcErr = this.x.map(() => null);
    const include = spec.include ?? [];
    const mcIndex = 1 + spec.exact.length;
    this.plot = new uPlot(
      {
        title: spec.title,
        width,
        height,
        legend: { live: false },
        cursor: { drag: { x: false, y: false }, points: { show: false } },
        scales: {
          x: { time: false },
          y: {
            range: (_u, min, max) => {
              const lo = Math.min(min, ...include);
              const hi = Math.max(max, ...include);
              const pad = 0.06 * (hi - lo || Math.abs(hi) || 1);
              return [lo - pad, hi + pad];
            },
          },
        },
        axes: [
          { ...AXIS, label: 'T', labelSize: 18 },
          { ...AXIS, size: 52 },
        ],
        series: [
          { label: 'T', value: (_u, v) => (v == null ? '–' : v.toFixed(3)) },
          ...lineSeries(spec.exact, 1.5).map((line) => ({ ...line, spanGaps: true })),
          {
            label: spec.mc.label,
            stroke: spec.mc.color,
            fill: undefined,
            width: 0,
            paths: () => null,
            points: { show: true, size: 7, width: 1, stroke: spec.mc.color, fill: spec.mc.color },
          },
        ],
        plugins: [errorBarsPlugin(() => new Map([[mcIndex, this.mcErr]]))],
      },
      this.data(),
      container,
    );
  }

  private data(): uPlot.AlignedData {
    return [this.x, ...this.exactData, this.mc] as uPlot.AlignedData;
  }

  /** Estimates at the ladder's slots (null where there is none yet). */
  setPoints(points: readonly (Point | null)[]): void {
    this.mc = this.x.map(() => null);
    this.mcErr = this.x.map(() => null);
    let n = 0;
    points.forEach((p, k) => {
      if (!p || !Number.isFinite(p.mean)) return;
      const i = this.ladderIndex[k];
      this.mc[i] = p.mean;
      this.mcErr[i] = Number.isFinite(p.err) ? p.err : null;
      n++;
    });
    this.points = n;
    this.plot.setData(this.data());
  }

  setSize(width: number, height: number): void {
    this.plot.setSize({ width, height });
  }
}
