/**
 * A tiny SVG plotter: one x-y panel with linear or logarithmic axes, ticks, labels, series drawn as
 * polylines and/or markers with vertical error bars, vertical reference lines and a legend.
 * No dependencies; the output is a standalone SVG document.
 */

export type Scale = 'linear' | 'log';

export interface Point {
  x: number;
  y: number;
  /** One-sigma error of y (drawn as a bar from y − err to y + err). */
  err?: number;
}

export interface Series {
  label?: string;
  points: readonly Point[];
  /** CSS colour (default: the palette, by series index). */
  color?: string;
  /** Default 'solid'. */
  line?: 'solid' | 'dashed' | 'none';
  /** Default 'filled'. */
  marker?: 'filled' | 'open' | 'none';
}

export interface PlotSpec {
  title?: string;
  xLabel: string;
  yLabel: string;
  xScale?: Scale;
  yScale?: Scale;
  series: readonly Series[];
  /** Tick values of the x axis (default: automatic). */
  xTicks?: readonly number[];
  /** Vertical dashed lines, e.g. a critical temperature. */
  vLines?: readonly { x: number; label?: string }[];
  width?: number;
  height?: number;
}

export const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#7f7f7f',
  '#bcbd22',
];

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (x: number): string => String(Math.round(x * 100) / 100);

/** Tick label: short, without float noise. */
function tickLabel(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1).replace('e+', 'e');
  return String(Number(v.toPrecision(6)));
}

/** About `count` round tick values (steps 1, 2, 5 × 10^k) covering [lo, hi]. */
export function linearTicks(lo: number, hi: number, count = 6): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++)
    out.push(k === 0 ? 0 : Number((k * step).toPrecision(12)));
  return out;
}

/** Ticks of a log axis: decades, with 2 and 5 (or every integer mantissa) when few decades show. */
export function logTicks(lo: number, hi: number): number[] {
  const d0 = Math.floor(Math.log10(lo));
  const d1 = Math.ceil(Math.log10(hi));
  const decades = Math.log10(hi / lo);
  const mantissas = decades > 3 ? [1] : decades > 1 ? [1, 2, 5] : [1, 1.5, 2, 3, 4, 5, 6, 8];
  const out: number[] = [];
  for (let d = d0; d <= d1; d++) {
    for (const m of mantissas) {
      const v = m * 10 ** d;
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(Number(v.toPrecision(12)));
    }
  }
  return out;
}

interface Axis {
  lo: number;
  hi: number;
  scale: Scale;
}

/** Data range of values (padded by 5%), positive only on a log axis. */
function axisRange(values: number[], scale: Scale): Axis {
  const v = values.filter((x) => Number.isFinite(x) && (scale === 'linear' || x > 0));
  if (v.length === 0) return { lo: scale === 'log' ? 1 : 0, hi: scale === 'log' ? 10 : 1, scale };
  let lo = Math.min(...v);
  let hi = Math.max(...v);
  if (scale === 'log') {
    const pad = (Math.log10(hi) - Math.log10(lo) || 1) * 0.05;
    return { lo: lo / 10 ** pad, hi: hi * 10 ** pad, scale };
  }
  if (hi === lo) {
    lo -= Math.abs(lo) * 0.1 || 1;
    hi += Math.abs(hi) * 0.1 || 1;
  }
  const pad = (hi - lo) * 0.05;
  return { lo: lo - pad, hi: hi + pad, scale };
}

/** The panel of a plot: size, margins, axes and the maps from data to pixels. */
interface Frame {
  W: number;
  H: number;
  m: { left: number; right: number; top: number; bottom: number };
  pw: number;
  ph: number;
  xs: 'linear' | 'log';
  ys: 'linear' | 'log';
  xAxis: Axis;
  yAxis: Axis;
  X: (v: number) => number;
  Y: (v: number) => number;
  /** A point that can be drawn (finite, positive on a log axis). */
  ok: (p: Point) => boolean;
}

