/**
 * URL parameters of the spin-glass page, with defaults and validation. Pure (no DOM, no GPU), so
 * the rules are testable in Node. A bad value throws a PageParamError that names the parameter.
 */

import { geometricLadder } from '../../../tempering/ladder.ts';
import { capped } from '../../shared/capped.ts';
import { numberParam, PageParamError } from '../../shared/url-params.ts';

export { PageParamError };

export interface GlassParams {
  /** Side of the square lattice (two real replicas of one ±J sample). */
  L: number;
  /** Temperature of the pair shown (changed live on the page): the coldest slot of the ladder. */
  T: number;
  /** Temperatures of the tempering ladder under the hood (1: plain Metropolis at T). */
  K: number;
  /** Seed of the couplings (and of the run). */
  seed: number;
  /** Disorder sample index: sample s of `seed` (the `ising glass` numbering). */
  sample: number;
  /** Sweeps advanced (and measured) per animation frame. */
  sweepsPerFrame: number;
  /** Frustrated plaquettes marked on the images (1) or not (0). */
  frustration: boolean;
}

export const DEFAULT_GLASS_PARAMS: Readonly<GlassParams> = {
  L: 64,
  T: 1,
  K: 8,
  seed: 1,
  sample: 0,
  sweepsPerFrame: 4,
  frustration: true,
};

/** The temperature control's range (log scale on the panel). */
export const T_RANGE = [0.3, 4] as const;

const LIMITS = {
  L: [4, 512],
  K: [1, 32],
  seed: [0, 2 ** 32 - 1],
  sample: [0, 2 ** 32 - 1],
  sweepsPerFrame: [1, 256],
} as const;

function integerParam(params: URLSearchParams, name: keyof typeof LIMITS, fallback: number): number {
  const v = numberParam(params, name, fallback);
  const [lo, hi] = LIMITS[name];
  if (!Number.isInteger(v) || v < lo || v > hi)
    throw new PageParamError(name, `${name} must be an integer in [${lo}, ${hi}], got ${v}`);
  return v;
}

/** Parse and check the page's parameters from a query string (location.search). */
export function parseGlassParams(search: string | URLSearchParams): GlassParams {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  const d = DEFAULT_GLASS_PARAMS;
  const L = integerParam(params, 'L', d.L);
  if (L % 2 !== 0) throw new PageParamError('L', `L must be even (checkerboard updates), got ${L}`);
  const T = numberParam(params, 'T', d.T);
  if (!(T >= T_RANGE[0] && T <= T_RANGE[1]))
    throw new PageParamError('T', `T must be in [${T_RANGE[0]}, ${T_RANGE[1]}], got ${T}`);
  const flag = params.get('frustration') ?? (d.frustration ? '1' : '0');
  if (flag !== '0' && flag !== '1')
    throw new PageParamError('frustration', `frustration must be 0 or 1, got '${flag}'`);
  return {
    L,
    T,
    K: integerParam(params, 'K', d.K),
    seed: integerParam(params, 'seed', d.seed),
    sample: integerParam(params, 'sample', d.sample),
    sweepsPerFrame: integerParam(params, 'sweepsPerFrame', d.sweepsPerFrame),
    frustration: flag === '1',
  };
}

/** The page's URL query for `p` (the panel restarts the page with it). */
export function glassQuery(p: GlassParams): string {
  const { frustration, ...rest } = p;
  const entries = Object.entries(rest).map(([k, v]) => [k, String(v)]);
  return `?${new URLSearchParams([...entries, ['frustration', frustration ? '1' : '0']])}`;
}

/** Largest lattice and ladder the CPU fallback runs (a few hundred sweeps a second in a worker). */
export const GLASS_CPU_LIMITS = { L: 32, K: 8 } as const;

/** Hottest temperature of the ladder above T: hot enough for the 2D ±J glass to decorrelate in a few sweeps. */
export const ladderTop = (T: number): number => Math.max(2, 1.5 * T);

/** The ladder: K temperatures from T (the pair shown) to ladderTop(T), geometric; [T] when K = 1. */
export function glassLadder(T: number, K: number): number[] {
  return K === 1 ? [T] : geometricLadder(T, ladderTop(T), K);
}

/** The parameters the CPU fallback runs, and a phrase per value it had to reduce. */
export function glassCpuParams(p: GlassParams): { params: GlassParams; reduced: string[] } {
  return capped(p, GLASS_CPU_LIMITS);
}
