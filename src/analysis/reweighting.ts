/**
 * Histogram reweighting of canonical Monte Carlo data (h = 0 energy
 * reweighting): single histogram (Ferrenberg & Swendsen, PRL 61, 2635 (1988))
 * and multiple histogram / WHAM (Ferrenberg & Swendsen, PRL 63, 1195 (1989);
 * statistical-inefficiency weights after Chodera et al., JCTC 3, 26 (2007)),
 * with leave-one-block-out jackknife errors, plus the two curve analyses a
 * parallel-tempering ladder needs: the specific-heat peak and the crossing of
 * two Binder-cumulant curves.
 *
 * Conventions (all functions):
 *  - `energy` series hold the TOTAL energy E of each sample (any real values;
 *    Ising energies −J·bonds sit on a grid and are histogrammed exactly).
 *  - Intensive results: e = ⟨E⟩/N, c = β²(⟨E²⟩ − ⟨E⟩²)/N (variance accumulated
 *    about the mean), and, when the per-site magnetisation m is given,
 *    ⟨|m|⟩, ⟨m²⟩, ⟨m⁴⟩, U₄ = 1 − ⟨m⁴⟩/(3⟨m²⟩²), χ = βN(⟨m²⟩ − ⟨|m|⟩²)
 *    (the conventions of analyzeIsing and exactFromDensityOfStates).
 *  - ln Z is only known up to a constant: results report
 *    ln Z(β) − ln Z(β_ref), β_ref = beta0 (single histogram) or the β of the
 *    FIRST run (multiple histogram).
 *  - A series is one array, or an array of arrays (independent replicas at the
 *    same temperature, pooled).
 *  - Errors: block jackknife. Every replica is cut into B contiguous blocks;
 *    jackknife sample b drops time block b of every replica of every run at
 *    once (in parallel tempering the temperatures are correlated through
 *    swaps, so they must be dropped together) and recomputes everything
 *    (for the multiple histogram: re-solves the free energies). Blocks must
 *    be long compared with τ_int for the errors to be valid.
 */
import { blockBoundaries } from './jackknife.ts';
import { cholesky, choleskySolve } from '../math/linalg.ts';
import type { Estimate } from './types.ts';

// ---------------------------------------------------------------- types --

/** One series or several independent replicas of it (all at the same temperature). */
export type ReplicaSeries = ArrayLike<number> | readonly ArrayLike<number>[];

/** Result of {@link singleHistogram}. */
export interface SingleHistogramResult {
  /** ⟨O⟩ at beta (⟨E⟩ when no observable was given). */
  O: number;
  /** ⟨E⟩ at beta. */
  E: number;
  /** ⟨E²⟩ at beta. */
  E2: number;
  /** ⟨E²⟩ − ⟨E⟩², accumulated about the mean. */
  varE: number;
  /** ln Z(beta) − ln Z(beta0) = ln ⟨exp(−(beta − beta0)E)⟩_beta0. */
  lnZ: number;
  /** Kish effective sample size (Σω)²/Σω² of the reweighting weights ω = exp(−(β−β0)E); ≪ n means the target is out of reach. */
  nEff: number;
}

/** Reweighted averages at one β (point values, no errors). */
export interface ReweightedPoint {
  beta: number;
  /** 1/beta. */
  T: number;
  /** ln Z(β) − ln Z(β_ref) (see the module conventions). */
  lnZ: number;
  /** ⟨E⟩ (total). */
  E: number;
  /** ⟨E²⟩. */
  E2: number;
  /** ⟨E²⟩ − ⟨E⟩² (centred). */
  varE: number;
  /** ⟨E⟩/N. */
  e: number;
  /** β²(⟨E²⟩ − ⟨E⟩²)/N. */
  c: number;
  /** ⟨O⟩ of every named observable. */
  observables: Record<string, number>;
  /** ⟨|m|⟩ (only when the magnetisation was given). */
  m_abs?: number;
  /** ⟨m²⟩. */
  m2?: number;
  /** ⟨m⁴⟩. */
  m4?: number;
  /** U₄ = 1 − ⟨m⁴⟩/(3⟨m²⟩²). */
  binder?: number;
  /** χ = βN(⟨m²⟩ − ⟨|m|⟩²). */
  chi?: number;
  /**
   * Kish effective number of samples behind this point, (Σ_n ω_n)²/Σ_n ω_n²
   * with ω_n the reweighting weight of sample n (run weights 1/g_k ignored).
   * Far below the number of samples ⇒ extrapolation, results unreliable.
   */
  nEff: number;
}

/** Reweighted averages at one β with jackknife errors; `mean` is the full-data value. */
export interface ReweightedEstimate {
  beta: number;
  T: number;
  lnZ: Estimate;
  E: Estimate;
  E2: Estimate;
  varE: Estimate;
  e: Estimate;
  c: Estimate;
  observables: Record<string, Estimate>;
  m_abs?: Estimate;
  m2?: Estimate;
  m4?: Estimate;
  binder?: Estimate;
  chi?: Estimate;
  /** nEff of the full data (see {@link ReweightedPoint.nEff}). */
  nEff: number;
}

/** Parameters of {@link reweightSeries}. */
export interface ReweightSeriesOptions {
  /** Total energy E per sample at beta0 (one array, or one per replica). */
  energy: ReplicaSeries;
  /** Further observables, same shape as `energy`; each gets ⟨O⟩(β) with error. */
  observables?: Record<string, ReplicaSeries>;
  /** Per-site magnetisation m (signed); defaults to `observables.m`. Enables m_abs, m2, m4, binder, chi. */
  magnetization?: ReplicaSeries;
  /** Inverse temperature the samples were drawn at. */
  beta0: number;
  /** Target inverse temperatures. */
  betas: readonly number[];
  /** Number of spins N (for e, c, χ). */
  N: number;
  /** Jackknife blocks per replica (default 32; ≥ 2). */
  blocks?: number;
}

/** One run (one ladder temperature) of {@link multipleHistogram}. */
export interface HistogramRun {
  /** Inverse temperature of the run. */
  beta: number;
  /** Total energy E per sample (one array, or one per independent replica). */
  energy: ReplicaSeries;
  /** Named observables, same shape as `energy`; every run must provide the same names. */
  observables?: Record<string, ReplicaSeries>;
  /** Per-site magnetisation m (signed); defaults to `observables.m`. Give it for all runs or none. */
  magnetization?: ReplicaSeries;
  /**
   * Integrated autocorrelation time of E in this project's convention
   * (τ_int = 1/2 for uncorrelated samples, as integratedAutocorrelationTime
   * returns). The run is weighted with statistical inefficiency g = 2τ_int
   * (Chodera's 1 + 2τ with τ = τ_int − 1/2). Omitted: g = 1.
   */
  tauInt?: number;
}

