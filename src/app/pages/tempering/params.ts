/**
 * URL parameters of the tempering page, with defaults and validation. Pure (no DOM, no GPU), so
 * the rules are testable in Node. A bad value throws a PageParamError that names the parameter.
 */

import { capped } from '../../shared/capped.ts';
import { numberParam, PageParamError } from '../../shared/url-params.ts';

export { PageParamError };
import { KERNEL_NAMES, kernelByName, type KernelName } from '../../../models/ising/kernels.ts';

export interface TemperingParams {
  /** Side of each square lattice. */
  L: number;
  /** Number of replicas = temperature slots (one ladder). */
  K: number;
  Tmin: number;
  Tmax: number;
  kernel: KernelName;
  /** Sweeps advanced (and measured, with exchanges) per animation frame. */
  sweepsPerFrame: number;
}

export const DEFAULT_PARAMS: Readonly<TemperingParams> = {
  L: 32,
  K: 8,
  Tmin: 1.8,
  Tmax: 3.2,
  kernel: 'checkerboard-u32',
  sweepsPerFrame: 4,
};

/** Bounds that keep the page responsive (a few MB of spins, K lattices on screen). */
const LIMITS = { L: [4, 1024], K: [2, 32], T: [0.05, 100], sweepsPerFrame: [1, 1024] } as const;

function integerIn(name: string, v: number, [lo, hi]: readonly [number, number], extra = ''): void {
  if (!Number.isInteger(v) || v < lo || v > hi) {
    throw new PageParamError(name, `${name} must be an integer${extra} in [${lo}, ${hi}], got ${v}`);
  }
}

/** Parse and check the page's parameters from a query string (location.search). */
export function parseTemperingParams(search: string | URLSearchParams): TemperingParams {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  const L = numberParam(params, 'L', DEFAULT_PARAMS.L);
  integerIn('L', L, LIMITS.L);
  if (L % 2 !== 0) throw new PageParamError('L', `L must be even (checkerboard updates), got ${L}`);
  const K = numberParam(params, 'K', DEFAULT_PARAMS.K);
  integerIn('K', K, LIMITS.K);
  const Tmin = numberParam(params, 'Tmin', DEFAULT_PARAMS.Tmin);
  const Tmax = numberParam(params, 'Tmax', DEFAULT_PARAMS.Tmax);
  const [tLo, tHi] = LIMITS.T;
  if (!(Tmin >= tLo && Tmin <= tHi)) throw new PageParamError('Tmin', `Tmin must be in [${tLo}, ${tHi}], got ${Tmin}`);
  if (!(Tmax >= tLo && Tmax <= tHi)) throw new PageParamError('Tmax', `Tmax must be in [${tLo}, ${tHi}], got ${Tmax}`);
  if (!(Tmax > Tmin)) throw new PageParamError('Tmax', `Tmax must be greater than Tmin = ${Tmin}, got ${Tmax}`);
  const kernelName = params.get('kernel') ?? DEFAULT_PARAMS.kernel;
  let kernel: KernelName;
  try {
    kernel = kernelByName(kernelName).name as KernelName;
  } catch {
    throw new PageParamError('kernel', `kernel must be one of ${KERNEL_NAMES.join(', ')}, got '${kernelName}'`);
  }
  const multiple = kernelByName(kernel).lxMultiple;
  if (L % multiple !== 0) {
    throw new PageParamError('L', `L must be a multiple of ${multiple} for kernel ${kernel}, got ${L}`);
  }
  const sweepsPerFrame = numberParam(params, 'sweepsPerFrame', DEFAULT_PARAMS.sweepsPerFrame);
  integerIn('sweepsPerFrame', sweepsPerFrame, LIMITS.sweepsPerFrame);
  return { L, K, Tmin, Tmax, kernel, sweepsPerFrame };
}

/** Largest ladder the CPU fallback runs (a few thousand sweeps a second in a worker). */
export const CPU_LIMITS = { L: 32, K: 12 } as const;

/** The parameters the CPU fallback runs, and a phrase per value it had to reduce. */
export function cpuParams(p: TemperingParams): { params: TemperingParams; reduced: string[] } {
  return capped(p, CPU_LIMITS);
}
