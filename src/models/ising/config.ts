/**
 * The parameters of a batch of Ising lattices, their validation, and the acceptance-threshold
 * tables per temperature slot (the threshold rule itself is src/params/thresholds.ts).
 */

import { MAX_SEED } from '../../rng/streams.ts';
import { checkParameter as check } from '../../params/errors.ts';
import { checkEnergyScale, checkSlots, checkTemperatures } from '../../params/checks.ts';
import { probabilityThreshold } from '../../params/thresholds.ts';
import { N_CLASSES, classIndex } from './layout.ts';
import { checkCouplings, type Couplings } from './couplings.ts';

export type Algorithm = 'metropolis' | 'heatbath' | 'swendsen-wang' | 'wolff';
export const ALGORITHMS: readonly Algorithm[] = ['metropolis', 'heatbath', 'swendsen-wang', 'wolff'];
/** The cluster updates (src/models/ising/cluster/); the others are checkerboard single-spin updates. */
export type ClusterAlgorithm = 'swendsen-wang' | 'wolff';
export const isClusterAlgorithm = (a: Algorithm): a is ClusterAlgorithm => a === 'swendsen-wang' || a === 'wolff';

/** Initial state: random, all up, or given spins (±1, length replicas·Lx·Ly, replica-major). */
export type InitialState = 'hot' | 'cold' | Int8Array;

/** What a sampler is built from. */
export interface IsingConfig {
  Lx: number;
  Ly: number;
  /** Number of independent lattices advanced together (default 1). */
  replicas?: number;
  /** Coupling J (default 1). */
  J?: number;
  /** Field h (default 0). */
  h?: number;
  /** Temperature of each slot (T > 0). */
  temperatures: number[];
  /** Temperature slot of each replica (default r mod K). */
  slots?: number[];
  algorithm?: Algorithm;
  seed?: number;
  init?: InitialState;
  /**
   * ±J couplings, one set per disorder sample (default: none, the ferromagnet). Replica r uses
   * sample floor(r / (replicas / samples)); replicas / samples must be a multiple of K.
   */
  couplings?: readonly Couplings[];
  /**
   * Philox replica index of replica 0 (default 0): replica r draws its words as replica
   * replicaBase + r and chain c as chain replicaBase / K + c, so a batch that is a slice of a
   * larger one (a shard of a disorder average) runs exactly that slice. A multiple of K.
   */
  replicaBase?: number;
}

/** An IsingConfig with defaults filled in and everything checked. */
export interface ResolvedIsingConfig {
  Lx: number;
  Ly: number;
  replicas: number;
  J: number;
  h: number;
  temperatures: number[];
  slots: number[];
  algorithm: Algorithm;
  seed: number;
  init: InitialState;
  couplings?: readonly Couplings[];
  replicaBase: number;
}

/** Most sites of one lattice (Lx·Ly), so the largest square side is MAX_SQUARE_L = 46340. */
export const MAX_SITES = 2 ** 31;
export const MAX_SQUARE_L = 2 * Math.floor(Math.sqrt(MAX_SITES) / 2);

/** Fill defaults and validate; throws ParameterError naming the offending parameter. */
export function resolveConfig(config: IsingConfig): ResolvedIsingConfig {
  const { Lx, Ly } = config;
  for (const [name, v] of [
    ['Lx', Lx],
    ['Ly', Ly],
  ] as const) {
    check(Number.isInteger(v) && v >= 2 && v % 2 === 0, name, `must be an even integer >= 2, got ${v}`);
  }
  check(Lx * Ly <= MAX_SITES, 'Lx*Ly', `must be at most 2^31 sites, got ${Lx * Ly}`);
  const replicas = config.replicas ?? 1;
  check(
    Number.isInteger(replicas) && replicas >= 1 && replicas <= 65535,
    'replicas',
    `must be an integer in [1, 65535], got ${replicas}`,
  );
  const J = config.J ?? 1;
  const h = config.h ?? 0;
  check(Number.isFinite(J), 'J', `must be a finite number, got ${J}`);
  check(Number.isFinite(h), 'h', `must be a finite number, got ${h}`);
  checkTemperatures(config.temperatures);
  checkEnergyScale(J, h, config.temperatures);
  const K = config.temperatures.length;
  const slots = checkSlots(config.slots ?? Array.from({ length: replicas }, (_, r) => r % K), replicas, K);
  const algorithm = config.algorithm ?? 'metropolis';
  check(ALGORITHMS.includes(algorithm), 'algorithm', `must be one of ${ALGORITHMS.join(', ')}, got ${algorithm}`);
  check(
    algorithm !== 'wolff' || h === 0,
    'h',
    `must be 0 with algorithm wolff (use swendsen-wang in a field), got ${h}`,
  );
  const seed = config.seed ?? 1;
  check(
    Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED,
    'seed',
    `must be an integer in [0, ${MAX_SEED}], got ${seed}`,
  );
  const init = config.init ?? 'hot';
  if (init instanceof Int8Array) {
    check(
      init.length === replicas * Lx * Ly,
      'init',
      `spins must have replicas*Lx*Ly = ${replicas * Lx * Ly} entries, got ${init.length}`,
    );
    for (const s of init) check(s === 1 || s === -1, 'init', `spins must be +1 or -1, got ${s}`);
  } else {
    check(init === 'hot' || init === 'cold', 'init', `must be hot, cold or an Int8Array of spins, got ${String(init)}`);
  }
  const couplings = config.couplings;
  if (couplings) {
    checkDisorder(couplings, Lx, Ly, replicas, K);
    // The class index with couplings is a single-spin rule; other update algorithms do not read bonds.
    check(
      algorithm === 'metropolis' || algorithm === 'heatbath',
      'algorithm',
      `with ±J couplings must be metropolis or heatbath, got ${algorithm}`,
    );
  }
  const replicaBase = checkReplicaBase(config.replicaBase ?? 0, replicas, K, algorithm);
  return {
    Lx,
    Ly,
    replicas,
    J,
    h,
    temperatures: [...config.temperatures],
    slots,
    algorithm,
    seed,
    init,
    ...(couplings ? { couplings } : {}),
    replicaBase,
  };
}