/** Options of {@link multipleHistogram}. */
export interface MultipleHistogramOptions {
  /** Number of spins N (for e, c, χ). */
  N: number;
  /** Jackknife blocks per replica (default 16); 0 disables the errors (err = NaN). */
  blocks?: number;
  /** Convergence: every ln Z_k − ln Z_0 must move by less than this in one more Ferrenberg–Swendsen iteration (default 1e-10). */
  tol?: number;
  /** Maximum solver iterations per solve (default 500). */
  maxIterations?: number;
  /**
   * 'auto' (default): histogram the energies when they sit on a grid E_min + k·step
   * (step found automatically, or `energyStep`) and have at most half as many
   * distinct values as samples; per-sample sums otherwise. 'always': require the
   * grid (throws if the energies are not on one). 'never': per-sample sums.
   */
  histogram?: 'auto' | 'always' | 'never';
  /** Grid step of the energies (e.g. 4|J| for the Ising torus); found automatically when omitted. Giving it requires the grid (throws otherwise) unless histogram is 'never'. */
  energyStep?: number;
}

/** Result of {@link multipleHistogram}. Methods are closures and can be passed around unbound. */
export interface MultipleHistogramResult {
  /** β of the runs, in input order. */
  betas: readonly number[];
  /** ln Z(β_k) − ln Z(β_0) of every run with jackknife errors (run 0: exactly 0 ± 0). */
  runLnZ: readonly Estimate[];
  /** Solver iterations of the full-data solve. */
  iterations: number;
  /** Final residual: max_k |Δ(ln Z_k − ln Z_0)| of one more Ferrenberg–Swendsen iteration. */
  residual: number;
  /** True when the energies were histogrammed on a grid. */
  histogrammed: boolean;
  /** The grid step used (null for per-sample sums). */
  energyStep: number | null;
  /** Jackknife blocks per replica (0: no errors). */
  blocks: number;
  /** Statistical inefficiency g_k used to weight each run. */
  statisticalInefficiency: readonly number[];
  /** Number of spins. */
  N: number;
  /** ln Z(β) − ln Z(β_0), β_0 the first run's β. */
  lnZ: (beta: number) => number;
  /** All reweighted averages at β (full data). */
  at: (beta: number) => ReweightedPoint;
  /** All reweighted averages at β with jackknife errors. */
  estimate: (beta: number) => ReweightedEstimate;
  /** The B leave-one-block-out curves (each re-solved), for errors of derived quantities. */
  jackknifeCurves: readonly ((beta: number) => ReweightedPoint)[];
}

// ---------------------------------------------------------- small utils --

function requireFiniteNumber(x: number, name: string): void {
  if (!Number.isFinite(x)) throw new RangeError(`${name} must be a finite number, got ${x}`);
}

function toReplicas(x: ReplicaSeries, name: string): ArrayLike<number>[] {
  if (x == null || typeof x.length !== 'number') throw new TypeError(`${name} must be an array or an array of arrays`);
  if (x.length > 0 && typeof (x as ArrayLike<unknown>)[0] === 'object') {
    return Array.from(x as readonly ArrayLike<number>[]);
  }
  return [x as ArrayLike<number>];
}

/**
 * Jackknife error of a quantity from its full-data value and its B
 * leave-one-block-out values: √((B−1)/B · Σ_b (θ_b − θ̄)²). Non-finite replica
 * values give err = Infinity; fewer than 2 replicas give err = NaN.
 */
export function jackknifeFromReplicas(full: number, replicas: ArrayLike<number>): Estimate {
  const B = replicas.length;
  if (B < 2) return { mean: full, err: Number.NaN };
  let avg = 0;
  for (let b = 0; b < B; b++) {
    if (!Number.isFinite(replicas[b])) return { mean: full, err: Number.POSITIVE_INFINITY };
    avg += replicas[b];
  }
  avg /= B;
  let ss = 0;
  for (let b = 0; b < B; b++) ss += (replicas[b] - avg) ** 2;
  return { mean: full, err: Math.sqrt(((B - 1) / B) * ss) };
}

// ----------------------------------------------------- single histogram --

/**
 * Single-histogram reweighting of samples drawn at beta0 to beta:
 * ⟨O⟩_β = Σ O_i ω_i / Σ ω_i, ω_i = exp(−(β − β0)E_i − max_j(−(β − β0)E_j))
 * (log-sum-exp shift, so nothing overflows for any energies). The observable
 * defaults to E itself. Reliable only while nEff stays a sizeable fraction of
 * the sample count (|β − β0| ≲ 1/√(N c) · T).
 */
export function singleHistogram(
  energies: ArrayLike<number>,
  beta0: number,
  beta: number,
  observable?: ArrayLike<number>,
): SingleHistogramResult {
  requireFiniteNumber(beta0, 'beta0');
  requireFiniteNumber(beta, 'beta');
  const n = energies.length;
  if (n < 1) throw new RangeError('singleHistogram: no samples');
  if (observable && observable.length !== n) {
    throw new RangeError('singleHistogram: observable must have one value per energy sample');
  }
  const d = beta - beta0;
  let shift = -Infinity;
  for (let i = 0; i < n; i++) {
    const E = energies[i];
    if (!Number.isFinite(E)) throw new RangeError(`singleHistogram: energy ${i} is not finite`);
    const x = -d * E;
    if (x > shift) shift = x;
  }
  const w = new Float64Array(n);
  let W = 0;
  let W2 = 0;
  let sE = 0;
  let sO = 0;
  for (let i = 0; i < n; i++) {
    const wi = Math.exp(-d * energies[i] - shift);
    w[i] = wi;
    W += wi;
    W2 += wi * wi;
    sE += wi * energies[i];
    if (observable) sO += wi * observable[i];
  }
  const E = sE / W;
  let v = 0;
  for (let i = 0; i < n; i++) v += w[i] * (energies[i] - E) ** 2;
  const varE = v / W;
  return {
    O: observable ? sO / W : E,
    E,
    E2: varE + E * E,
    varE,
    lnZ: shift + Math.log(W / n),
    nEff: (W * W) / W2,
  };
}

