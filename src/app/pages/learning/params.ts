/**
 * URL parameters of the learning view (learning.html): N (odd; default 49, drawn 7×7), alpha,
 * K temperatures (two chains of K replicas), Tmin, Tmax, seed, sweepsPerFrame, exchange (1: replica
 * exchange between neighbouring temperatures after every sweep, the default; 0: off). A bad value
 * throws a LearningParamError whose one-line message names the parameter.
 */

import { capped } from '../../shared/capped.ts';

export interface LearningParams {
  N: number;
  alpha: number;
  K: number;
  Tmin: number;
  Tmax: number;
  seed: number;
  sweepsPerFrame: number;
  exchange: boolean;
}

type NumericParam = Exclude<keyof LearningParams, 'exchange'>;

/**
 * N = 49 by default: with the default seed the coldest replica reaches R = 1 after 560 sweeps (the
 * GPU sampler is bit-identical to the CPU one, so on any device): about 5 s at 2 sweeps a frame and
 * 60 fps, within a minute down to 5 fps. N = 81 took 3100 sweeps, N = 625 showed R ≈ 0.3 after a minute.
 */
const LEARNING_DEFAULTS: Readonly<LearningParams> = {
  N: 49,
  alpha: 1.5,
  K: 8,
  Tmin: 0.1,
  Tmax: 3,
  seed: 1,
  sweepsPerFrame: 2,
  exchange: true,
};

export class LearningParamError extends Error {}

function num(q: URLSearchParams, name: NumericParam, ok: (v: number) => boolean, rule: string): number {
  const raw = q.get(name);
  if (raw === null || raw === '') return LEARNING_DEFAULTS[name];
  const v = Number(raw);
  if (!Number.isFinite(v) || !ok(v)) throw new LearningParamError(`bad parameter ${name}=${raw}: ${rule}`);
  return v;
}

function flag(q: URLSearchParams, name: 'exchange'): boolean {
  const raw = q.get(name);
  if (raw === null || raw === '') return LEARNING_DEFAULTS[name];
  if (['1', 'true', 'on'].includes(raw)) return true;
  if (['0', 'false', 'off'].includes(raw)) return false;
  throw new LearningParamError(`bad parameter ${name}=${raw}: ${name} must be 1 or 0`);
}

export function parseLearningParams(search: string): LearningParams {
  const q = new URLSearchParams(search);
  const int = (v: number): boolean => Number.isInteger(v);
  const N = num(q, 'N', (v) => int(v) && v >= 3 && v <= 4095 && v % 2 === 1, 'N must be an odd integer in [3, 4095]');
  const alpha = num(
    q,
    'alpha',
    (v) => v > 0 && v <= 20 && Math.round(v * N) >= 1,
    'alpha must be in (0, 20] with alpha·N >= 1',
  );
  const K = num(q, 'K', (v) => int(v) && v >= 2 && v <= 16, 'K must be an integer in [2, 16]');
  const Tmin = num(q, 'Tmin', (v) => v >= 0.01 && v <= 100, 'Tmin must be in [0.01, 100]');
  const Tmax = num(q, 'Tmax', (v) => v > Tmin && v <= 100, 'Tmax must be greater than Tmin and at most 100');
  const seed = num(q, 'seed', (v) => int(v) && v >= 0 && v <= Number.MAX_SAFE_INTEGER, 'seed must be an integer >= 0');
  const sweepsPerFrame = num(
    q,
    'sweepsPerFrame',
    (v) => int(v) && v >= 1 && v <= 1000,
    'sweepsPerFrame must be an integer in [1, 1000]',
  );
  const exchange = flag(q, 'exchange');
  return { N, alpha, K, Tmin, Tmax, seed, sweepsPerFrame, exchange };
}

/** Largest student and ladder the CPU fallback runs (N = 15²: tens of sweeps a second in a worker). */
export const CPU_LIMITS = { N: 225, K: 8 } as const;

/** The parameters the CPU fallback runs, and a phrase per value it had to reduce. */
export function cpuLearningParams(p: LearningParams): { params: LearningParams; reduced: string[] } {
  return capped(p, CPU_LIMITS);
}

/** Image shape of N weights: a square when N is one, else one row. */
export function imageShape(N: number): { w: number; h: number } {
  const s = Math.round(Math.sqrt(N));
  return s * s === N ? { w: s, h: s } : { w: N, h: 1 };
}

/** The β slider's log scale: position u ∈ [0, steps] ↔ β ∈ [lo, hi]. */
export class BetaScale {
  constructor(
    readonly lo: number,
    readonly hi: number,
    readonly steps = 1000,
  ) {
    if (!(lo > 0 && hi > lo)) throw new RangeError(`need 0 < lo < hi, got ${lo}, ${hi}`);
  }

  /** The ladder's range widened to at least [0.05, 20] (the exact panel's β axis). */
  static forLadder(Tmin: number, Tmax: number): BetaScale {
    return new BetaScale(Math.min(0.05, 1 / Tmax), Math.max(20, 1 / Tmin));
  }

  beta(u: number): number {
    return this.lo * (this.hi / this.lo) ** (Math.min(this.steps, Math.max(0, u)) / this.steps);
  }

  position(beta: number): number {
    return Math.round((this.steps * Math.log(beta / this.lo)) / Math.log(this.hi / this.lo));
  }
}

/** Index of the ladder temperature nearest to T in log T. */
export function nearestSlot(temperatures: readonly number[], T: number): number {
  let best = 0;
  for (let k = 1; k < temperatures.length; k++)
    if (Math.abs(Math.log(temperatures[k] / T)) < Math.abs(Math.log(temperatures[best] / T))) best = k;
  return best;
}
