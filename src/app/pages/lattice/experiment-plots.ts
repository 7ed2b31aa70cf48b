/**
 * The plots and schedules of the lattice page's experiments (experiments.ts), one factory each:
 * drawn as they run (uPlot; the hysteresis loop on a small canvas, since m(h) is not a function
 * of h).
 */

import { onsagerEnergy, spontaneousMagnetization } from '../../../physics/onsager.ts';
import { sig3 } from '../../shared/numbers.ts';
import { AXIS, lineSeries, uPlot } from '../../shared/uplot.ts';
import { CYCLE, cycleField, domainLength, HEAT, heatTemperature, PlateauMeans } from './experiments.ts';

/** What the next sweeps should run at (only what the experiment drives). */
export interface Drive {
  T?: number;
  h?: number;
}

/** A running experiment: its schedule and its plot. */
export interface Active {
  /** After `sweeps` sweeps measured e and m: records them, says what to drive next. */
  measured(sweeps: number, e: number, m: number): Drive;
  /** Most sweeps per frame that keep the schedule's steps (and the plot's points) apart. */
  maxSweeps(sweeps: number): number;
  /** Points drawn so far. */
  points(): number;
}

const PLOT_HEIGHT = 200;

function chart(el: HTMLElement, opts: Omit<uPlot.Options, 'width' | 'height'>, data: uPlot.AlignedData): uPlot {
  const width = Math.min(420, document.documentElement.clientWidth - 32);
  return new uPlot({ width, height: PLOT_HEIGHT, cursor: { show: false }, ...opts }, data, el);
}

/** Quench: domain size ℓ against sweeps, log-log, with a √t guide through the first point. */
export function quench(el: HTMLElement, eEquilibrium: number): Active {
  const t: number[] = [];
  const l: number[] = [];
  const guide: number[] = [];
  const plot = chart(
    el,
    {
      title: 'domain size ℓ ≈ 4/(e − e_eq) against sweeps',
      scales: { x: { time: false, distr: 3 }, y: { distr: 3 } },
      axes: [
        { ...AXIS, label: 'sweeps' },
        { ...AXIS, size: 50, label: 'ℓ (sites)' },
      ],
      series: [
        { label: 'sweeps' },
        ...lineSeries(
          [
            { label: 'ℓ', color: '#6cf' },
            { label: '∝ √t', color: '#e0c050', dash: [6, 4] },
          ],
          1.5,
        ),
      ],
    },
    [t, l, guide],
  );
  return {
    measured(sweeps, e) {
      const length = domainLength(e, eEquilibrium);
      if (sweeps > 0 && Number.isFinite(length) && (!t.length || sweeps > t[t.length - 1])) {
        t.push(sweeps);
        l.push(length);
        guide.push(l[0] * Math.sqrt(sweeps / t[0]));
        plot.setData([t, l, guide]);
      }
      return {};
    },
    maxSweeps: (sweeps) => Math.max(1, Math.floor(sweeps / 8)),
    points: () => t.length,
  };
}

/** At Tc: the signed magnetisation against sweeps. */
export function critical(el: HTMLElement): Active {
  const t: number[] = [];
  const m: number[] = [];
  const plot = chart(
    el,
    {
      title: 'magnetisation m at Tc against sweeps',
      scales: { x: { time: false }, y: { range: [-1, 1] } },
      axes: [
        { ...AXIS, label: 'sweeps' },
        { ...AXIS, size: 50 },
      ],
      series: [{ label: 'sweeps' }, ...lineSeries([{ label: 'm', color: '#f88' }], 1)],
    },
    [t, m],
  );
  return {
    measured(sweeps, _e, mNow) {
      if (t.length && sweeps <= t[t.length - 1]) return {};
      t.push(sweeps);
      m.push(mNow);
      if (t.length > 2000) for (const a of [t, m]) a.splice(0, 1000);
      plot.setData([t, m]);
      return {};
    },
    maxSweeps: () => Infinity,
    points: () => t.length,
  };
}