/**
 * Single-histogram reweighting of one temperature's series (several replicas
 * allowed) to each target β, with block-jackknife errors (`blocks` blocks per
 * replica, default 32; the same estimator as {@link multipleHistogram} with
 * one run, so energies on a grid are histogrammed). Returns one estimate per
 * entry of `betas`, in order; lnZ is ln Z(β) − ln Z(beta0).
 */
export function reweightSeries(options: ReweightSeriesOptions): ReweightedEstimate[] {
  const { energy, observables, magnetization, beta0, betas, N } = options;
  for (const b of betas) requireFiniteNumber(b, 'betas[i]');
  const mh = multipleHistogram([{ beta: beta0, energy, observables, magnetization }], {
    N,
    blocks: options.blocks ?? 32,
  });
  return betas.map((b) => mh.estimate(b));
}

// ------------------------------------------------- multiple histogram --

/** Channel kinds: a named observable, or one of the magnetisation moments. */
type ChannelKind = 'obs' | 'abs' | 'm2' | 'm4';
interface Channel {
  name: string;
  kind: ChannelKind;
}

interface PreparedRun {
  beta: number;
  g: number;
  energy: ArrayLike<number>[];
  /** chans[c][r]: channel c, replica r (raw values, transformed on use). */
  chans: ArrayLike<number>[][];
  /** Block boundaries per replica (null when no blocks). */
  bounds: number[][] | null;
  /** Samples in each block (summed over replicas); length max(B, 1). */
  blockCounts: Float64Array;
  total: number;
  meanE: number;
}

const channelValue = (kind: ChannelKind, x: number): number => {
  switch (kind) {
    case 'obs':
      return x;
    case 'abs':
      return Math.abs(x);
    case 'm2':
      return x * x;
    case 'm4':
      return x * x * x * x;
  }
};

/**
 * Weighted sample points the free-energy equations sum over: either grid bins
 * (histogram mode) or single samples. Point u has energy E[u], weight w[u]
 * (Σ 1/g_k over its samples), raw sample count n[u] (null: 1 each), and
 * weighted channel sums S[c][u] = Σ O/g_k. A point is skipped when w[u] = 0
 * or (per-sample jackknife) block[u] === skip.
 */
interface Points {
  E: Float64Array;
  w: Float64Array;
  n: Float64Array | null;
  S: Float64Array[];
  block: Int32Array | null;
  skip: number;
}

const included = (P: Points, u: number): boolean => P.w[u] > 0 && (P.block === null || P.block[u] !== P.skip);

/** Approximate GCD of non-negative offsets with absolute tolerance tol. */
function floatGcd(a: number, b: number, tol: number): number {
  let x = Math.max(a, b);
  let y = Math.min(a, b);
  while (y > tol) {
    let r = x % y;
    if (y - r <= tol) r = 0;
    x = y;
    y = r;
  }
  return x;
}

/**
 * Grid of the energies: { min, step } when every distinct value is
 * min + k·step to 1e-7·step (and 1e-9 of the energy scale), else null.
 */
function detectGrid(distinct: number[], forcedStep: number | undefined): { min: number; step: number } | null {
  const sorted = distinct.slice().sort((a, b) => a - b);
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  const scale = Math.max(Math.abs(min), Math.abs(max), max - min, 1e-300);
  let step: number;
  if (forcedStep !== undefined) {
    if (!(forcedStep > 0) || !Number.isFinite(forcedStep))
      throw new RangeError(`energyStep must be a positive number, got ${forcedStep}`);
    step = forcedStep;
  } else if (sorted.length === 1) {
    return { min, step: 1 };
  } else {
    const tol = 1e-9 * scale;
    step = sorted[1] - min;
    for (let i = 2; i < sorted.length; i++) {
      step = floatGcd(step, sorted[i] - min, tol);
      if (step <= tol) return null;
    }
    if (step < (max - min) * 1e-8) return null;
  }
  for (const v of sorted) {
    const q = (v - min) / step;
    if (Math.abs(q - Math.round(q)) > 1e-7 || Math.abs(q - Math.round(q)) * step > 1e-9 * scale) return null;
  }
  return { min, step };
}

/** Cholesky solve of the symmetric n×n system A x = b (row-major); null unless A is positive definite. */
function choleskySolveOrNull(A: Float64Array, b: Float64Array, n: number): Float64Array | null {
  let L: Float64Array;
  try {
    L = cholesky(A, n);
  } catch {
    return null;
  }
  const x = choleskySolve(L, n, b);
  return x.every(Number.isFinite) ? x : null;
}

interface ObjectiveValue {
  /** F(λ) = Σ_u w_u L_u + Σ_k c_k λ_k (convex; minimum ⇔ the WHAM equations). */
  F: number;
  /** Σ |terms| of F, for the rounding-noise allowance of the line search. */
  Fabs: number;
  /** A_k = Σ_u w_u p_k(u); the WHAM equations read A_k = c_k. */
  A: Float64Array;
  /** Hessian of F (K×K, row-major), when requested. */
  H: Float64Array | null;
}

/**
 * The MBAR/WHAM objective F(λ) = Σ_u w_u ln Σ_j c_j e^{−β_j E_u − λ_j} + Σ_k c_k λ_k,
 * λ_k = ln Z_k; its gradient is c_k − A_k with A_k = Σ_u w_u p_k(u), p_k(u) =
 * c_k e^{−β_k E_u − λ_k} / Σ_j c_j e^{−β_j E_u − λ_j}, and its Hessian is
 * Σ_u w_u (p_k δ_kl − p_k p_l). Setting the gradient to zero is exactly the
 * Ferrenberg–Swendsen self-consistency e^{λ_k} = Σ_u w_u e^{−β_k E_u} / Σ_j c_j e^{−β_j E_u − λ_j}.
 */