/** The replica base: whole chains, Philox replica indices within u32, single-spin updates only. */
function checkReplicaBase(base: number, replicas: number, K: number, algorithm: Algorithm): number {
  check(
    Number.isInteger(base) && base >= 0 && base % K === 0 && base + replicas <= 2 ** 32,
    'replicaBase',
    `must be a multiple of the ${K} temperatures with replicaBase + replicas <= 2^32, got ${base}`,
  );
  check(
    base === 0 || !isClusterAlgorithm(algorithm),
    'replicaBase',
    `must be 0 with algorithm ${algorithm} (cluster words are keyed by the batch's replica index), got ${base}`,
  );
  return base;
}

/** Disorder samples must share the replicas evenly, in whole ladders of K slots. */
function checkDisorder(couplings: readonly Couplings[], Lx: number, Ly: number, replicas: number, K: number): void {
  const S = couplings.length;
  check(
    S >= 1 && replicas % S === 0,
    'couplings',
    `must be 1 to replicas sets dividing ${replicas} replicas, got ${S}`,
  );
  check(
    (replicas / S) % K === 0,
    'couplings',
    `give ${replicas / S} replicas per disorder sample, not a multiple of the ${K} temperatures`,
  );
  couplings.forEach((c, s) => {
    checkCouplings(c, Lx, Ly, `couplings[${s}]`);
  });
}

/** Replicas per disorder sample (all replicas when there are no couplings). */
export const replicasPerSample = (c: Pick<ResolvedIsingConfig, 'replicas' | 'couplings'>): number =>
  c.replicas / (c.couplings?.length ?? 1);

/**
 * Threshold table for one temperature: entry classIndex(spin, up) holds the threshold of flipping
 * a spin (0 = down, 1 = up) with `up` of its 4 neighbours up. ΔE = 2σ(J·S + h), σ = ±1, S = 2·up − 4.
 * Metropolis p = min(1, e^{−βΔE}); heat-bath (Glauber) p = 1/(1 + e^{βΔE}).
 */
function thresholdTable(algorithm: Algorithm, T: number, J: number, h: number): Uint32Array {
  const beta = 1 / T;
  const table = new Uint32Array(N_CLASSES);
  for (let spin = 0; spin <= 1; spin++) {
    const sigma = 2 * spin - 1;
    for (let up = 0; up <= 4; up++) {
      const dE = 2 * sigma * (J * (2 * up - 4) + h);
      const x = beta * dE;
      const p = algorithm === 'metropolis' ? (x <= 0 ? 1 : Math.exp(-x)) : 1 / (1 + Math.exp(x));
      table[classIndex(spin, up)] = probabilityThreshold(p);
    }
  }
  return table;
}

/** Threshold tables of all temperature slots, concatenated ([slot·N_CLASSES + class]). */
export function thresholdTables(
  algorithm: Algorithm,
  temperatures: readonly number[],
  J: number,
  h: number,
): Uint32Array {
  const out = new Uint32Array(temperatures.length * N_CLASSES);
  temperatures.forEach((T, k) => {
    out.set(thresholdTable(algorithm, T, J, h), k * N_CLASSES);
  });
  return out;
}

/** Energy per site from the integer bond sum and magnetisation: e = (−J·bonds − h·M)/N. */
export const energyPerSite = (bonds: number, M: number, J: number, h: number, N: number): number =>
  (-J * bonds - h * M) / N;

/** Parameters that can change between runs (slots must be given when K changes). */
export interface ParameterUpdate {
  J?: number;
  h?: number;
  temperatures?: number[];
  slots?: number[];
  algorithm?: Algorithm;
}

/** A config with some parameters changed, validated like a new one (slots must stay in range). */
export function updateConfig(config: ResolvedIsingConfig, p: ParameterUpdate): ResolvedIsingConfig {
  // init is not re-checked: it was used already and may be a large array.
  return { ...resolveConfig({ ...config, ...p, init: 'cold' }), init: config.init };
}
