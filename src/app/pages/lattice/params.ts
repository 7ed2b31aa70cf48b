/** The lattice page's state in the URL hash (#L=…&T=…&h=…&J=…&seed=…&alg=…&init=…&spf=…&kernel=…&display=clusters&paused=1&steps=N). */

import { KERNEL_NAMES, type KernelName } from '../../../models/ising/kernels.ts';
import { ALGORITHMS, type Algorithm, type IsingConfig, isClusterAlgorithm } from '../../../models/ising/config.ts';
import { EXPERIMENT_NAMES, type ExperimentName, isExperiment } from './experiments.ts';

export const L_CHOICES = [16, 32, 64, 128, 256, 512, 1024, 2048, 4096] as const;
export type InitName = 'hot' | 'cold' | 'half';
/** What the canvas shows: the spins, or the clusters of the last Swendsen–Wang step. */
export const DISPLAYS = ['spins', 'clusters'] as const;
export type Display = (typeof DISPLAYS)[number];

export interface LatticeParams {
  L: number;
  T: number;
  h: number;
  J: number;
  seed: number;
  alg: Algorithm;
  init: InitName;
  /** Sweeps per frame, or 'auto' (keeps the frame near 60 fps). */
  spf: number | 'auto';
  kernel: KernelName;
  display: Display;
  paused: boolean;
  /** Single steps performed at load. */
  steps: number;
  /** The one-click experiment running (it sets T, h and the start; experiments.ts). */
  exp?: ExperimentName;
}

export const DEFAULTS: LatticeParams = {
  L: 1024,
  T: 2.3,
  h: 0,
  J: 1,
  seed: 1,
  alg: 'metropolis',
  init: 'hot',
  spf: 'auto',
  kernel: 'checkerboard-u32',
  display: 'spins',
  paused: false,
  steps: 0,
};

/** A bad hash parameter; the message names it. */
class HashParamError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

function num(name: string, raw: string, ok: (v: number) => boolean, what: string): number {
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || !ok(v))
    throw new HashParamError(name, `bad URL parameter ${name}=${raw}: must be ${what}`);
  return v;
}