function objective(
  P: Points,
  betas: Float64Array,
  c: Float64Array,
  lambda: Float64Array,
  withDerivatives: boolean,
): ObjectiveValue {
  const K = betas.length;
  const a = new Float64Array(K);
  for (let j = 0; j < K; j++) a[j] = c[j] > 0 ? Math.log(c[j]) - lambda[j] : -Infinity;
  const t = new Float64Array(K);
  const idx = new Int32Array(K);
  const A = new Float64Array(K);
  const H = withDerivatives ? new Float64Array(K * K) : null;
  let F = 0;
  let Fabs = 0;
  const U = P.E.length;
  for (let u = 0; u < U; u++) {
    if (!included(P, u)) continue;
    const w = P.w[u];
    const E = P.E[u];
    let max = -Infinity;
    for (let j = 0; j < K; j++) {
      const x = a[j] - betas[j] * E;
      t[j] = x;
      if (x > max) max = x;
    }
    let s = 0;
    for (let j = 0; j < K; j++) {
      // Terms below e^{−36} ≈ 2e−16 of the largest are below double rounding.
      const x = t[j] - max > -36 ? Math.exp(t[j] - max) : 0;
      t[j] = x;
      s += x;
    }
    const L = max + Math.log(s);
    F += w * L;
    Fabs += w * Math.abs(L);
    if (!withDerivatives) continue;
    const inv = 1 / s;
    let nnz = 0;
    for (let j = 0; j < K; j++) {
      const p = t[j] * inv;
      t[j] = p;
      A[j] += w * p;
      // The Hessian only sets the Newton step, not the solution: tiny p are dropped.
      if (p > 1e-6) idx[nnz++] = j;
    }
    if (H) {
      for (let ii = 0; ii < nnz; ii++) {
        const k = idx[ii];
        const wp = w * t[k];
        H[k * K + k] += wp;
        for (let jj = 0; jj < nnz; jj++) {
          const l = idx[jj];
          H[k * K + l] -= wp * t[l];
        }
      }
    }
  }
  for (let k = 0; k < K; k++) {
    if (c[k] > 0) {
      F += c[k] * lambda[k];
      Fabs += Math.abs(c[k] * lambda[k]);
    }
  }
  return { F, Fabs, A, H };
}

/**
 * ln A_k in log space, ln c_k − λ_k + ln Σ_u w_u e^{−β_k E_u − L_u}: used when
 * A_k underflows (λ_k far too large), so the self-consistent update still moves.
 */
function logA(P: Points, betas: Float64Array, c: Float64Array, lambda: Float64Array, k: number): number {
  const K = betas.length;
  const a = new Float64Array(K);
  for (let j = 0; j < K; j++) a[j] = c[j] > 0 ? Math.log(c[j]) - lambda[j] : -Infinity;
  let M = -Infinity;
  let S = 0;
  for (let u = 0; u < P.E.length; u++) {
    if (!included(P, u)) continue;
    const E = P.E[u];
    let max = -Infinity;
    for (let j = 0; j < K; j++) max = Math.max(max, a[j] - betas[j] * E);
    let s = 0;
    for (let j = 0; j < K; j++) s += Math.exp(a[j] - betas[j] * E - max);
    const x = Math.log(P.w[u]) + a[k] - betas[k] * E - (max + Math.log(s));
    if (x > M) {
      S = S * Math.exp(M - x) + 1;
      M = x;
    } else {
      S += Math.exp(x - M);
    }
  }
  return M + Math.log(S);
}

/**
 * r_k − r_0 with r_k = ln(A_k/c_k) (written into r): the change of λ_k − λ_0
 * one Ferrenberg–Swendsen iteration would make. Returns max_k |r_k − r_0|.
 */
function residualOf(
  P: Points,
  betas: Float64Array,
  c: Float64Array,
  lambda: Float64Array,
  A: Float64Array,
  r: Float64Array,
): number {
  const K = c.length;
  for (let k = 0; k < K; k++) {
    r[k] = A[k] > 1e-250 ? Math.log(A[k] / c[k]) : logA(P, betas, c, lambda, k) - Math.log(c[k]);
  }
  const r0 = r[0];
  let res = 0;
  for (let k = 0; k < K; k++) {
    r[k] -= r0;
    const x = Math.abs(r[k]);
    res = Number.isNaN(x) ? Infinity : Math.max(res, x);
  }
  return res;
}

interface SolveResult {
  lambda: Float64Array;
  iterations: number;
  residual: number;
}

/**
 * Solve the Ferrenberg–Swendsen equations for λ_k = ln Z_k − ln Z_0 (λ_0 = 0):
 * damped Newton on the convex objective (Cholesky on the (K−1)×(K−1) gauge-fixed
 * Hessian, backtracking line search), falling back to a plain self-consistent
 * iteration whenever the Newton step fails. Converged when one more
 * self-consistent iteration would move every λ_k by less than tol.
 */
function solveFreeEnergies(
  P: Points,
  betas: Float64Array,
  c: Float64Array,
  init: Float64Array,
  tol: number,
  maxIterations: number,
  label: string,
): SolveResult {
  const K = betas.length;
  const lambda = Float64Array.from(init);
  for (let k = K - 1; k >= 0; k--) lambda[k] -= lambda[0];
  const r = new Float64Array(K);
  if (K === 1) return { lambda, iterations: 0, residual: 0 };
  const M = K - 1;
  let cur = objective(P, betas, c, lambda, true);
  let residual = residualOf(P, betas, c, lambda, cur.A, r);
  let it = 0;
  while (residual >= tol) {
    if (it >= maxIterations) {
      throw new Error(
        `multipleHistogram: the Ferrenberg–Swendsen equations did not converge${label} in ${maxIterations} iterations ` +
          `(max |Δ ln Z| per iteration ${residual.toExponential(3)}, tol ${tol}); ` +
          'check that the energy histograms of neighbouring temperatures overlap, or raise maxIterations',
      );
    }
    it++;
    // Newton step on the gauge-fixed system (λ_0 = 0).
    const H = cur.H as Float64Array;
    const Hr = new Float64Array(M * M);
    const g = new Float64Array(M);
    for (let i = 0; i < M; i++) {
      g[i] = c[i + 1] - cur.A[i + 1];
      for (let j = 0; j < M; j++) Hr[i * M + j] = H[(i + 1) * K + (j + 1)];
      Hr[i * M + i] *= 1 + 1e-13;
    }
    const negG = g.map((x) => -x);
    const step = choleskySolveOrNull(Hr, negG, M);
    let next: ObjectiveValue | null = null;
    if (step) {
      let slope = 0;
      for (let i = 0; i < M; i++) slope += g[i] * step[i];
      if (slope < 0) {
        // Backtracking (Armijo) line search; the full step is evaluated with
        // derivatives, since near the solution it is accepted at once.
        const trial = new Float64Array(K);
        let t = 1;
        for (let h = 0; h < 40 && !next; h++, t *= 0.5) {
          for (let i = 0; i < M; i++) trial[i + 1] = lambda[i + 1] + t * step[i];
          const f = objective(P, betas, c, trial, h === 0);
          const allowance = 1e-13 * Math.max(cur.Fabs, f.Fabs); // rounding noise of F
          if (Number.isFinite(f.F) && f.F <= cur.F + 1e-4 * t * slope + allowance) {
            lambda.set(trial);
            next = h === 0 ? f : objective(P, betas, c, lambda, true);
          }
        }
      }
    }
    if (!next) {
      // Plain Ferrenberg–Swendsen update λ_k ← λ_k + ln(A_k/c_k) (gauge-fixed).
      for (let k = 1; k < K; k++) if (Number.isFinite(r[k])) lambda[k] += r[k];
      next = objective(P, betas, c, lambda, true);
    }
    cur = next;
    residual = residualOf(P, betas, c, lambda, cur.A, r);
  }
  return { lambda, iterations: it, residual };
}

