/**
 * uPlot for the pages, loaded after the locale guard (uPlot reads navigator.language on load),
 * with the pages' common axis style and line series.
 */

import './locale-guard.ts';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export { uPlot };

/** Axis colours of every chart on the dark pages. */
export const AXIS = { stroke: '#b8b8b8', grid: { stroke: '#2b2b2b', width: 1 }, ticks: { stroke: '#444', width: 1 } };

/** A line of a chart. */
export interface LineSpec {
  label: string;
  color: string;
  dash?: number[];
  width?: number;
}

/** uPlot series of lines without point markers (`width` when the line gives none). */
export function lineSeries(lines: readonly LineSpec[], width: number): uPlot.Series[] {
  return lines.map((s) => ({
    label: s.label,
    stroke: s.color,
    width: s.width ?? width,
    dash: s.dash,
    points: { show: false },
  }));
}