/** Parses a hash; bad parameters keep their defaults and are reported in `errors`. */
export function parseHash(hash: string): { params: LatticeParams; errors: HashParamError[] } {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const p: LatticeParams = { ...DEFAULTS };
  const errors: HashParamError[] = [];
  const known = new Set([
    'L',
    'T',
    'h',
    'J',
    'seed',
    'alg',
    'init',
    'spf',
    'kernel',
    'display',
    'paused',
    'steps',
    'exp',
  ]);
  for (const [key, raw] of q) {
    try {
      switch (key) {
        case 'L':
          p.L = num(
            key,
            raw,
            (v) => Number.isInteger(v) && v >= 4 && v <= 4096 && v % 4 === 0,
            'a multiple of 4 in [4, 4096]',
          );
          break;
        case 'T':
          p.T = num(key, raw, (v) => v > 0 && v <= 100, 'a number in (0, 100]');
          break;
        case 'h':
          p.h = num(key, raw, (v) => Math.abs(v) <= 10, 'a number in [-10, 10]');
          break;
        case 'J':
          p.J = num(key, raw, (v) => Math.abs(v) <= 10 && v !== 0, 'a non-zero number in [-10, 10]');
          break;
        case 'seed':
          p.seed = num(key, raw, (v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32, 'an integer in [0, 2^32)');
          break;
        case 'steps':
          p.steps = num(key, raw, (v) => Number.isInteger(v) && v >= 0 && v <= 100000, 'an integer in [0, 100000]');
          break;
        case 'spf':
          p.spf =
            raw === 'auto'
              ? 'auto'
              : num(key, raw, (v) => Number.isInteger(v) && v >= 1 && v <= 1000, "'auto' or an integer in [1, 1000]");
          break;
        case 'alg':
          if (!(ALGORITHMS as readonly string[]).includes(raw))
            throw new HashParamError(key, `bad URL parameter alg=${raw}: must be one of ${ALGORITHMS.join(', ')}`);
          p.alg = raw as Algorithm;
          break;
        case 'init':
          if (raw !== 'hot' && raw !== 'cold' && raw !== 'half')
            throw new HashParamError(key, `bad URL parameter init=${raw}: must be hot, cold or half`);
          p.init = raw;
          break;
        case 'kernel':
          if (!(KERNEL_NAMES as readonly string[]).includes(raw))
            throw new HashParamError(key, `bad URL parameter kernel=${raw}: must be one of ${KERNEL_NAMES.join(', ')}`);
          p.kernel = raw as KernelName;
          break;
        case 'display':
          if (!(DISPLAYS as readonly string[]).includes(raw))
            throw new HashParamError(key, `bad URL parameter display=${raw}: must be one of ${DISPLAYS.join(', ')}`);
          p.display = raw as Display;
          break;
        case 'exp':
          if (!isExperiment(raw))
            throw new HashParamError(
              key,
              `bad URL parameter exp=${raw}: must be one of ${EXPERIMENT_NAMES.join(', ')}`,
            );
          p.exp = raw;
          break;
        case 'paused':
          if (raw !== '0' && raw !== '1')
            throw new HashParamError(key, `bad URL parameter paused=${raw}: must be 0 or 1`);
          p.paused = raw === '1';
          break;
        default:
          if (!known.has(key)) throw new HashParamError(key, `unknown URL parameter ${key}`);
      }
    } catch (e) {
      if (e instanceof HashParamError) errors.push(e);
      else throw e;
    }
  }
  if (p.alg === 'wolff' && p.h !== 0) {
    errors.push(new HashParamError('alg', `bad URL parameter alg=wolff: needs h=0 (use swendsen-wang in a field)`));
    p.alg = DEFAULTS.alg;
  }
  if (clusterDisplay(p)) {
    errors.push(new HashParamError('display', 'bad URL parameter display=clusters: needs alg=swendsen-wang'));
  }
  clusterKernel(p);
  return { params: p, errors };
}

/** One line per algorithm, shown under the algorithm control. */
export const ALGORITHM_NOTES: Record<Algorithm, string> = {
  metropolis: 'Metropolis: each spin flips with probability min(1, e^(−ΔE/T)), checkerboard half at a time.',
  heatbath: 'Heat bath: each spin is drawn afresh from its local Boltzmann weights, checkerboard half at a time.',
  'swendsen-wang':
    'Swendsen–Wang: bonds join aligned neighbours with probability 1 − e^(−2J/T), then every cluster takes a new random sign; fast at Tc.',
  wolff: 'Wolff: one cluster, grown from a random spin by the same bonds, flips per step (needs h = 0); fast at Tc.',
};

/** The line under the display control (shown with Swendsen–Wang only, like the control). */
export const CLUSTER_COLOURS_NOTE =
  'clusters: each colour is one Fortuin–Kasteleyn cluster of the last Swendsen–Wang step; the largest spans the lattice at Tc.';

/** Whether the canvas shows clusters now (the display says so and the algorithm is Swendsen–Wang). */
export function showsClusters(p: Pick<LatticeParams, 'alg' | 'display'>): boolean {
  return p.display === 'clusters' && p.alg === 'swendsen-wang';
}

/** The clusters display needs Swendsen–Wang: switches P back to spins otherwise; true when it changed. */
export function clusterDisplay(p: Pick<LatticeParams, 'alg' | 'display'>): boolean {
  if (p.display !== 'clusters' || p.alg === 'swendsen-wang') return false;
  p.display = 'spins';
  return true;
}

/** The cluster updates run on the checkerboard-u32 kernel only: switches P to it; true when it changed. */
export function clusterKernel(p: Pick<LatticeParams, 'alg' | 'kernel'>): boolean {
  if (!isClusterAlgorithm(p.alg) || p.kernel === 'checkerboard-u32') return false;
  p.kernel = 'checkerboard-u32';
  return true;
}

/** The hash for a state (steps and paused are left out: they describe a load, not a state). */
export function formatHash(p: LatticeParams): string {
  const q = new URLSearchParams({
    L: String(p.L),
    T: String(p.T),
    h: String(p.h),
    J: String(p.J),
    seed: String(p.seed),
    alg: p.alg,
    init: p.init,
    spf: String(p.spf),
    kernel: p.kernel,
  });
  if (p.display !== 'spins') q.set('display', p.display);
  if (p.exp) q.set('exp', p.exp);
  return `#${q.toString()}`;
}

/** Spins of an initial state (±1, row-major). */
function initialSpins(init: InitName, L: number, seed: number): Int8Array {
  const s = new Int8Array(L * L);
  if (init === 'cold') s.fill(1);
  else if (init === 'half') for (let y = 0; y < L; y++) for (let x = 0; x < L; x++) s[y * L + x] = x < L / 2 ? 1 : -1;
  else {
    let r = (seed * 2654435761 + 12345) >>> 0;
    for (let i = 0; i < s.length; i++) {
      r ^= r << 13;
      r >>>= 0;
      r ^= r >>> 17;
      r ^= r << 5;
      r >>>= 0;
      s[i] = r & 1 ? 1 : -1;
    }
  }
  return s;
}

/** The physics of a page lattice (what the CPU worker is told). */
export type LatticePhysics = Pick<LatticeParams, 'L' | 'T' | 'J' | 'h' | 'seed' | 'alg' | 'init'>;

/** The one-replica sampler configuration of a page lattice; 'half' starts hot and is restored by halfStart(). */
export function samplerConfig(p: LatticePhysics): IsingConfig {
  return {
    Lx: p.L,
    Ly: p.L,
    temperatures: [p.T],
    J: p.J,
    h: p.h,
    seed: p.seed,
    algorithm: p.alg,
    init: p.init === 'cold' ? 'cold' : 'hot',
  };
}

/** The half-up half-down start, for an init the sampler config cannot say (undefined otherwise). */
export function halfStart(p: LatticePhysics): { spins: Int8Array; sweepsDone: number } | undefined {
  return p.init === 'half' ? { spins: initialSpins('half', p.L, p.seed), sweepsDone: 0 } : undefined;
}