/** Reweighting evaluator of one solution (full data or one jackknife sample). */
function makeCurve(
  P: Points,
  betas: Float64Array,
  c: Float64Array,
  lambda: Float64Array,
  N: number,
  channels: Channel[],
  cacheL: boolean,
): (beta: number) => ReweightedPoint {
  const K = betas.length;
  const U = P.E.length;
  const a = new Float64Array(K);
  for (let j = 0; j < K; j++) a[j] = c[j] > 0 ? Math.log(c[j]) - lambda[j] : -Infinity;
  // L_u = ln Σ_j c_j e^{−β_j E_u − λ_j}: the per-point denominator (β-independent).
  const lnDen = (E: number): number => {
    let max = -Infinity;
    for (let j = 0; j < K; j++) max = Math.max(max, a[j] - betas[j] * E);
    let s = 0;
    for (let j = 0; j < K; j++) {
      const x = a[j] - betas[j] * E - max;
      if (x > -36) s += Math.exp(x);
    }
    return max + Math.log(s);
  };
  let Lcache: Float64Array | null = null;
  if (cacheL) {
    Lcache = new Float64Array(U);
    for (let u = 0; u < U; u++) Lcache[u] = included(P, u) ? lnDen(P.E[u]) : 0;
  }
  const hasM = channels.some((ch) => ch.kind !== 'obs');

  const raw = (beta: number): ReweightedPoint => {
    requireFiniteNumber(beta, 'beta');
    const x = new Float64Array(U);
    let m = -Infinity;
    for (let u = 0; u < U; u++) {
      if (!included(P, u)) {
        x[u] = Number.NaN;
        continue;
      }
      const v = -beta * P.E[u] - (Lcache ? Lcache[u] : lnDen(P.E[u]));
      x[u] = v;
      if (v > m) m = v;
    }
    let Z = 0;
    let sE = 0;
    let sn = 0;
    let sn2 = 0;
    for (let u = 0; u < U; u++) {
      if (Number.isNaN(x[u])) continue;
      const q = Math.exp(x[u] - m);
      x[u] = q;
      const wq = P.w[u] * q;
      Z += wq;
      sE += wq * P.E[u];
      const nu = P.n ? P.n[u] : 1;
      sn += nu * q;
      sn2 += nu * q * q;
    }
    const E = sE / Z;
    let sV = 0;
    const sC = new Float64Array(channels.length);
    for (let u = 0; u < U; u++) {
      if (Number.isNaN(x[u])) continue;
      const q = x[u];
      const d = P.E[u] - E;
      sV += P.w[u] * q * d * d;
      for (let ch = 0; ch < channels.length; ch++) sC[ch] += P.S[ch][u] * q;
    }
    const varE = sV / Z;
    const point: ReweightedPoint = {
      beta,
      T: 1 / beta,
      lnZ: m + Math.log(Z),
      E,
      E2: varE + E * E,
      varE,
      e: E / N,
      c: (beta * beta * varE) / N,
      observables: {},
      nEff: (sn * sn) / sn2,
    };
    for (let ch = 0; ch < channels.length; ch++) {
      const v = sC[ch] / Z;
      const { name, kind } = channels[ch];
      if (kind === 'obs') point.observables[name] = v;
      else if (kind === 'abs') point.m_abs = v;
      else if (kind === 'm2') point.m2 = v;
      else point.m4 = v;
    }
    if (hasM) {
      const m2 = point.m2 as number;
      const mAbs = point.m_abs as number;
      point.binder = 1 - (point.m4 as number) / (3 * m2 * m2);
      point.chi = beta * N * (m2 - mAbs * mAbs);
    }
    return point;
  };
  const lnZRef = raw(betas[0]).lnZ;
  return (beta: number) => {
    const p = raw(beta);
    p.lnZ -= lnZRef;
    return p;
  };
}

const SCALAR_FIELDS = ['lnZ', 'E', 'E2', 'varE', 'e', 'c', 'm_abs', 'm2', 'm4', 'binder', 'chi'] as const;

/** Jackknife every field of a reweighted point over the leave-one-block-out points. */
function jackknifePoint(full: ReweightedPoint, loo: ReweightedPoint[]): ReweightedEstimate {
  const est = (get: (p: ReweightedPoint) => number): Estimate =>
    loo.length >= 2 ? jackknifeFromReplicas(get(full), loo.map(get)) : { mean: get(full), err: Number.NaN };
  const out: Record<string, unknown> = { beta: full.beta, T: full.T, nEff: full.nEff, observables: {} };
  for (const f of SCALAR_FIELDS) {
    if (full[f] !== undefined) out[f] = est((p) => p[f] as number);
  }
  const obs = out.observables as Record<string, Estimate>;
  for (const name of Object.keys(full.observables)) obs[name] = est((p) => p.observables[name]);
  return out as unknown as ReweightedEstimate;
}

/**
 * Multiple-histogram reweighting (Ferrenberg–Swendsen 1989 / WHAM) of K
 * canonical runs at β_k, e.g. the ladder of a parallel-tempering simulation.
 *
 * Density-of-states estimate: Ω(E) = Σ_k H_k(E)/g_k / Σ_j (N_j/g_j) e^{−β_j E − ln Z_j},
 * with ln Z_k = ln Σ_E Ω(E) e^{−β_k E} solved self-consistently in log space
 * (Newton on the equivalent convex MBAR objective, self-consistent fallback;
 * see solveFreeEnergies), gauge ln Z_0 = 0 where run 0 is the FIRST run.
 * g_k = 2τ_int,k (1 without tauInt). Then, at any β,
 * ⟨O⟩_β = Σ_samples O e^{−βE}/g_k / D(E) / Σ_samples e^{−βE}/g_k / D(E),
 * D(E) = Σ_j (N_j/g_j) e^{−β_j E − ln Z_j}, all in log-sum-exp form. Within the
 * ladder's β range the curves interpolate smoothly; outside they extrapolate
 * (watch nEff).
 *
 * Energies on a grid E_min + k·step are histogrammed (exact: only E enters the
 * weights), making each iteration O(#distinct energies × K); other energies
 * use per-sample sums, O(#samples × K). (Measured, one CPU core: 32 runs ×
 * 1e5 samples of a 64×64 ladder with 16 jackknife blocks take ≈ 0.4 s on the
 * grid; 32 × 2e4 off-grid samples take ≈ 40 s, as each sample then needs
 * ~20 exponentials per objective evaluation.)
 *
 * Errors: every replica of every run is cut into B blocks (default 16); for
 * each b the whole solve is repeated without block b of all runs (warm-started
 * from the full solution, typically 2–3 Newton steps) and the spread of the
 * B curves gives the jackknife error of every quantity at every β.
 *
 * Throws when a series is too short for the blocks, the runs disagree on their
 * observables, or the equations do not converge within maxIterations.
 */
