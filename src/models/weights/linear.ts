/**
 * The linear model with squared loss, continuous weights θ ∈ R^N:
 *   H(θ) = Σ_μ (θ·x_μ/√N − y_μ)² + λ|θ|²,   y_μ = θ*·x_μ/√N + σ ξ_μ  (datasets.ts, labels 'linear').
 *
 * Exact results. H = θᵀAθ − 2bᵀθ + c with A = XᵀX/N + λI, b = Xᵀy/√N, c = yᵀy, so with
 * θ₀ = A⁻¹b and H_min = c − bᵀA⁻¹b = H(θ₀), H = H_min + (θ−θ₀)ᵀA(θ−θ₀) and
 *   Z(β) = ∫ e^{−βH} dθ = e^{−βH_min} (π/β)^{N/2} det(A)^{−1/2},
 *   ln Z = −βH_min + (N/2) ln(π/β) − ½ ln det A,
 *   F(β) = −ln Z/β = H_min + (1/(2β)) [N ln(β/π) + ln det A]           (exact, for every β > 0),
 *   ⟨H⟩(β) = H_min + N/(2β),  posterior mean θ₀, covariance A⁻¹/(2β).
 * The Laplace form is exact here: F − H_min = (N/(2β)) ln(β/π) + ln det A/(2β) → 0 as β → ∞
 * (like ln β/β), and 2β(F − H_min) − N ln(β/π) = ln det A at every β.
 *
 * CPU Metropolis sampler (CpuLinearSampler): R replicas with temperature slots; one sweep s updates
 * coordinates i = 0 … N−1 in order. For coordinate i of replica r in sweep s:
 *   words = randomWords(seedKey(seed), r, s, 0, i, STREAMS.WEIGHTS_UPDATE)   (one Philox group per coordinate)
 *   z = boxMuller(words[0], words[1])  (datasets.ts: u1 = (w0+1)/2^32, u2 = w1/2^32, z = √(−2 ln u1) cos 2πu2)
 *   proposal θ_i → θ_i + d, d = δ_i z,  δ_i = scale[slot] / √(2β A_ii)   (A_ii = Σ_μ x_μi²/N + λ; 1/√(2βA_ii) is the
 *     conditional standard deviation of θ_i)
 *   ΔH = 2d (Σ_μ r_μ x_μi/√N + λθ_i) + d² A_ii,   r_μ = θ·x_μ/√N − y_μ (residuals, kept incrementally)
 *   accept iff words[2] < probabilityThreshold(min(1, e^{−βΔH})) (float64); words[3] unused.
 * Residuals are recomputed from scratch at every measurement (no drift). scale starts at 2.4 (≈ 44 %
 * acceptance for a 1-D Gaussian target); tune(blocks, sweepsPerBlock) adjusts it per slot during
 * thermalisation: after each block scale ← scale · clamp(a/0.45, 1/2, 2), a the block's acceptance of
 * that slot, which drives the acceptance to ~40–50 %. Tuning sweeps are thermalisation (they break
 * detailed balance); do not measure during them. Initial θ: zero, given, or 'random' with
 * θ_i = boxMuller(words 0, 1) of randomWords(key, r, 0, 0, i, STREAMS.WEIGHTS_INIT).
 */

import { MAX_SEED, STREAMS, randomWords, seedKey } from '../../rng/streams.ts';
import { checkSlots, checkTemperatures } from '../../params/checks.ts';
import { ParameterError } from '../../params/errors.ts';
import { probabilityThreshold } from '../../params/thresholds.ts';
import { checkSweepOptions } from '../run-options.ts';
import { boxMuller, type Dataset } from './datasets.ts';

import { cholesky, choleskyLogDet, choleskySolve } from '../../math/linalg.ts';

export interface LinearProblem {
  N: number;
  P: number;
  /** Inputs X[μ·N + i]. */
  X: Float64Array;
  y: Float64Array;
  lambda: number;
}

/** A linear problem from a dataset (any labels; 'linear' is the intended kind) and ridge λ ≥ 0. */
export function linearProblem(data: Dataset, lambda: number): LinearProblem {
  if (!(lambda >= 0 && Number.isFinite(lambda))) throw new RangeError(`lambda must be finite and >= 0, got ${lambda}`);
  return { N: data.N, P: data.P, X: data.X, y: data.y, lambda };
}

