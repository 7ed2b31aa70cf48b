/**
 * Datasets of the weight replicas (Boltzmann sampling of learning machines): teacher–student and
 * random-label data, every number a pure function of (seed, dataset index, what, index) through
 * Philox on stream WEIGHTS_DATA (src/rng/streams.ts layout):
 *
 *   randomWords(seedKey(seed), dataset, sweep, phase, group, STREAMS.WEIGHTS_DATA)
 *
 *   phase 0  teacher w*            sweep 0
 *   phase 1  training inputs x_μ   sweep μ   (μ = 0 … P−1)
 *   phase 2  label noise / random labels of training example μ, sweep μ, group 0
 *   phase 3  test inputs           sweep offset + μ  (fresh test sets: choose another offset)
 *   phase 4  label noise of test example offset + μ, sweep offset + μ, group 0
 *
 * Within one vector (teacher or input) component j is drawn as follows:
 * - binary (±1): word (j & 3) of group (j >> 2); value +1 iff the word's top bit is 1
 *   (word >>> 31 === 1), else −1.
 * - Gaussian N(0, 1): Box–Muller, one normal per pair of words: component j uses group (j >> 1),
 *   words a = 2·(j & 1) and b = a + 1, u1 = (word_a + 1)/2^32 ∈ (0, 1], u2 = word_b/2^32 ∈ [0, 1),
 *   z = √(−2 ln u1) · cos(2π u2) (only the cosine branch; float64).
 * - Random ±1 labels: word 0 of group 0 (phase 2 or 4), +1 iff the top bit is 1.
 * - Label noise ξ (linear teacher): the Gaussian of component 0 of group 0 (words 0, 1).
 *
 * Labels of a teacher: y_μ = sign(w*·x_μ) with sign(0) = +1 (a tie can only happen with binary
 * teacher and inputs at even N; the perceptron requires N odd, so it never does), or for the linear
 * teacher y_μ = w*·x_μ/√N + σ ξ_μ.
 */

import { checkParameter } from '../../params/errors.ts';
import { STREAMS, randomWords, seedKey } from '../../rng/streams.ts';

export type InputKind = 'binary' | 'gaussian';
export type TeacherKind = 'binary' | 'gaussian';
/** 'teacher': y = sign(w*·x); 'random': y = ±1 at random; 'linear': y = w*·x/√N + σξ. */
export type LabelKind = 'teacher' | 'random' | 'linear';

export interface DatasetSpec {
  /** Number of inputs (weights). */
  N: number;
  /** Number of training examples (α·N, rounded by the caller). */
  P: number;
  inputs: InputKind;
  teacher: TeacherKind;
  labels: LabelKind;
  /** Label noise σ of the linear teacher (default 0). */
  noise?: number;
  seed: number;
  /** Index of this dataset among those of one seed (the Philox replica word). */
  index: number;
}

export interface Dataset {
  spec: Readonly<DatasetSpec>;
  N: number;
  P: number;
  /** Inputs, example-major: X[μ·N + j]. Binary inputs are exactly ±1. */
  X: Float64Array;
  /** Labels (±1 for 'teacher' and 'random', real for 'linear'). */
  y: Float64Array;
  /** The teacher w* (drawn for every label kind, so 'random' data still have one to compare to). */
  teacher: Float64Array;
}

const TWO32 = 2 ** 32;

