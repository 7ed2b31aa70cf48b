/** The lattice page's state in the URL hash (#L=…&T=…&h=…&J=…&seed=…&alg=…&init=…&spf=…&kernel=…&display=clusters&paused=1&steps=N). */

import { KERNEL_NAMES, type KernelName } from '../../../models/ising/kernels.ts';
import { ALGORITHMS, type Algorithm, type IsingConfig, isClusterAlgorithm } from '../../../models/ising/config.ts';
import { PageParamError } from '../../shared/url-params.ts';
import { EXPERIMENT_NAMES, type ExperimentName } from './experiments.ts';

export const L_CHOICES = [16, 32, 64, 128, 256, 512, 1024, 2048, 4096] as const;
export const INITS = ['hot', 'cold', 'half'] as const;
export type InitName = (typeof INITS)[number];
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

function num(name: string, raw: string, ok: (v: number) => boolean, what: string): number {
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || !ok(v))
    throw new PageParamError(name, `bad URL parameter ${name}=${raw}: must be ${what}`);
  return v;
}

/** `raw` if it is one of `values`, else PageParamError naming `name`. */
function choice<T extends string>(
  name: string,
  raw: string,
  values: readonly T[],
  what = `one of ${values.join(', ')}`,
): T {
  if (!(values as readonly string[]).includes(raw))
    throw new PageParamError(name, `bad URL parameter ${name}=${raw}: must be ${what}`);
  return raw as T;
}

const integerIn = (lo: number, hi: number) => (v: number) => Number.isInteger(v) && v >= lo && v <= hi;

/** How each hash parameter is read into the params; PageParamError names a bad value. */
const READERS: Record<string, (p: LatticeParams, name: string, raw: string) => void> = {
  L: (p, name, raw) => {
    p.L = num(name, raw, (v) => integerIn(4, 4096)(v) && v % 4 === 0, 'a multiple of 4 in [4, 4096]');
  },
  T: (p, name, raw) => {
    p.T = num(name, raw, (v) => v > 0 && v <= 100, 'a number in (0, 100]');
  },
  h: (p, name, raw) => {
    p.h = num(name, raw, (v) => Math.abs(v) <= 10, 'a number in [-10, 10]');
  },
  J: (p, name, raw) => {
    p.J = num(name, raw, (v) => Math.abs(v) <= 10 && v !== 0, 'a non-zero number in [-10, 10]');
  },
  seed: (p, name, raw) => {
    p.seed = num(name, raw, integerIn(0, 2 ** 32 - 1), 'an integer in [0, 2^32)');
  },
  steps: (p, name, raw) => {
    p.steps = num(name, raw, integerIn(0, 100000), 'an integer in [0, 100000]');
  },
  spf: (p, name, raw) => {
    p.spf = raw === 'auto' ? 'auto' : num(name, raw, integerIn(1, 1000), "'auto' or an integer in [1, 1000]");
  },
  alg: (p, name, raw) => {
    p.alg = choice(name, raw, ALGORITHMS);
  },
  init: (p, name, raw) => {
    p.init = choice(name, raw, INITS, 'hot, cold or half');
  },
  kernel: (p, name, raw) => {
    p.kernel = choice(name, raw, KERNEL_NAMES);
  },
  display: (p, name, raw) => {
    p.display = choice(name, raw, DISPLAYS);
  },
  exp: (p, name, raw) => {
    p.exp = choice(name, raw, EXPERIMENT_NAMES);
  },
  paused: (p, name, raw) => {
    p.paused = choice(name, raw, ['0', '1'], '0 or 1') === '1';
  },
};

/** Parses a hash; bad parameters keep their defaults and are reported in `errors`. */
export function parseHash(hash: string): { params: LatticeParams; errors: PageParamError[] } {
  const p: LatticeParams = { ...DEFAULTS };
  const errors: PageParamError[] = [];
  for (const [name, raw] of new URLSearchParams(hash.replace(/^#/, ''))) {
    try {
      if (!Object.hasOwn(READERS, name)) throw new PageParamError(name, `unknown URL parameter ${name}`);
      READERS[name](p, name, raw);
    } catch (e) {
      if (e instanceof PageParamError) errors.push(e);
      else throw e;
    }
  }
  errors.push(...combinationErrors(p));
  clusterKernel(p);
  return { params: p, errors };
}

/** Parameters that are each valid but not together; a refused algorithm falls back to the default. */
function combinationErrors(p: LatticeParams): PageParamError[] {
  const errors: PageParamError[] = [];
  if (p.alg === 'wolff' && p.h !== 0) {
    errors.push(new PageParamError('alg', `bad URL parameter alg=wolff: needs h=0 (use swendsen-wang in a field)`));
    p.alg = DEFAULTS.alg;
  }
  if (clusterDisplay(p)) {
    errors.push(new PageParamError('display', 'bad URL parameter display=clusters: needs alg=swendsen-wang'));
  }
  return errors;
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