/** H(θ) from scratch. */
export function linearEnergy(pr: LinearProblem, theta: ArrayLike<number>): number {
  const { N, P, X, y, lambda } = pr;
  const s = 1 / Math.sqrt(N);
  let H = 0;
  for (let m = 0; m < P; m++) {
    let h = 0;
    for (let i = 0; i < N; i++) h += theta[i] * X[m * N + i];
    const r = h * s - y[m];
    H += r * r;
  }
  for (let i = 0; i < N; i++) H += lambda * theta[i] * theta[i];
  return H;
}

export interface LinearExact {
  N: number;
  /** A = XᵀX/N + λI (row-major), b = Xᵀy/√N, c = yᵀy. */
  A: Float64Array;
  b: Float64Array;
  c: number;
  /** Cholesky factor of A. */
  L: Float64Array;
  /** θ₀ = A⁻¹b, the posterior mean at every β and the minimiser. */
  mean: Float64Array;
  /** H_min = c − bᵀA⁻¹b. */
  Hmin: number;
  logDetA: number;
  lnZ(beta: number): number;
  freeEnergy(beta: number): number;
  meanEnergy(beta: number): number;
  /** Posterior covariance A⁻¹/(2β), row-major. */
  covariance(beta: number): Float64Array;
}

/** Cholesky factor of A = XᵀX/N + λ; a singular A (λ = 0 without enough independent examples) is a parameter error. */
function choleskyOfProblem(A: Float64Array, N: number, P: number): Float64Array {
  try {
    return cholesky(A, N);
  } catch {
    throw new ParameterError(
      'lambda',
      `lambda must be > 0 for this dataset: XᵀX/N is singular (P = ${P}, N = ${N}: too few or dependent examples), so the Gibbs measure is improper`,
    );
  }
}

/** The exact Gibbs measure of the linear model (throws if A is not positive definite). */
export function linearExact(pr: LinearProblem): LinearExact {
  const { N, P, X, y, lambda } = pr;
  const A = new Float64Array(N * N);
  const b = new Float64Array(N);
  let c = 0;
  const s = 1 / Math.sqrt(N);
  for (let m = 0; m < P; m++) {
    const row = m * N;
    for (let i = 0; i < N; i++) {
      b[i] += X[row + i] * y[m] * s;
      for (let j = 0; j < N; j++) A[i * N + j] += (X[row + i] * X[row + j]) / N;
    }
    c += y[m] * y[m];
  }
  for (let i = 0; i < N; i++) A[i * N + i] += lambda;
  const L = choleskyOfProblem(A, N, P);
  const mean = choleskySolve(L, N, b);
  let bAb = 0;
  for (let i = 0; i < N; i++) bAb += b[i] * mean[i];
  const Hmin = c - bAb;
  const logDetA = choleskyLogDet(L, N);
  const lnZ = (beta: number) => -beta * Hmin + (N / 2) * Math.log(Math.PI / beta) - 0.5 * logDetA;
  return {
    N,
    A,
    b,
    c,
    L,
    mean,
    Hmin,
    logDetA,
    lnZ,
    freeEnergy: (beta) => -lnZ(beta) / beta,
    meanEnergy: (beta) => Hmin + N / (2 * beta),
    covariance: (beta) => {
      const C = new Float64Array(N * N);
      const e = new Float64Array(N);
      for (let j = 0; j < N; j++) {
        e.fill(0);
        e[j] = 1;
        const col = choleskySolve(L, N, e);
        for (let i = 0; i < N; i++) C[i * N + j] = col[i] / (2 * beta);
      }
      return C;
    },
  };
}

export interface LinearSamplerConfig {
  problem: LinearProblem;
  temperatures: number[];
  /** Default temperatures.length. */
  replicas?: number;
  /** Default r mod K. */
  slots?: number[];
  seed?: number;
  /** 'zero' (default), 'random' (stream WEIGHTS_INIT) or given θ, replica-major R×N. */
  init?: 'zero' | 'random' | Float64Array;
}

export interface LinearRunResult {
  sweeps: number;
  samples: number;
  replicas: number;
  /** H per sample and replica, [k·R + r]. */
  energy: Float64Array;
  /** Accepted moves per replica during the run. */
  accepted: Float64Array;
  /** Proposed moves per replica (sweeps·N). */
  proposed: number;
}

