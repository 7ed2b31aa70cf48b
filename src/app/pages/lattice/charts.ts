/** The lattice page's uPlot charts: e and |m| time series with exact marks, and a histogram of m. */

import '../../shared/locale-guard.ts'; // before uplot: it reads navigator.language on load
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const AXIS = { stroke: '#b8b8b8', grid: { stroke: '#2b2b2b', width: 1 }, ticks: { stroke: '#444', width: 1 } };
export const MAX_SAMPLES = 3000;
const BINS = 41;

/** The last MAX_SAMPLES samples of (sweep, e, |m|, m). */
export class Series {
  sweep: number[] = [];
  e: number[] = [];
  mAbs: number[] = [];
  m: number[] = [];
  push(sweep: number, e: number, m: number): void {
    this.sweep.push(sweep);
    this.e.push(e);
    this.mAbs.push(Math.abs(m));
    this.m.push(m);
    if (this.sweep.length > MAX_SAMPLES) for (const a of [this.sweep, this.e, this.mAbs, this.m]) a.shift();
  }
  clear(): void {
    this.sweep = [];
    this.e = [];
    this.mAbs = [];
    this.m = [];
  }
  csv(): string {
    const rows = ['sweep,e,m'];
    for (let i = 0; i < this.sweep.length; i++) rows.push(`${this.sweep[i]},${this.e[i]},${this.m[i]}`);
    return `${rows.join('\n')}\n`;
  }
}

/** Least span of a time series' y axis: a constant series (e = −2 in an ordered lattice) beside an exact
 * value 1e-9 away would otherwise get an axis of 1e-9, whose ticks stall uPlot for many seconds. */
export const MIN_Y_SPAN = 0.01;

/** [lo, hi] widened around its middle to at least `span`. */
export function atLeastSpan(lo: number, hi: number, span = MIN_Y_SPAN): [number, number] {
  if (!(hi - lo < span)) return [lo, hi];
  const mid = (lo + hi) / 2;
  return [mid - span / 2, mid + span / 2];
}

function timeChart(el: HTMLElement, title: string, label: string, color: string, width: number): uPlot {
  return new uPlot(
    {
      title,
      width,
      height: 170,
      scales: { x: { time: false }, y: { range: (_u, lo, hi) => atLeastSpan(lo, hi) } },
      legend: { show: true },
      axes: [
        { ...AXIS, label: 'sweep' },
        { ...AXIS, size: 55 },
      ],
      series: [
        { label: 'sweep' },
        { label, stroke: color, width: 1, points: { show: false } },
        { label: 'exact (L=∞)', stroke: '#e0c050', dash: [6, 4], width: 1, points: { show: false } },
      ],
    },
    [[], [], []],
    el,
  );
}

export class Charts {
  private readonly e: uPlot;
  private readonly m: uPlot;
  private readonly hist: uPlot;

  constructor(eEl: HTMLElement, mEl: HTMLElement, histEl: HTMLElement, width = 420) {
    this.e = timeChart(eEl, 'energy per site e', 'e', '#6cf', width);
    this.m = timeChart(mEl, '|m|', '|m|', '#f88', width);
    this.hist = new uPlot(
      {
        title: 'histogram of m',
        width,
        height: 170,
        scales: { x: { time: false, range: [-1, 1] } },
        axes: [
          { ...AXIS, label: 'm' },
          { ...AXIS, size: 55 },
        ],
        series: [
          { label: 'm' },
          {
            label: 'count',
            stroke: '#9c9',
            fill: 'rgba(150,200,150,0.4)',
            paths: uPlot.paths.bars!({ size: [1, Infinity] }),
            points: { show: false },
          },
        ],
      },
      [[], []],
      histEl,
    );
  }

  update(s: Series, eExact: number, mExact: number): void {
    const x = s.sweep;
    const ex = x.map(() => (Number.isFinite(eExact) ? eExact : null));
    const mx = x.map(() => (Number.isFinite(mExact) ? mExact : null));
    this.e.setData([x, s.e, ex]);
    this.m.setData([x, s.mAbs, mx]);
    const counts = new Array<number>(BINS).fill(0);
    for (const m of s.m) counts[Math.min(BINS - 1, Math.max(0, Math.floor(((m + 1) / 2) * BINS)))]++;
    const centres = counts.map((_, i) => -1 + (2 * (i + 0.5)) / BINS);
    this.hist.setData([centres, counts]);
  }
}