function frameOf(spec: PlotSpec): Frame {
  const W = spec.width ?? 640;
  const H = spec.height ?? 440;
  const m = { left: 70, right: 20, top: spec.title ? 36 : 16, bottom: 52 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const xs: 'linear' | 'log' = spec.xScale ?? 'linear';
  const ys: 'linear' | 'log' = spec.yScale ?? 'linear';
  const pts = spec.series.flatMap((s) => s.points);
  const xAxis = axisRange([...pts.map((p) => p.x), ...(spec.vLines ?? []).map((v) => v.x)], xs);
  const yAxis = axisRange(
    pts.flatMap((p) => (p.err && Number.isFinite(p.err) ? [p.y - p.err, p.y + p.err] : [p.y])),
    ys,
  );
  const t = (a: Axis, v: number): number =>
    a.scale === 'log' ? (Math.log(v) - Math.log(a.lo)) / (Math.log(a.hi) - Math.log(a.lo)) : (v - a.lo) / (a.hi - a.lo);
  const X = (v: number): number => m.left + t(xAxis, v) * pw;
  const Y = (v: number): number => m.top + (1 - t(yAxis, v)) * ph;
  const ok = (p: Point): boolean =>
    Number.isFinite(p.x) && Number.isFinite(p.y) && (xs === 'linear' || p.x > 0) && (ys === 'linear' || p.y > 0);

  return { W, H, m, pw, ph, xs, ys, xAxis, yAxis, X, Y, ok };
}

/** Ticks, grid, frame and axis labels. */
function axesParts(spec: PlotSpec, f: Frame): string[] {
  const { H, m, pw, ph, xs, ys, xAxis, yAxis, X, Y } = f;
  const parts: string[] = [];
  const xt =
    spec.xTicks?.filter((v) => v >= xAxis.lo && v <= xAxis.hi) ??
    (xs === 'log' ? logTicks(xAxis.lo, xAxis.hi) : linearTicks(xAxis.lo, xAxis.hi));
  const yt = ys === 'log' ? logTicks(yAxis.lo, yAxis.hi) : linearTicks(yAxis.lo, yAxis.hi);
  for (const v of xt) {
    const x = num(X(v));
    parts.push(`<line x1="${x}" y1="${m.top}" x2="${x}" y2="${m.top + ph}" stroke="#eee"/>`);
    parts.push(`<line x1="${x}" y1="${m.top + ph}" x2="${x}" y2="${m.top + ph + 5}" stroke="black"/>`);
    parts.push(`<text x="${x}" y="${m.top + ph + 18}" text-anchor="middle">${esc(tickLabel(v))}</text>`);
  }
  for (const v of yt) {
    const y = num(Y(v));
    parts.push(`<line x1="${m.left}" y1="${y}" x2="${m.left + pw}" y2="${y}" stroke="#eee"/>`);
    parts.push(`<line x1="${m.left - 5}" y1="${y}" x2="${m.left}" y2="${y}" stroke="black"/>`);
    parts.push(
      `<text x="${m.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${esc(tickLabel(v))}</text>`,
    );
  }
  parts.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="black"/>`);
  parts.push(`<text x="${m.left + pw / 2}" y="${H - 12}" text-anchor="middle">${esc(spec.xLabel)}</text>`);
  parts.push(
    `<text x="16" y="${m.top + ph / 2}" text-anchor="middle" transform="rotate(-90 16 ${m.top + ph / 2})">${esc(spec.yLabel)}</text>`,
  );

  return parts;
}

/** Vertical marker lines (e.g. Tc), inside the clipped panel. */
function vLineParts(spec: PlotSpec, f: Frame): string[] {
  const { m, ph, X } = f;
  const parts: string[] = [];
  for (const v of spec.vLines ?? []) {
    if (!Number.isFinite(v.x)) continue;
    const x = num(X(v.x));
    parts.push(`<line x1="${x}" y1="${m.top}" x2="${x}" y2="${m.top + ph}" stroke="#888" stroke-dasharray="3,3"/>`);
    if (v.label) parts.push(`<text x="${num(X(v.x) + 4)}" y="${m.top + 14}" fill="#555">${esc(v.label)}</text>`);
  }
  return parts;
}

/** Lines, error bars and markers of every series. */
function seriesParts(spec: PlotSpec, f: Frame): string[] {
  const { ys, yAxis, X, Y, ok } = f;
  const parts: string[] = [];
  spec.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length];
    const good = s.points.filter(ok);
    const line = s.line ?? 'solid';
    if (line !== 'none' && good.length > 1) {
      const dash = line === 'dashed' ? ' stroke-dasharray="6,4"' : '';
      const coords = good.map((p) => `${num(X(p.x))},${num(Y(p.y))}`).join(' ');
      parts.push(`<polyline points="${coords}" fill="none" stroke="${color}" stroke-width="1.5"${dash}/>`);
    }
    const bars = good
      .filter((p) => p.err !== undefined && Number.isFinite(p.err) && p.err > 0)
      .map((p) => {
        const lo = ys === 'log' ? Math.max(p.y - p.err!, yAxis.lo) : p.y - p.err!;
        const x = X(p.x);
        const [y0, y1] = [num(Y(lo)), num(Y(p.y + p.err!))];
        return `M${num(x)},${y0}V${y1}M${num(x - 3)},${y0}H${num(x + 3)}M${num(x - 3)},${y1}H${num(x + 3)}`;
      });
    if (bars.length > 0) parts.push(`<path d="${bars.join('')}" stroke="${color}" fill="none"/>`);
    const marker = s.marker ?? 'filled';
    if (marker !== 'none') {
      const fill = marker === 'filled' ? color : 'white';
      for (const p of good)
        parts.push(`<circle cx="${num(X(p.x))}" cy="${num(Y(p.y))}" r="3" fill="${fill}" stroke="${color}"/>`);
    }
  });
  return parts;
}

/** Data positions (points and samples along lines) in pixels, for placing the legend. */
function dataSamples(spec: PlotSpec, f: Frame): [number, number][] {
  const { X, Y, ok } = f;
  const samples: [number, number][] = [];
  for (const s of spec.series) {
    const good = s.points.filter(ok).map((p) => [X(p.x), Y(p.y)] as [number, number]);
    samples.push(...good);
    if ((s.line ?? 'solid') === 'none') continue;
    for (let j = 0; j + 1 < good.length; j++) {
      for (let f = 0.1; f < 1; f += 0.1)
        samples.push([good[j][0] + f * (good[j + 1][0] - good[j][0]), good[j][1] + f * (good[j + 1][1] - good[j][1])]);
    }
  }
  return samples;
}

/** Legend, in the corner of the panel that hides the fewest data (points and line samples). */
function legendParts(spec: PlotSpec, f: Frame): string[] {
  const { m, pw, ph } = f;
  const parts: string[] = [];
  const labelled = spec.series.map((s, i) => ({ s, i })).filter(({ s }) => s.label);
  if (labelled.length === 0) return parts;
  const lw = 34 + 7 * Math.max(...labelled.map(({ s }) => s.label!.length));
  const lh = labelled.length * 18 + 6;
  const samples = dataSamples(spec, f);
  const corners: [number, number][] = [
    [m.left + pw - lw - 8, m.top + 8],
    [m.left + 8, m.top + 8],
    [m.left + pw - lw - 8, m.top + ph - lh - 8],
    [m.left + 8, m.top + ph - lh - 8],
  ];
  const hidden = ([x, y]: [number, number]) =>
    samples.filter(([a, b]) => a >= x - 4 && a <= x + lw + 4 && b >= y - 4 && b <= y + lh + 4).length;
  const [lx, ly] = corners.reduce((best, c) => (hidden(c) < hidden(best) ? c : best));
  parts.push(`<rect x="${lx}" y="${ly}" width="${lw}" height="${lh}" fill="white" fill-opacity="0.85" stroke="#ccc"/>`);
  labelled.forEach(({ s, i }, row) => {
    const color = s.color ?? PALETTE[i % PALETTE.length];
    const y = ly + 14 + row * 18;
    if ((s.line ?? 'solid') !== 'none') {
      const dash = s.line === 'dashed' ? ' stroke-dasharray="6,4"' : '';
      parts.push(
        `<line x1="${lx + 6}" y1="${y}" x2="${lx + 26}" y2="${y}" stroke="${color}" stroke-width="1.5"${dash}/>`,
      );
    }
    if ((s.marker ?? 'filled') !== 'none') {
      parts.push(
        `<circle cx="${lx + 16}" cy="${y}" r="3" fill="${s.marker === 'open' ? 'white' : color}" stroke="${color}"/>`,
      );
    }
    parts.push(`<text x="${lx + 32}" y="${y}" dominant-baseline="middle">${esc(s.label!)}</text>`);
  });
  return parts;
}

/** Render a plot as an SVG document. */
export function renderSvg(spec: PlotSpec): string {
  const f = frameOf(spec);
  const { W, H, m, pw, ph } = f;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect x="0" y="0" width="${W}" height="${H}" fill="white"/>`,
  ];
  if (spec.title) parts.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="14">${esc(spec.title)}</text>`);
  parts.push(...axesParts(spec, f));
  // Clip the data to the panel.
  parts.push(
    `<defs><clipPath id="panel"><rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}"/></clipPath></defs>`,
  );
  parts.push('<g clip-path="url(#panel)">', ...vLineParts(spec, f), ...seriesParts(spec, f), '</g>');
  parts.push(...legendParts(spec, f), '</svg>');
  return `${parts.join('\n')}\n`;
}