const TARGET_ACCEPTANCE = 0.45;

/**
 * One block of proposal-width tuning (the rule in this file's header, shared by the CPU and GPU
 * samplers): writes each slot's acceptance of the block into `rate` and scales its width by
 * clamp(rate/TARGET_ACCEPTANCE, 1/2, 2). Slots without replicas keep their width.
 */
export function tuneScales(
  scale: Float64Array,
  slots: readonly number[],
  block: { accepted: ArrayLike<number>; proposed: number },
  rate: Float64Array,
): void {
  const K = scale.length;
  const acc = new Float64Array(K);
  const n = new Float64Array(K);
  for (let r = 0; r < slots.length; r++) {
    acc[slots[r]] += block.accepted[r];
    n[slots[r]] += block.proposed;
  }
  for (let k = 0; k < K; k++) {
    if (n[k] === 0) continue;
    rate[k] = acc[k] / n[k];
    scale[k] *= Math.min(2, Math.max(0.5, rate[k] / TARGET_ACCEPTANCE));
  }
}

/** A config validated (RangeError naming the problem) with its defaults filled in: both linear samplers start here. */
export interface ResolvedLinearConfig {
  problem: LinearProblem;
  replicas: number;
  seed: number;
  temperatures: number[];
  slots: number[];
  init: 'zero' | 'random' | Float64Array;
}

export function resolveLinearConfig(config: LinearSamplerConfig): ResolvedLinearConfig {
  checkTemperatures(config.temperatures);
  const K = config.temperatures.length;
  const R = config.replicas ?? K;
  if (!Number.isInteger(R) || R < 1) throw new RangeError(`replicas must be an integer >= 1, got ${R}`);
  const seed = config.seed ?? 1;
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED)
    throw new RangeError(`seed must be an integer in [0, ${MAX_SEED}]`);
  const slots = checkSlots(config.slots ?? Array.from({ length: R }, (_, r) => r % K), R, K);
  const init = config.init ?? 'zero';
  const N = config.problem.N;
  if (init instanceof Float64Array && init.length !== R * N)
    throw new RangeError(`init must have R·N = ${R * N} entries`);
  return { problem: config.problem, replicas: R, seed, temperatures: [...config.temperatures], slots, init };
}

/** The initial θ (replica-major R×N): zero, given, or Box–Muller of the WEIGHTS_INIT stream. */
export function initialLinearWeights(c: ResolvedLinearConfig): Float64Array {
  const { N } = c.problem;
  const R = c.replicas;
  const theta = new Float64Array(R * N);
  if (c.init instanceof Float64Array) theta.set(c.init);
  else if (c.init === 'random') {
    const key = seedKey(c.seed);
    const words = new Uint32Array(4);
    for (let r = 0; r < R; r++) {
      for (let i = 0; i < N; i++) {
        randomWords(key, r, 0, 0, i, STREAMS.WEIGHTS_INIT, words);
        theta[r * N + i] = boxMuller(words[0], words[1]);
      }
    }
  }
  return theta;
}

/** A_ii = Σ_μ x_μi²/N + λ (the curvature that scales each coordinate's proposal). */
export function linearDiagonal(pr: LinearProblem): Float64Array {
  const { N, P, X, lambda } = pr;
  const A = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    let s = lambda;
    for (let m = 0; m < P; m++) s += (X[m * N + i] * X[m * N + i]) / N;
    A[i] = s;
  }
  return A;
}

/** Initial proposal scale of every slot (tune() adapts it). */
export const INITIAL_SCALE = 2.4;

export class CpuLinearSampler {
  readonly backend = 'cpu' as const;
  readonly N: number;
  readonly P: number;
  readonly replicas: number;
  readonly problem: LinearProblem;
  temperatures: number[];
  slots: number[];
  /** Step scale per slot (δ_i = scale / √(2β A_ii)). */
  readonly scale: Float64Array;
  sweepsDone = 0;
  private readonly key: [number, number];
  private readonly theta: Float64Array;
  private readonly resid: Float64Array;
  private readonly Adiag: Float64Array;
  private readonly words = new Uint32Array(4);

