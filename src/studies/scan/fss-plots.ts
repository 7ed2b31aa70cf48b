/**
 * The SVG plots of a finite-size scaling study: c(T) with the exact curves, U4(T), c_max vs ln L
 * and χ_max vs L (log–log), each with the fits and the exact slopes; ξ/L(T) when the sweep ran with --xi.
 */

import { PALETTE, renderSvg, type Series } from '../../plot/svg.ts';
import { exactC, type Est } from './fss.ts';
import { EXACT_C_SLOPE, type FssStudyResult, type Obs, type SizeResult } from './fss-study.ts';

export type FssPlotName = 'c' | 'binder' | 'c_max' | 'chi_max';

const palette = (i: number): string => PALETTE[i % PALETTE.length];

/** One size's estimates per temperature, as points with error bars. */
const sizeSeries = (s: SizeResult, values: readonly Est[], i: number): Series => ({
  label: `L = ${s.L}`,
  color: palette(i),
  points: s.temperatures.map((T, k) => ({ x: T, y: values[k].mean, err: values[k].err })),
});

const dataSeries = (s: SizeResult, key: Obs, i: number): Series => sizeSeries(s, s.obs[key], i);

/** c(T): Monte Carlo points and the exact Kaufman curve of each size. */
function specificHeatPlot(f: FssStudyResult): string {
  const cSeries: Series[] = [];
  f.perL.forEach((s, i) => {
    const color = palette(i);
    cSeries.push({ ...dataSeries(s, 'c', i), line: 'none' });
    const T0 = s.temperatures[0];
    const T1 = s.temperatures[s.temperatures.length - 1];
    const curve = Array.from({ length: 121 }, (_, j) => T0 + ((T1 - T0) * j) / 120).map((T) => ({
      x: T,
      y: exactC(s.L, T, f.J),
    }));
    cSeries.push({ points: curve, color, line: 'dashed', marker: 'none' });
  });
  cSeries.push({ label: 'exact (Kaufman)', points: [], color: '#444', line: 'dashed', marker: 'none' });
  const vLines = [{ x: f.Tc, label: 'Tc' }];
  return renderSvg({ title: 'specific heat per site', xLabel: 'T', yLabel: 'c', series: cSeries, vLines });
}

/** U4(T). */
function binderPlot(f: FssStudyResult): string {
  const uSeries = f.perL.map((s, i) => dataSeries(s, 'binder', i));
  const vLines = [{ x: f.Tc, label: 'Tc' }];
  return renderSvg({ title: 'Binder cumulant', xLabel: 'T', yLabel: 'U4', series: uSeries, vLines });
}

/** ξ/L(T), drawn like U4: both are scale invariant at Tc, so the sizes cross there. */
function xiOverLPlot(f: FssStudyResult): string {
  const series = f.perL.map((s, i) => sizeSeries(s, s.xiOverL ?? [], i));
  const vLines = [{ x: f.Tc, label: 'Tc' }];
  return renderSvg({ title: 'second-moment correlation length over L', xLabel: 'T', yLabel: 'xi/L', series, vLines });
}

/** c_max vs ln L: data, weighted fit, a line of the exact slope through the weighted centroid, exact peaks. */
function cMaxPlot(f: FssStudyResult): string {
  const cSizes = f.cFitSizes;
  const cmax: Series[] = [
    {
      label: 'Monte Carlo',
      points: cSizes.map((s) => ({ x: Math.log(s.L), y: s.cPeak.height.mean, err: s.cPeak.height.err })),
      line: 'none',
    },
    {
      label: 'exact peak (Kaufman)',
      points: f.perL.map((s) => ({ x: Math.log(s.L), y: s.exactPeak.c })),
      line: 'none',
      marker: 'open',
    },
  ];
  if (f.cFit && cSizes.length >= 2) {
    const xs = [Math.log(cSizes[0].L), Math.log(cSizes[cSizes.length - 1].L)];
    const slope = f.cFit.slope.mean;
    const icpt = f.cFit.intercept.mean;
    cmax.push({
      label: `fit: slope ${slope.toFixed(3)}`,
      points: xs.map((x) => ({ x, y: icpt + slope * x })),
      marker: 'none',
    });
    const w = cSizes.map((s) => 1 / s.cPeak.height.err ** 2);
    const W = w.reduce((a, b) => a + b, 0);
    const xm = cSizes.reduce((a, s, i) => a + w[i] * Math.log(s.L), 0) / W;
    const ym = cSizes.reduce((a, s, i) => a + w[i] * s.cPeak.height.mean, 0) / W;
    cmax.push({
      label: `slope 8Kc²/π = ${EXACT_C_SLOPE.toFixed(4)}`,
      points: xs.map((x) => ({ x, y: ym + EXACT_C_SLOPE * (x - xm) })),
      line: 'dashed',
      marker: 'none',
    });
  }
  return renderSvg({ title: 'specific-heat peak', xLabel: 'ln L', yLabel: 'c_max', series: cmax });
}

/** chi_max vs L, log-log. */
function chiMaxPlot(f: FssStudyResult): string {
  const chiSizes = f.chiFitSizes;
  const chimax: Series[] = [
    {
      label: 'Monte Carlo',
      points: chiSizes.map((s) => ({ x: s.L, y: s.chiPeak.height.mean, err: s.chiPeak.height.err })),
      line: 'none',
    },
  ];
  if (f.chiFit && chiSizes.length >= 2) {
    const Ls = [chiSizes[0].L, chiSizes[chiSizes.length - 1].L];
    const g = f.chiFit.gamma_over_nu.mean;
    const a = f.chiFit.log_amplitude.mean;
    chimax.push({
      label: `fit: gamma/nu ${g.toFixed(3)}`,
      points: Ls.map((L) => ({ x: L, y: Math.exp(a + g * Math.log(L)) })),
      marker: 'none',
    });
    const w = chiSizes.map((s) => (s.chiPeak.height.mean / s.chiPeak.height.err) ** 2);
    const W = w.reduce((acc, b) => acc + b, 0);
    const xm = chiSizes.reduce((acc, s, i) => acc + w[i] * Math.log(s.L), 0) / W;
    const ym = chiSizes.reduce((acc, s, i) => acc + w[i] * Math.log(s.chiPeak.height.mean), 0) / W;
    chimax.push({
      label: 'slope 7/4',
      points: Ls.map((L) => ({ x: L, y: Math.exp(ym + 1.75 * (Math.log(L) - xm)) })),
      line: 'dashed',
      marker: 'none',
    });
  }
  return renderSvg({
    title: 'susceptibility peak',
    xLabel: 'L',
    yLabel: 'chi_max',
    xScale: 'log',
    yScale: 'log',
    xTicks: f.perL.map((s) => s.L),
    series: chimax,
  });
}

/** The four plots as SVG text, and ξ/L(T) when every size has ξ/L. */
export function fssPlots(f: FssStudyResult): Record<FssPlotName, string> & { xi_over_L?: string } {
  const plots = { c: specificHeatPlot(f), binder: binderPlot(f), c_max: cMaxPlot(f), chi_max: chiMaxPlot(f) };
  return f.xiCrossings ? { ...plots, xi_over_L: xiOverLPlot(f) } : plots;
}