/** Heating: plateau means of e and |m| on a T grid, beside Onsager's e(T) and the spontaneous m(T). */
export function heat(el: HTMLElement, J: number): Active {
  const grid = Array.from({ length: 101 }, (_, i) => Number((HEAT.T0 + (i * (HEAT.T1 - HEAT.T0)) / 100).toFixed(6)));
  const at = (T: number): number => Math.round(((T - HEAT.T0) / (HEAT.T1 - HEAT.T0)) * 100);
  const means = new PlateauMeans();
  const dots = { size: 6, show: true };
  const none = (): null => null;
  const plot = chart(
    el,
    {
      title: 'heating: e and |m| per step against T',
      scales: { x: { time: false }, y: { range: [-2, 1] } },
      axes: [
        { ...AXIS, label: 'T' },
        { ...AXIS, size: 50 },
      ],
      series: [
        { label: 'T' },
        { label: 'e exact', stroke: '#6cf', width: 1, dash: [6, 4], points: { show: false } },
        { label: '|m| exact', stroke: '#f88', width: 1, dash: [6, 4], points: { show: false } },
        { label: 'e', stroke: '#6cf', paths: none, points: { ...dots, fill: '#6cf' } },
        { label: '|m|', stroke: '#f88', paths: none, points: { ...dots, fill: '#f88' } },
      ],
    },
    [grid, grid.map((T) => onsagerEnergy(T, J)), grid.map((T) => spontaneousMagnetization(T, J)), [], []],
  );
  let shown = 0;
  return {
    measured(sweeps, e, m) {
      means.add(sweeps, e, Math.abs(m));
      const p = means.points();
      if (p.T.length !== shown) {
        shown = p.T.length;
        const eDots = grid.map((): number | null => null);
        const mDots = grid.map((): number | null => null);
        p.T.forEach((T, i) => {
          eDots[at(T)] = p.e[i];
          mDots[at(T)] = p.m[i];
        });
        const d = plot.data;
        plot.setData([grid, d[1], d[2], eDots, mDots] as uPlot.AlignedData);
      }
      return { T: heatTemperature(sweeps) };
    },
    maxSweeps: () => HEAT.plateau / 4,
    points: () => shown,
  };
}

/** Field cycle: the loop m(h) on a canvas, h on x, m on y, both in [−1, 1]. */
export function hysteresis(canvas: HTMLCanvasElement): Active {
  const g = canvas.getContext('2d')!;
  const W = canvas.width;
  const H = canvas.height;
  const px = (h: number): number => W / 2 + (h / CYCLE.amplitude) * (W / 2 - 12);
  const py = (m: number): number => H / 2 - m * (H / 2 - 12);
  g.fillStyle = '#111';
  g.fillRect(0, 0, W, H);
  g.strokeStyle = '#444';
  g.beginPath();
  g.moveTo(px(-CYCLE.amplitude), py(0));
  g.lineTo(px(CYCLE.amplitude), py(0));
  g.moveTo(px(0), py(-1));
  g.lineTo(px(0), py(1));
  g.stroke();
  g.fillStyle = '#b8b8b8';
  g.font = '12px system-ui, sans-serif';
  g.fillText('h →', W - 30, py(0) - 4);
  g.fillText('m', px(0) + 4, 14);
  let last: [number, number] | undefined;
  let n = 0;
  return {
    measured(sweeps, _e, m) {
      const h = cycleField(Math.max(0, sweeps - 1)); // the field the last sweep ran at
      g.strokeStyle = sweeps <= CYCLE.period ? '#6cf' : '#f88';
      g.lineWidth = 2;
      if (last) {
        g.beginPath();
        g.moveTo(px(last[0]), py(last[1]));
        g.lineTo(px(h), py(m));
        g.stroke();
      }
      last = [h, m];
      n++;
      canvas.setAttribute('aria-label', `hysteresis loop: m = ${sig3(m)} at h = ${sig3(h)} after ${sweeps} sweeps`);
      return { h: cycleField(sweeps) };
    },
    maxSweeps: () => CYCLE.period / 50,
    points: () => n,
  };
}