  constructor(config: LinearSamplerConfig) {
    const c = resolveLinearConfig(config);
    const pr = c.problem;
    this.problem = pr;
    this.N = pr.N;
    this.P = pr.P;
    this.replicas = c.replicas;
    this.temperatures = c.temperatures;
    this.slots = c.slots;
    this.scale = new Float64Array(c.temperatures.length).fill(INITIAL_SCALE);
    this.key = seedKey(c.seed);
    this.Adiag = linearDiagonal(pr);
    this.theta = initialLinearWeights(c);
    this.resid = new Float64Array(c.replicas * pr.P);
    this.recomputeResiduals();
  }

  private recomputeResiduals(): void {
    const { N, P, replicas } = this;
    const { X, y } = this.problem;
    const s = 1 / Math.sqrt(N);
    for (let r = 0; r < replicas; r++) {
      for (let m = 0; m < P; m++) {
        let h = 0;
        for (let i = 0; i < N; i++) h += this.theta[r * N + i] * X[m * N + i];
        this.resid[r * P + m] = h * s - y[m];
      }
    }
  }

  private energyOf(r: number): number {
    const { N, P } = this;
    let H = 0;
    for (let m = 0; m < P; m++) H += this.resid[r * P + m] ** 2;
    for (let i = 0; i < N; i++) H += this.problem.lambda * this.theta[r * N + i] ** 2;
    return H;
  }

  private sweep(accepted: Float64Array): void {
    const { N, P } = this;
    const { X, lambda } = this.problem;
    const s = 1 / Math.sqrt(N);
    const w = this.words;
    for (let r = 0; r < this.replicas; r++) {
      const k = this.slots[r];
      const beta = 1 / this.temperatures[k];
      const th = r * N;
      const rb = r * P;
      let acc = 0;
      for (let i = 0; i < N; i++) {
        randomWords(this.key, r, this.sweepsDone, 0, i, STREAMS.WEIGHTS_UPDATE, w);
        const d = (this.scale[k] / Math.sqrt(2 * beta * this.Adiag[i])) * boxMuller(w[0], w[1]);
        let g = 0;
        for (let m = 0; m < P; m++) g += this.resid[rb + m] * X[m * N + i];
        const dH = 2 * d * (g * s + lambda * this.theta[th + i]) + d * d * this.Adiag[i];
        const x = beta * dH;
        if (w[2] < probabilityThreshold(x <= 0 ? 1 : Math.exp(-x))) {
          this.theta[th + i] += d;
          const ds = d * s;
          for (let m = 0; m < P; m++) this.resid[rb + m] += ds * X[m * N + i];
          acc++;
        }
      }
      accepted[r] += acc;
    }
    this.sweepsDone++;
  }

  /** Advance `sweeps` sweeps, measuring H after every measureEvery-th (default 1; 0: never). */
  run(options: { sweeps: number; measureEvery?: number }): LinearRunResult {
    const { sweeps, measureEvery } = checkSweepOptions(options);
    const R = this.replicas;
    const samples = measureEvery > 0 ? Math.floor(sweeps / measureEvery) : 0;
    const energy = new Float64Array(samples * R);
    const accepted = new Float64Array(R);
    let k = 0;
    for (let t = 0; t < sweeps; t++) {
      this.sweep(accepted);
      if (measureEvery > 0 && (t + 1) % measureEvery === 0) {
        this.recomputeResiduals();
        for (let r = 0; r < R; r++) energy[k * R + r] = this.energyOf(r);
        k++;
      }
    }
    return { sweeps, samples, replicas: R, energy, accepted, proposed: sweeps * this.N };
  }

  /**
   * Thermalise while tuning the step scale per slot: `blocks` blocks of `sweepsPerBlock` sweeps, after
   * each scale ← scale · clamp(a/0.45, 1/2, 2). Returns the acceptance of each slot in the last block.
   */
  tune(blocks = 20, sweepsPerBlock = 20): Float64Array {
    const K = this.temperatures.length;
    const rate = new Float64Array(K);
    for (let b = 0; b < blocks; b++) {
      const res = this.run({ sweeps: sweepsPerBlock, measureEvery: 0 });
      tuneScales(this.scale, this.slots, res, rate);
    }
    this.recomputeResiduals();
    return rate;
  }

  /** Current θ, replica-major R×N. */
  weights(): Float64Array {
    return this.theta.slice();
  }

  setSlots(slots: readonly number[]): void {
    this.slots = checkSlots(slots, this.replicas, this.temperatures.length);
  }
}