export function multipleHistogram(
  runs: readonly HistogramRun[],
  options: MultipleHistogramOptions,
): MultipleHistogramResult {
  const K = runs.length;
  if (K < 1) throw new RangeError('multipleHistogram: need at least one run');
  const N = options.N;
  if (!(N > 0) || !Number.isFinite(N)) throw new RangeError(`multipleHistogram: N must be > 0, got ${N}`);
  const B = options.blocks ?? 16;
  if (!Number.isInteger(B) || B < 0 || B === 1)
    throw new RangeError(`multipleHistogram: blocks must be 0 or an integer ≥ 2, got ${B}`);
  const tol = options.tol ?? 1e-10;
  if (!(tol > 0)) throw new RangeError(`multipleHistogram: tol must be > 0, got ${tol}`);
  const maxIterations = options.maxIterations ?? 500;
  const mode = options.histogram ?? 'auto';
  const nB = Math.max(B, 1);

  // ---- channels: user observables (names from run 0) + magnetisation moments.
  const obsNames = Object.keys(runs[0].observables ?? {});
  const magOf = (run: HistogramRun): ReplicaSeries | undefined => run.magnetization ?? run.observables?.m;
  const hasM = magOf(runs[0]) !== undefined;
  const channels: Channel[] = obsNames.map((name) => ({ name, kind: 'obs' as const }));
  if (hasM) channels.push({ name: '|m|', kind: 'abs' }, { name: 'm^2', kind: 'm2' }, { name: 'm^4', kind: 'm4' });

  // ---- validate and prepare the runs.
  const prepared: PreparedRun[] = runs.map((run, k) => {
    const where = `multipleHistogram: run ${k}`;
    requireFiniteNumber(run.beta, `${where} beta`);
    let g = 1;
    if (run.tauInt !== undefined) {
      if (!(run.tauInt > 0) || !Number.isFinite(run.tauInt))
        throw new RangeError(`${where}: tauInt must be > 0, got ${run.tauInt}`);
      g = 2 * run.tauInt;
    }
    const energy = toReplicas(run.energy, `${where} energy`);
    const names = Object.keys(run.observables ?? {});
    if (names.length !== obsNames.length || names.some((nm) => !obsNames.includes(nm))) {
      throw new RangeError(`${where}: every run must provide the same observables (${obsNames.join(', ') || 'none'})`);
    }
    if ((magOf(run) !== undefined) !== hasM)
      throw new RangeError(`${where}: give the magnetisation for all runs or none`);
    const chans = channels.map((ch) => {
      const src =
        ch.kind === 'obs' ? (run.observables as Record<string, ReplicaSeries>)[ch.name] : (magOf(run) as ReplicaSeries);
      const reps = toReplicas(src, `${where} ${ch.name}`);
      if (reps.length !== energy.length)
        throw new RangeError(`${where}: ${ch.name} must have one series per energy replica`);
      reps.forEach((s, r) => {
        if (s.length !== energy[r].length)
          throw new RangeError(`${where}: ${ch.name} replica ${r} length differs from its energy series`);
      });
      return reps;
    });
    let total = 0;
    let sumE = 0;
    const blockCounts = new Float64Array(nB);
    const bounds: number[][] | null = B > 0 ? [] : null;
    energy.forEach((s, r) => {
      if (s.length < Math.max(1, B)) {
        throw new RangeError(
          `${where} replica ${r}: ${s.length} samples, need at least ${Math.max(1, B)} (one per jackknife block)`,
        );
      }
      for (let i = 0; i < s.length; i++) {
        if (!Number.isFinite(s[i])) throw new RangeError(`${where} replica ${r}: energy ${i} is not finite`);
        sumE += s[i];
      }
      total += s.length;
      if (bounds) {
        const bd = blockBoundaries(s.length, B);
        bounds.push(bd);
        for (let b = 0; b < B; b++) blockCounts[b] += bd[b + 1] - bd[b];
      } else {
        blockCounts[0] += s.length;
      }
    });
    return { beta: run.beta, g, energy, chans, bounds, blockCounts, total, meanE: sumE / total };
  });
  const betas = Float64Array.from(prepared, (p) => p.beta);
  const totalSamples = prepared.reduce((s, p) => s + p.total, 0);

  /** Calls visit(E, blockIndex, run, replica, i) for every sample. */
  const forEachSample = (visit: (E: number, b: number, p: PreparedRun, r: number, i: number) => void): void => {
    for (const p of prepared) {
      p.energy.forEach((s, r) => {
        if (p.bounds) {
          const bd = p.bounds[r];
          for (let b = 0; b < B; b++) for (let i = bd[b]; i < bd[b + 1]; i++) visit(s[i], b, p, r, i);
        } else {
          for (let i = 0; i < s.length; i++) visit(s[i], 0, p, r, i);
        }
      });
    }
  };

  // ---- histogram or per-sample points.
  let grid: { min: number; step: number } | null = null;
  if (mode !== 'never') {
    const distinct = new Set<number>();
    const cap = mode === 'always' || options.energyStep !== undefined ? Infinity : totalSamples / 2;
    let tooMany = false;
    for (const p of prepared) {
      for (const s of p.energy) {
        for (let i = 0; i < s.length && !tooMany; i++) {
          distinct.add(s[i]);
          if (distinct.size > cap) tooMany = true;
        }
      }
    }
    if (!tooMany) grid = detectGrid([...distinct], options.energyStep);
    if (!grid && (mode === 'always' || options.energyStep !== undefined)) {
      throw new RangeError(
        'multipleHistogram: histogramming requested, but the energies are not on a common grid' +
          (options.energyStep !== undefined ? ` of step ${options.energyStep}` : ''),
      );
    }
  }

  const nC = channels.length;
  let full: Points;
  let looPoints: (b: number) => Points;
  if (grid) {
    const { min, step } = grid;
    const binOf = new Map<number, number>();
    const binE: number[] = [];
    forEachSample((E) => {
      const k = Math.round((E - min) / step);
      if (!binOf.has(k)) {
        binOf.set(k, binE.length);
        binE.push(min + k * step);
      }
    });
    const U = binE.length;
    const Wb = Array.from({ length: nB }, () => new Float64Array(U));
    const Nb = Array.from({ length: nB }, () => new Float64Array(U));
    const Sb = Array.from({ length: nC }, () => Array.from({ length: nB }, () => new Float64Array(U)));
    forEachSample((E, b, p, r, i) => {
      const u = binOf.get(Math.round((E - min) / step)) as number;
      const w = 1 / p.g;
      Wb[b][u] += w;
      Nb[b][u] += 1;
      for (let ch = 0; ch < nC; ch++) Sb[ch][b][u] += w * channelValue(channels[ch].kind, p.chans[ch][r][i]);
    });
    const sumExcept = (arrs: Float64Array[], skip: number): Float64Array => {
      const out = new Float64Array(U);
      arrs.forEach((a, b) => {
        if (b !== skip) for (let u = 0; u < U; u++) out[u] += a[u];
      });
      return out;
    };
    const Ebin = Float64Array.from(binE);
    const build = (skip: number): Points => ({
      E: Ebin,
      w: sumExcept(Wb, skip),
      n: sumExcept(Nb, skip),
      S: Sb.map((arrs) => sumExcept(arrs, skip)),
      block: null,
      skip: -1,
    });
    full = build(-1);
    looPoints = build;
  } else {
    const E = new Float64Array(totalSamples);
    const w = new Float64Array(totalSamples);
    const block = new Int32Array(totalSamples);
    const S = Array.from({ length: nC }, () => new Float64Array(totalSamples));
    let u = 0;
    forEachSample((e, b, p, r, i) => {
      E[u] = e;
      w[u] = 1 / p.g;
      block[u] = b;
      for (let ch = 0; ch < nC; ch++) S[ch][u] = w[u] * channelValue(channels[ch].kind, p.chans[ch][r][i]);
      u++;
    });
    full = { E, w, n: null, S, block: B > 0 ? block : null, skip: -1 };
    looPoints = (b) => ({ ...full, skip: b });
  }

  // ---- full solve, warm start from thermodynamic integration (d ln Z/dβ = −⟨E⟩).
  const order = Array.from({ length: K }, (_, k) => k).sort((i, j) => betas[i] - betas[j]);
  const init = new Float64Array(K);
  for (let s = 1; s < K; s++) {
    const i = order[s - 1];
    const j = order[s];
    init[j] = init[i] - (betas[j] - betas[i]) * 0.5 * (prepared[i].meanE + prepared[j].meanE);
  }
  const cFull = Float64Array.from(prepared, (p) => p.total / p.g);
  const sol = solveFreeEnergies(full, betas, cFull, init, tol, maxIterations, '');
  const cache = full.E.length * (B + 1) <= 1 << 24;
  const fullCurve = makeCurve(full, betas, cFull, sol.lambda, N, channels, cache);

  // ---- jackknife: drop block b of every replica of every run, re-solve.
  const looCurves: ((beta: number) => ReweightedPoint)[] = [];
  const looLambda: Float64Array[] = [];
  for (let b = 0; b < B; b++) {
    const P = looPoints(b);
    const cb = Float64Array.from(prepared, (p) => (p.total - p.blockCounts[b]) / p.g);
    const s = solveFreeEnergies(P, betas, cb, sol.lambda, tol, maxIterations, ` (jackknife sample ${b})`);
    looLambda.push(s.lambda);
    looCurves.push(makeCurve(P, betas, cb, s.lambda, N, channels, cache));
  }

  const runLnZ: Estimate[] = Array.from({ length: K }, (_, k) =>
    B >= 2
      ? jackknifeFromReplicas(
          sol.lambda[k],
          looLambda.map((l) => l[k]),
        )
      : { mean: sol.lambda[k], err: Number.NaN },
  );
  runLnZ[0] = { mean: 0, err: B >= 2 ? 0 : Number.NaN };

  return {
    betas: Array.from(betas),
    runLnZ,
    iterations: sol.iterations,
    residual: sol.residual,
    histogrammed: grid !== null,
    energyStep: grid ? grid.step : null,
    blocks: B,
    statisticalInefficiency: prepared.map((p) => p.g),
    N,
    lnZ: (beta: number) => fullCurve(beta).lnZ,
    at: fullCurve,
    estimate: (beta: number) =>
      jackknifePoint(
        fullCurve(beta),
        looCurves.map((f) => f(beta)),
      ),
    jackknifeCurves: looCurves,
  };
}

