/**
 * The points the free-energy equations sum over, built from the prepared runs: the energies
 * histogrammed on their grid E_min + k·step when they sit on one (exact, since only E enters
 * the weights; O(#distinct energies × K) per iteration), or one point per sample otherwise.
 * Each comes with a builder of the leave-one-block-out points of jackknife sample b.
 */
import { channelValue, type Channel, type Points } from './points.ts';
import { forEachSample, type PreparedRun } from './runs.ts';
import type { MultipleHistogramOptions } from './types.ts';

/** The energy grid, when there is one. */
export interface EnergyGrid {
  min: number;
  step: number;
}

/** The full-data points and the builder of the points without block b. */
export interface PointSet {
  full: Points;
  without: (b: number) => Points;
}

/** Approximate GCD of non-negative offsets with absolute tolerance tol. */
function floatGcd(a: number, b: number, tol: number): number {
  let x = Math.max(a, b);
  let y = Math.min(a, b);
  while (y > tol) {
    let r = x % y;
    if (y - r <= tol) r = 0;
    x = y;
    y = r;
  }
  return x;
}

/**
 * Grid of the energies: { min, step } when every distinct value is
 * min + k·step to 1e-7·step (and 1e-9 of the energy scale), else null.
 */
function detectGrid(distinct: number[], forcedStep: number | undefined): EnergyGrid | null {
  const sorted = distinct.slice().sort((a, b) => a - b);
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  const scale = Math.max(Math.abs(min), Math.abs(max), max - min, 1e-300);
  let step: number;
  if (forcedStep !== undefined) {
    if (!(forcedStep > 0) || !Number.isFinite(forcedStep))
      throw new RangeError(`energyStep must be a positive number, got ${forcedStep}`);
    step = forcedStep;
  } else if (sorted.length === 1) {
    return { min, step: 1 };
  } else {
    const tol = 1e-9 * scale;
    step = sorted[1] - min;
    for (let i = 2; i < sorted.length; i++) {
      step = floatGcd(step, sorted[i] - min, tol);
      if (step <= tol) return null;
    }
    if (step < (max - min) * 1e-8) return null;
  }
  for (const v of sorted) {
    const q = (v - min) / step;
    if (Math.abs(q - Math.round(q)) > 1e-7 || Math.abs(q - Math.round(q)) * step > 1e-9 * scale) return null;
  }
  return { min, step };
}

/**
 * The grid of the runs' energies per options.histogram ('never': null; 'auto': only with at
 * most half as many distinct energies as samples); throws when a grid was required but is missing.
 */
export function findGrid(
  prepared: readonly PreparedRun[],
  options: Pick<MultipleHistogramOptions, 'histogram' | 'energyStep'>,
  totalSamples: number,
): EnergyGrid | null {
  const mode = options.histogram ?? 'auto';
  if (mode === 'never') return null;
  const required = mode === 'always' || options.energyStep !== undefined;
  const distinct = new Set<number>();
  const cap = required ? Infinity : totalSamples / 2;
  let tooMany = false;
  for (const p of prepared) {
    for (const s of p.energy) {
      for (let i = 0; i < s.length && !tooMany; i++) {
        distinct.add(s[i]);
        if (distinct.size > cap) tooMany = true;
      }
    }
  }
  const grid = tooMany ? null : detectGrid([...distinct], options.energyStep);
  if (!grid && required) {
    throw new RangeError(
      'multipleHistogram: histogramming requested, but the energies are not on a common grid' +
        (options.energyStep !== undefined ? ` of step ${options.energyStep}` : ''),
    );
  }
  return grid;
}

/** Histogram points: per block b and bin u, Σ 1/g_k, the sample count and Σ O/g_k of every channel. */
export function gridPoints(
  prepared: readonly PreparedRun[],
  grid: EnergyGrid,
  channels: Channel[],
  B: number,
): PointSet {
  const { min, step } = grid;
  const nB = Math.max(B, 1);
  const nC = channels.length;
  const binOf = new Map<number, number>();
  const binE: number[] = [];
  forEachSample(prepared, B, (E) => {
    const k = Math.round((E - min) / step);
    if (!binOf.has(k)) {
      binOf.set(k, binE.length);
      binE.push(min + k * step);
    }
  });
  const U = binE.length;
  const Wb = Array.from({ length: nB }, () => new Float64Array(U));
  const Nb = Array.from({ length: nB }, () => new Float64Array(U));
  const Sb = Array.from({ length: nC }, () => Array.from({ length: nB }, () => new Float64Array(U)));
  forEachSample(prepared, B, (E, b, p, r, i) => {
    const u = binOf.get(Math.round((E - min) / step)) as number;
    const w = 1 / p.g;
    Wb[b][u] += w;
    Nb[b][u] += 1;
    for (let ch = 0; ch < nC; ch++) Sb[ch][b][u] += w * channelValue(channels[ch].kind, p.chans[ch][r][i]);
  });
  const sumExcept = (arrs: Float64Array[], skip: number): Float64Array => {
    const out = new Float64Array(U);
    arrs.forEach((a, b) => {
      if (b !== skip) for (let u = 0; u < U; u++) out[u] += a[u];
    });
    return out;
  };
  const Ebin = Float64Array.from(binE);
  const build = (skip: number): Points => ({
    E: Ebin,
    w: sumExcept(Wb, skip),
    n: sumExcept(Nb, skip),
    S: Sb.map((arrs) => sumExcept(arrs, skip)),
    block: null,
    skip: -1,
  });
  return { full: build(-1), without: build };
}

/** One point per sample, tagged with its block; jackknife sample b skips the points of block b. */
export function samplePoints(
  prepared: readonly PreparedRun[],
  channels: Channel[],
  B: number,
  totalSamples: number,
): PointSet {
  const nC = channels.length;
  const E = new Float64Array(totalSamples);
  const w = new Float64Array(totalSamples);
  const block = new Int32Array(totalSamples);
  const S = Array.from({ length: nC }, () => new Float64Array(totalSamples));
  let u = 0;
  forEachSample(prepared, B, (e, b, p, r, i) => {
    E[u] = e;
    w[u] = 1 / p.g;
    block[u] = b;
    for (let ch = 0; ch < nC; ch++) S[ch][u] = w[u] * channelValue(channels[ch].kind, p.chans[ch][r][i]);
    u++;
  });
  const full: Points = { E, w, n: null, S, block: B > 0 ? block : null, skip: -1 };
  return { full, without: (b) => ({ ...full, skip: b }) };
}
