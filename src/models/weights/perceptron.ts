/**
 * The binary perceptron as a statistical-mechanics system: weights w_i = ±1 (N odd), energy
 * H(w) = number of training examples with sign(w·x_μ) ≠ y_μ (an integer in [0, P]).
 *
 * An example counts as an error iff y_μ·h_μ ≤ 0, h_μ = w·x_μ (so h = 0 is an error; with binary
 * inputs and N odd h is an odd integer and never 0; with Gaussian inputs it is 0 with probability 0).
 * The local fields h_μ are kept and updated on a flip of w_i by h_μ −= 2 w_i x_μi (exact for
 * binary inputs, float64 rounding for Gaussian ones); ΔE of a flip is an integer in [−P, P].
 */

import type { Dataset } from './datasets.ts';

/** Error iff y·h ≤ 0. */
export const isError = (y: number, h: number): number => (y * h <= 0 ? 1 : 0);

/** Number of training errors of w on (X, y), from scratch. */
export function trainingErrors(w: ArrayLike<number>, X: Float64Array, y: Float64Array, N: number): number {
  const P = y.length;
  let e = 0;
  for (let m = 0; m < P; m++) {
    let h = 0;
    for (let j = 0; j < N; j++) h += w[j] * X[m * N + j];
    e += isError(y[m], h);
  }
  return e;
}

/** Test error (fraction of misclassified examples) of w on a test set. */
export function testError(w: ArrayLike<number>, test: { X: Float64Array; y: Float64Array }, N: number): number {
  return test.y.length === 0 ? 0 : trainingErrors(w, test.X, test.y, N) / test.y.length;
}

/** w·v. */
export function dot(w: ArrayLike<number>, v: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < w.length; j++) s += w[j] * v[j];
  return s;
}

/** Generalisation error for Gaussian (isotropic) inputs: ε = arccos(R)/π, R clamped to [−1, 1]. */
export const generalisationError = (R: number): number => Math.acos(Math.max(-1, Math.min(1, R))) / Math.PI;

/** Check N odd (binary perceptron). */
export function checkPerceptronN(N: number): void {
  if (!Number.isInteger(N) || N < 1 || N % 2 === 0)
    throw new RangeError(`the binary perceptron needs an odd N >= 1, got ${N}`);
}

/** One binary weight vector on one dataset, with its local fields and error count kept incrementally. */
export class PerceptronState {
  readonly N: number;
  readonly P: number;
  readonly w: Int8Array;
  /** h_μ = w·x_μ. */
  readonly fields: Float64Array;
  /** Current number of training errors. */
  errors = 0;

  constructor(
    readonly data: Dataset,
    w: ArrayLike<number>,
  ) {
    checkPerceptronN(data.N);
    this.N = data.N;
    this.P = data.P;
    if (w.length !== this.N) throw new RangeError(`weights must have N = ${this.N} entries, got ${w.length}`);
    this.w = new Int8Array(this.N);
    for (let j = 0; j < this.N; j++) {
      if (w[j] !== 1 && w[j] !== -1) throw new RangeError(`weights must be ±1, got ${w[j]}`);
      this.w[j] = w[j];
    }
    this.fields = new Float64Array(this.P);
    this.recompute();
  }

  /** Fields and errors from scratch. */
  recompute(): void {
    const { N, P, w, fields } = this;
    const { X, y } = this.data;
    let e = 0;
    for (let m = 0; m < P; m++) {
      let h = 0;
      for (let j = 0; j < N; j++) h += w[j] * X[m * N + j];
      fields[m] = h;
      e += isError(y[m], h);
    }
    this.errors = e;
  }

  /** ΔE of flipping w_i (integer, |ΔE| ≤ P), without changing anything. O(P). */
  deltaE(i: number): number {
    const { N, P, fields } = this;
    const { X, y } = this.data;
    const d = 2 * this.w[i];
    let dE = 0;
    for (let m = 0; m < P; m++) {
      const h = fields[m];
      dE += isError(y[m], h - d * X[m * N + i]) - isError(y[m], h);
    }
    return dE;
  }

  /** Flip w_i, updating fields (h_μ −= 2 w_i x_μi) and the error count by dE (from deltaE(i)). */
  flip(i: number, dE: number): void {
    const { N, P, fields } = this;
    const X = this.data.X;
    const d = 2 * this.w[i];
    for (let m = 0; m < P; m++) fields[m] -= d * X[m * N + i];
    this.w[i] = -this.w[i];
    this.errors += dE;
  }

  /** w·w* (an integer for a binary teacher). */
  teacherDot(): number {
    return dot(this.w, this.data.teacher);
  }
}
