/**
 * Public types of histogram reweighting. Conventions shared by every function of this folder:
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
 */
import type { Estimate } from '../types.ts';

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
