/**
 * The perceptron samplers' configuration, validated and resolved once for both backends (the GPU
 * sampler no longer builds a CPU sampler to validate), the initial weights of the contract in
 * cpu-perceptron-sampler.ts, and the replica bookkeeping both samplers share.
 */

import { checkSlots, checkTemperatures } from '../../params/checks.ts';
import { MAX_SEED, STREAMS, randomWords, seedKey } from '../../rng/streams.ts';
import type { Dataset } from './datasets.ts';
import { checkPerceptronN } from './perceptron.ts';

export interface PerceptronSamplerConfig {
  /** The datasets (all of the same N, odd, and P). */
  datasets: Dataset[];
  /** Number of replicas (default datasets.length × temperatures.length). */
  replicas?: number;
  /** Dataset of each replica (default r mod D). */
  datasetOf?: number[];
  /** Temperature of each slot (T > 0). */
  temperatures: number[];
  /** Temperature slot of each replica (default floor(r / D) mod K). */
  slots?: number[];
  seed?: number;
  /** 'random' (stream WEIGHTS_INIT) or given ±1 weights, replica-major R×N. */
  init?: 'random' | Int8Array;
}

export interface ResolvedPerceptronConfig {
  N: number;
  P: number;
  replicas: number;
  datasets: Dataset[];
  datasetOf: number[];
  seed: number;
  temperatures: number[];
  slots: number[];
  init: 'random' | Int8Array;
}

/** Validate a config (RangeError naming the problem) and fill in its defaults. */
export function resolvePerceptronConfig(config: PerceptronSamplerConfig): ResolvedPerceptronConfig {
  const { datasets } = config;
  if (datasets.length < 1) throw new RangeError('datasets must hold at least one dataset');
  const N = datasets[0].N;
  const P = datasets[0].P;
  checkPerceptronN(N);
  for (const d of datasets) if (d.N !== N || d.P !== P) throw new RangeError('all datasets must share N and P');
  checkTemperatures(config.temperatures);
  const D = datasets.length;
  const K = config.temperatures.length;
  const R = config.replicas ?? D * K;
  if (!Number.isInteger(R) || R < 1) throw new RangeError(`replicas must be an integer >= 1, got ${R}`);
  const datasetOf = config.datasetOf ?? Array.from({ length: R }, (_, r) => r % D);
  if (datasetOf.length !== R) throw new RangeError(`datasetOf must have one entry per replica (${R})`);
  for (const d of datasetOf)
    if (!Number.isInteger(d) || d < 0 || d >= D)
      throw new RangeError(`datasetOf entries must be in [0, ${D - 1}], got ${d}`);
  const seed = config.seed ?? 1;
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED)
    throw new RangeError(`seed must be an integer in [0, ${MAX_SEED}]`);
  const slots = checkSlots(config.slots ?? Array.from({ length: R }, (_, r) => Math.floor(r / D) % K), R, K);
  const init = config.init ?? 'random';
  if (init instanceof Int8Array && init.length !== R * N) throw new RangeError(`init must have R·N = ${R * N} entries`);
  return {
    N,
    P,
    replicas: R,
    datasets,
    datasetOf: [...datasetOf],
    seed,
    temperatures: [...config.temperatures],
    slots,
    init,
  };
}

/** The initial weights (±1, replica-major R×N): given, or the top bits of the WEIGHTS_INIT stream. */
export function initialPerceptronWeights(c: ResolvedPerceptronConfig): Int8Array {
  const { N, replicas: R, init } = c;
  if (init instanceof Int8Array) return init.slice();
  const key = seedKey(c.seed);
  const words = new Uint32Array(4);
  const w = new Int8Array(R * N);
  for (let r = 0; r < R; r++) {
    for (let g = 0; 4 * g < N; g++) {
      randomWords(key, r, 0, 0, g, STREAMS.WEIGHTS_INIT, words);
      for (let k = 0; k < 4 && 4 * g + k < N; k++) w[r * N + 4 * g + k] = words[k] >>> 31 ? 1 : -1;
    }
  }
  return w;
}

/** What both perceptron samplers hold: the replicas, their datasets and temperature slots. */
/** What resumes a perceptron sampler exactly: its weights and the sweep counter the random words depend on. */
export interface PerceptronSamplerState {
  weights: Int8Array;
  sweepsDone: number;
}

export class PerceptronReplicas {
  readonly N: number;
  readonly P: number;
  readonly replicas: number;
  readonly datasets: Dataset[];
  readonly datasetOf: number[];
  readonly seed: number;
  temperatures: number[];
  slots: number[];
  sweepsDone = 0;

  constructor(c: ResolvedPerceptronConfig) {
    this.N = c.N;
    this.P = c.P;
    this.replicas = c.replicas;
    this.datasets = c.datasets;
    this.datasetOf = [...c.datasetOf];
    this.seed = c.seed;
    this.temperatures = [...c.temperatures];
    this.slots = [...c.slots];
  }

  /** Reassign temperature slots (replica exchange swaps slots, never weights). */
  setSlots(slots: readonly number[]): void {
    this.slots = checkSlots(slots, this.replicas, this.temperatures.length);
  }

  /** Check a saved state (weights ±1, R×N, and the sweep counter) before restoring it. */
  protected checkState(state: PerceptronSamplerState): void {
    const { replicas: R, N } = this;
    if (state.weights.length !== R * N)
      throw new RangeError(`weights must have R·N = ${R * N} entries, got ${state.weights.length}`);
    for (const w of state.weights) if (w !== 1 && w !== -1) throw new RangeError(`weights must be +1 or -1, got ${w}`);
    const t = state.sweepsDone;
    if (!(Number.isInteger(t) && t >= 0 && t < 2 ** 48))
      throw new RangeError(`sweepsDone must be in [0, 2^48), got ${t}`);
  }

  /** Change the temperatures (slots must stay in range or be given). */
  setTemperatures(temperatures: number[], slots?: number[]): void {
    checkTemperatures(temperatures);
    this.slots = checkSlots(slots ?? this.slots, this.replicas, temperatures.length);
    this.temperatures = [...temperatures];
  }
}