// ------------------------------------------------------ curve analysis --

/** Options of {@link specificHeatPeak}. */
export interface PeakOptions {
  /** Points of the initial uniform scan in T (default 201). */
  scanPoints?: number;
  /** Golden-section stops when the T bracket is shorter than this (default 1e-9·T). */
  tol?: number;
}

/** Location and height of a specific-heat maximum. */
export interface SpecificHeatPeak {
  T: number;
  beta: number;
  c: number;
  /** True when the maximum is at Tmin or Tmax (no interior peak in the range). */
  atBoundary: boolean;
}

/**
 * Maximum of c over T ∈ [Tmin, Tmax]: uniform scan of `scanPoints` temperatures,
 * then golden-section search in the bracket [T_{i−1}, T_{i+1}] around the
 * largest scanned value. `curve` takes β (e.g. MultipleHistogramResult.at).
 * A curve with several maxima in the range gives the highest scanned one.
 */
export function specificHeatPeak(
  curve: (beta: number) => { c: number },
  Tmin: number,
  Tmax: number,
  options: PeakOptions = {},
): SpecificHeatPeak {
  if (!(Tmin > 0) || !(Tmax > Tmin) || !Number.isFinite(Tmax)) {
    throw new RangeError(`specificHeatPeak: need 0 < Tmin < Tmax, got ${Tmin}, ${Tmax}`);
  }
  const n = Math.max(3, Math.floor(options.scanPoints ?? 201));
  const cAt = (T: number): number => {
    const v = curve(1 / T).c;
    if (Number.isNaN(v)) throw new RangeError(`specificHeatPeak: c is NaN at T = ${T}`);
    return v;
  };
  const Ts = Array.from({ length: n }, (_, i) => (i === n - 1 ? Tmax : Tmin + ((Tmax - Tmin) * i) / (n - 1)));
  let best = 0;
  let bestC = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = cAt(Ts[i]);
    if (v > bestC) {
      bestC = v;
      best = i;
    }
  }
  let lo = Ts[Math.max(0, best - 1)];
  let hi = Ts[Math.min(n - 1, best + 1)];
  const tol = options.tol ?? 1e-9 * Ts[best];
  const phi = (Math.sqrt(5) - 1) / 2;
  let x1 = hi - phi * (hi - lo);
  let x2 = lo + phi * (hi - lo);
  let f1 = cAt(x1);
  let f2 = cAt(x2);
  for (let it = 0; it < 200 && hi - lo > tol; it++) {
    if (f1 >= f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - phi * (hi - lo);
      f1 = cAt(x1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + phi * (hi - lo);
      f2 = cAt(x2);
    }
  }
  // Best of the final interior points and the scanned maximum (the bracket may end on a range edge).
  let T = f1 >= f2 ? x1 : x2;
  let c = Math.max(f1, f2);
  if (bestC > c) {
    T = Ts[best];
    c = bestC;
  }
  const edge = (Tmax - Tmin) * 1e-6;
  return { T, beta: 1 / T, c, atBoundary: T - Tmin <= edge || Tmax - T <= edge };
}