/** Standard normal from two u32 words (Box–Muller, cosine branch; see the header). */
export function boxMuller(a: number, b: number): number {
  const u1 = (a + 1) / TWO32;
  const u2 = b / TWO32;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * A vector of n components of the given kind from (seed key, dataset, sweep, phase) on
 * WEIGHTS_DATA, per the header's component mapping.
 */
function dataVector(
  key: readonly [number, number],
  dataset: number,
  sweep: number,
  phase: number,
  kind: InputKind,
  n: number,
  out: Float64Array = new Float64Array(n),
  at = 0,
): Float64Array {
  const w = new Uint32Array(4);
  if (kind === 'binary') {
    for (let g = 0; 4 * g < n; g++) {
      randomWords(key, dataset, sweep, phase, g, STREAMS.WEIGHTS_DATA, w);
      for (let k = 0; k < 4 && 4 * g + k < n; k++) out[at + 4 * g + k] = w[k] >>> 31 ? 1 : -1;
    }
  } else {
    for (let g = 0; 2 * g < n; g++) {
      randomWords(key, dataset, sweep, phase, g, STREAMS.WEIGHTS_DATA, w);
      out[at + 2 * g] = boxMuller(w[0], w[1]);
      if (2 * g + 1 < n) out[at + 2 * g + 1] = boxMuller(w[2], w[3]);
    }
  }
  return out;
}

function checkSpec(spec: DatasetSpec): void {
  const { N, P, seed, index } = spec;
  if (!Number.isInteger(N) || N < 1) throw new RangeError(`N must be an integer >= 1, got ${N}`);
  if (!Number.isInteger(P) || P < 0) throw new RangeError(`P must be an integer >= 0, got ${P}`);
  if (!Number.isInteger(index) || index < 0 || index >= 2 ** 32)
    throw new RangeError(`index must be a u32, got ${index}`);
  seedKey(seed);
  if (spec.noise !== undefined && !(spec.noise >= 0 && Number.isFinite(spec.noise))) {
    throw new RangeError(`noise must be finite and >= 0, got ${spec.noise}`);
  }
}

/** The teacher w* of (seed, index). */
function teacherOf(spec: DatasetSpec): Float64Array {
  return dataVector(seedKey(spec.seed), spec.index, 0, 0, spec.teacher, spec.N);
}

/** Label of input x (at X[at…at+N)) with pre-activation h = w*·x; noise/random word from `phase`, `sweep`. */
function labelOf(
  spec: DatasetSpec,
  key: readonly [number, number],
  h: number,
  phase: number,
  sweep: number,
  w: Uint32Array,
): number {
  if (spec.labels === 'teacher') return h >= 0 ? 1 : -1;
  randomWords(key, spec.index, sweep, phase, 0, STREAMS.WEIGHTS_DATA, w);
  if (spec.labels === 'random') return w[0] >>> 31 ? 1 : -1;
  return h / Math.sqrt(spec.N) + (spec.noise ?? 0) * boxMuller(w[0], w[1]);
}

function examples(
  spec: DatasetSpec,
  teacher: Float64Array,
  count: number,
  first: number,
  inputPhase: number,
  labelPhase: number,
) {
  const { N } = spec;
  const key = seedKey(spec.seed);
  const X = new Float64Array(count * N);
  const y = new Float64Array(count);
  const w = new Uint32Array(4);
  for (let m = 0; m < count; m++) {
    dataVector(key, spec.index, first + m, inputPhase, spec.inputs, N, X, m * N);
    let h = 0;
    for (let j = 0; j < N; j++) h += teacher[j] * X[m * N + j];
    y[m] = labelOf(spec, key, h, labelPhase, first + m, w);
  }
  return { X, y };
}

/** The training set of a spec (deterministic from seed and index). */
export function generateDataset(spec: DatasetSpec): Dataset {
  checkSpec(spec);
  const teacher = teacherOf(spec);
  const { X, y } = examples(spec, teacher, spec.P, 0, 1, 2);
  return { spec: { ...spec }, N: spec.N, P: spec.P, X, y, teacher };
}

/** Most input entries (N × P × datasets) one study holds: 2^25 float64s, 256 MiB. */
export const MAX_DATASET_ENTRIES = 2 ** 25;

/** Refuse datasets too large to hold (N × P × count entries beyond MAX_DATASET_ENTRIES). */
export function checkDatasetSize(N: number, P: number, count: number): void {
  checkParameter(
    N * P * count <= MAX_DATASET_ENTRIES,
    'N x P x samples',
    `must be at most ${MAX_DATASET_ENTRIES} input entries (${MAX_DATASET_ENTRIES / 2 ** 17} MiB), got ${N} x ${P} x ${count}`,
  );
}

/**
 * A test set of `size` fresh examples from the same teacher and input distribution (phases 3, 4):
 * examples offset … offset + size − 1; disjoint offsets give independent test sets.
 */
export function generateTestSet(spec: DatasetSpec, size: number, offset = 0): { X: Float64Array; y: Float64Array } {
  checkSpec(spec);
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`size must be an integer >= 0, got ${size}`);
  return examples(spec, teacherOf(spec), size, offset, 3, 4);
}

/** Teacher–student spec with P = round(α N) (a convenience). */
export function teacherStudent(
  N: number,
  alpha: number,
  seed: number,
  index = 0,
  inputs: InputKind = 'binary',
  teacher: TeacherKind = 'binary',
): DatasetSpec {
  return { N, P: Math.round(alpha * N), inputs, teacher, labels: 'teacher', seed, index };
}