/** Specific-heat peak with jackknife errors. */
export interface SpecificHeatPeakEstimate {
  T: Estimate;
  beta: Estimate;
  c: Estimate;
  atBoundary: boolean;
}

/**
 * {@link specificHeatPeak} of the full-data curve, with jackknife errors of the
 * location and height from the leave-one-block-out curves (e.g.
 * `specificHeatPeakWithErrors(mh.at, mh.jackknifeCurves, Tmin, Tmax)`).
 */
export function specificHeatPeakWithErrors(
  curve: (beta: number) => { c: number },
  jackknifeCurves: readonly ((beta: number) => { c: number })[],
  Tmin: number,
  Tmax: number,
  options: PeakOptions = {},
): SpecificHeatPeakEstimate {
  const full = specificHeatPeak(curve, Tmin, Tmax, options);
  const reps = jackknifeCurves.map((f) => specificHeatPeak(f, Tmin, Tmax, options));
  return {
    T: jackknifeFromReplicas(
      full.T,
      reps.map((p) => p.T),
    ),
    beta: jackknifeFromReplicas(
      full.beta,
      reps.map((p) => p.beta),
    ),
    c: jackknifeFromReplicas(
      full.c,
      reps.map((p) => p.c),
    ),
    atBoundary: full.atBoundary,
  };
}

/** Options of {@link binderCrossing}. */
export interface CrossingOptions {
  /** Points of the scan for a sign change (default 101). */
  scanPoints?: number;
  /** Bisection stops when the bracket is shorter than this (default 1e-12·T). */
  tol?: number;
}

/**
 * Temperature in [Tmin, Tmax] where two curves (e.g. the Binder cumulants
 * U₄(T) of two lattice sizes) cross: scan A − B on `scanPoints` uniform
 * temperatures for the first sign change (lowest T), then bisect. Returns
 * null when A − B keeps one sign on the scan (no crossing, or two crossings
 * closer than the scan spacing).
 */
export function binderCrossing(
  curveA: (T: number) => number,
  curveB: (T: number) => number,
  Tmin: number,
  Tmax: number,
  options: CrossingOptions = {},
): number | null {
  if (!(Tmax > Tmin) || !Number.isFinite(Tmin) || !Number.isFinite(Tmax)) {
    throw new RangeError(`binderCrossing: need Tmin < Tmax, got ${Tmin}, ${Tmax}`);
  }
  const n = Math.max(2, Math.floor(options.scanPoints ?? 101));
  const diff = (T: number): number => {
    const d = curveA(T) - curveB(T);
    if (Number.isNaN(d)) throw new RangeError(`binderCrossing: a curve is NaN at T = ${T}`);
    return d;
  };
  let prevT = Tmin;
  let prevD = diff(Tmin);
  if (prevD === 0) return Tmin;
  for (let i = 1; i < n; i++) {
    const T = i === n - 1 ? Tmax : Tmin + ((Tmax - Tmin) * i) / (n - 1);
    const d = diff(T);
    if (d === 0) return T;
    if (Math.sign(d) !== Math.sign(prevD)) {
      let lo = prevT;
      let hi = T;
      let dLo = prevD;
      const tol = options.tol ?? 1e-12 * Math.max(Math.abs(lo), Math.abs(hi));
      for (let it = 0; it < 200 && hi - lo > tol; it++) {
        const mid = 0.5 * (lo + hi);
        const dm = diff(mid);
        if (dm === 0) return mid;
        if (Math.sign(dm) === Math.sign(dLo)) {
          lo = mid;
          dLo = dm;
        } else {
          hi = mid;
        }
      }
      return 0.5 * (lo + hi);
    }
    prevT = T;
    prevD = d;
  }
  return null;
}

/** A curve with its jackknife replicas (e.g. U₄(T) of one lattice size from one multipleHistogram). */
export interface CurveWithReplicas {
  full: (T: number) => number;
  replicas: readonly ((T: number) => number)[];
}

/**
 * {@link binderCrossing} with a jackknife error for two INDEPENDENT data sets
 * (e.g. two lattice sizes simulated separately): the crossing is recomputed
 * with A's replicas against B's full curve and vice versa, and the two
 * jackknife variances are added. Null when the full curves do not cross; a
 * replica without a crossing makes err = Infinity.
 */
export function binderCrossingWithErrors(
  a: CurveWithReplicas,
  b: CurveWithReplicas,
  Tmin: number,
  Tmax: number,
  options: CrossingOptions = {},
): Estimate | null {
  const T = binderCrossing(a.full, b.full, Tmin, Tmax, options);
  if (T === null) return null;
  const ofA = a.replicas.map((f) => binderCrossing(f, b.full, Tmin, Tmax, options) ?? Number.NaN);
  const ofB = b.replicas.map((f) => binderCrossing(a.full, f, Tmin, Tmax, options) ?? Number.NaN);
  const ea = ofA.length >= 2 ? jackknifeFromReplicas(T, ofA).err : 0;
  const eb = ofB.length >= 2 ? jackknifeFromReplicas(T, ofB).err : 0;
  return { mean: T, err: Math.sqrt(ea * ea + eb * eb) };
}
