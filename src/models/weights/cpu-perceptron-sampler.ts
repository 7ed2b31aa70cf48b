/**
 * CPU reference sampler of binary-perceptron weight replicas: p(w) ∝ exp(−β·E(w)), E = number of
 * training errors (src/models/weights/perceptron.ts), single-weight Metropolis with integer
 * thresholds computed on the host (docs/ARCHITECTURE.md, "The numerical contract").
 *
 * THE CONTRACT THE GPU KERNEL WILL FOLLOW (same integers → same decisions, bit for bit):
 *
 * - Replicas r = 0 … R−1; replica r works on dataset datasetOf[r] (all datasets share N and P) and
 *   sits in temperature slot slots[r]. Replicas = datasets × temperatures × replicas-per-T is the
 *   caller's business.
 * - Threshold tables: for slot k with β_k = 1/T_k, and ΔE ∈ [−P, P],
 *     threshold[k·(2P+1) + ΔE + P] = probabilityThreshold(min(1, e^{−β_k ΔE}))
 *   (= min(2^32−1, floor(2^32·p)), float64 on the host; ΔE ≤ 0 gives 2^32−1).
 * - One sweep s (s = sweepsDone, the absolute sweep number of the replica's history) updates the
 *   weights i = 0, 1, …, N−1 in this order, each seeing the fields left by the previous one.
 *   The random word of weight i of replica r in sweep s is
 *     u = randomWords(seedKey(seed), r, s, 0, i >> 2, STREAMS.WEIGHTS_UPDATE)[i & 3]
 *   (Philox counter (i >> 2, r, s mod 2^32, WEIGHTS_UPDATE << 24 | floor(s / 2^32)), word i & 3).
 *   ΔE = Σ_μ [err(y_μ, h_μ − 2 w_i x_μi) − err(y_μ, h_μ)], err(y, h) = (y·h ≤ 0);
 *   flip iff u < threshold[slot·(2P+1) + ΔE + P]; on a flip h_μ −= 2 w_i x_μi, w_i = −w_i.
 * - Initial weights ('random'): w_i of replica r = +1 iff the top bit of
 *     randomWords(seedKey(seed), r, 0, 0, i >> 2, STREAMS.WEIGHTS_INIT)[i & 3]
 *   is 1, else −1. Or given (±1, replica-major R×N).
 * - Measurement after a sweep: E (integer errors) and w·w* (an integer for a binary teacher),
 *   per replica; the fields are exact integers for binary inputs, so E is exact on both sides.
 * - Replica exchange (run option `exchange`): replicas r = c·K … c·K+K−1 form chain c (K slots).
 *   After every sweep s, exchangeStep of src/tempering/exchange.ts (pairs (k, k+1) with
 *   k ≡ (s+1) mod 2 in increasing k, word 0 of Philox(k, c, sweepWords(s, 0, TEMPERING))) on the
 *   replicas' errors E, with perceptronExchangePlan's tables: accept with probability
 *   min(1, e^{(β_k − β_{k+1})(E_a − E_b)}), a, b the replicas at slots k, k+1. Only slots move,
 *   weights never; the measurement of sweep s comes after its exchange.
 */

import { STREAMS, seedKey, sweepWords } from '../../rng/streams.ts';
import { exchangeStep, slotReplicas, swapAttempts, type TemperingPlan } from '../../tempering/exchange.ts';
import { swapTables } from '../../tempering/swap-tables.ts';
import { philox4x32 } from '../../rng/philox.ts';
import { probabilityThreshold } from '../../params/thresholds.ts';
import { checkSweepOptions } from '../run-options.ts';
import { PerceptronState } from './perceptron.ts';
import {
  PerceptronReplicas,
  initialPerceptronWeights,
  resolvePerceptronConfig,
  type PerceptronSamplerConfig,
  type PerceptronSamplerState,
} from './perceptron-config.ts';

export interface PerceptronRunOptions {
  sweeps: number;
  /** Measure after every k-th sweep of this run (0: never; default 1). */
  measureEvery?: number;
  /** Also return the weights at every measurement (samples×R×N). */
  recordWeights?: boolean;
  /**
   * Replica exchange after every sweep (the rule in this file's header): replicas r = c·K … c·K+K−1
   * form chain c (K = temperatures.length; R must be a multiple of K and each chain must hold each
   * slot once). Slots change; weights never move. Measurements are taken after the exchange.
   */
  exchange?: boolean;
  /** Time the GPU passes with timestamp queries where the device has them (GPU sampler only). */
  timing?: boolean;
}

/** Sample-major results: entry k·replicas + r. */
export interface PerceptronRunResult {
  sweeps: number;
  samples: number;
  replicas: number;
  /** Training errors E per sample and replica. */
  energy: Int32Array;
  /** w·w* per sample and replica (integer for a binary teacher). */
  teacherDot: Float64Array;
  /** Accepted flips during the run, per replica. */
  flips: Float64Array;
  /** Weights (±1) at the end of the run, replica-major R×N. */
  weights: Int8Array;
  /** With recordWeights: weights at each measurement, [(k·R + r)·N + i]. */
  sampledWeights?: Int8Array;
  /** With exchange: the slot of replica r at measurement k (after that sweep's exchange), [k·R + r]. */
  slotsAt?: Uint32Array;
  /** With exchange: accepted swaps per pair (k, k+1), summed over chains (K − 1 entries). */
  swapsAccepted?: Float64Array;
  /** With exchange: attempted swaps per pair, summed over chains. */
  swapsAttempted?: Float64Array;
  /** GPU time of the run's passes (GPU sampler, when asked for and available). */
  gpuSeconds?: number;
}

/** Metropolis threshold tables of all slots for ΔE ∈ [−P, P]: [k·(2P+1) + ΔE + P]. */
export function perceptronThresholds(temperatures: readonly number[], P: number): Uint32Array {
  const width = 2 * P + 1;
  const out = new Uint32Array(temperatures.length * width);
  temperatures.forEach((T, k) => {
    const beta = 1 / T;
    for (let dE = -P; dE <= P; dE++) {
      out[k * width + dE + P] = probabilityThreshold(dE <= 0 ? 1 : Math.exp(-beta * dE));
    }
  });
  return out;
}

/**
 * The tempering module's exchange plan for the perceptron: swap after every sweep, with the swap
 * tables of src/tempering/swap-tables.ts built with J = −1, so that their energy −J·b is the error
 * count b itself (|ΔE| ≤ P).
 */
export function perceptronExchangePlan(temperatures: readonly number[], P: number): TemperingPlan {
  return { every: 1, tables: swapTables(temperatures, -1, P) };
}

export class CpuPerceptronSampler extends PerceptronReplicas {
  readonly backend = 'cpu' as const;
  private tables: Uint32Array;
  private readonly key: [number, number];
  private states: PerceptronState[];
  private readonly words = new Uint32Array(4);

  constructor(config: PerceptronSamplerConfig) {
    const c = resolvePerceptronConfig(config);
    super(c);
    this.key = seedKey(c.seed);
    this.tables = perceptronThresholds(this.temperatures, c.P);
    this.states = this.statesOf(initialPerceptronWeights(c));
  }

  private statesOf(w: Int8Array): PerceptronState[] {
    const { N, datasets, datasetOf } = this;
    return datasetOf.map((d, r) => new PerceptronState(datasets[d], w.subarray(r * N, (r + 1) * N)));
  }

  /** Continue from saved weights and sweep counter (exactly: fields and errors are recomputed in integers). */
  restore(state: PerceptronSamplerState): void {
    this.checkState(state);
    this.states = this.statesOf(state.weights.slice());
    this.sweepsDone = state.sweepsDone;
  }

  /** One sweep of every replica (the contract in the header). */
  private sweep(flips: Float64Array): void {
    const { N, P } = this;
    const width = 2 * P + 1;
    const [c2, c3] = sweepWords(this.sweepsDone, 0, STREAMS.WEIGHTS_UPDATE);
    const w = this.words;
    for (let r = 0; r < this.replicas; r++) {
      const st = this.states[r];
      const base = this.slots[r] * width + P;
      let accepted = 0;
      for (let i = 0; i < N; i++) {
        if ((i & 3) === 0) philox4x32(i >> 2, r, c2, c3, this.key[0], this.key[1], w);
        const dE = st.deltaE(i);
        if (w[i & 3] < this.tables[base + dE]) {
          st.flip(i, dE);
          accepted++;
        }
      }
      flips[r] += accepted;
    }
    this.sweepsDone++;
  }

  runSync(options: PerceptronRunOptions): PerceptronRunResult {
    const { sweeps, measureEvery } = checkSweepOptions(options);
    const R = this.replicas;
    const N = this.N;
    const samples = measureEvery > 0 ? Math.floor(sweeps / measureEvery) : 0;
    const energy = new Int32Array(samples * R);
    const teacherDot = new Float64Array(samples * R);
    const sampledWeights = options.recordWeights ? new Int8Array(samples * R * N) : undefined;
    const flips = new Float64Array(R);
    const K = this.temperatures.length;
    const exchange = options.exchange === true;
    // Validates the chains (each holds each slot once) before anything runs.
    const slotReplica = exchange ? slotReplicas(this.slots, K) : undefined;
    const chains = R / K;
    const plan = exchange ? perceptronExchangePlan(this.temperatures, this.P) : undefined;
    const slotsAt = exchange ? new Uint32Array(samples * R) : undefined;
    const swapsAccepted = new Float64Array(Math.max(0, K - 1));
    const swapsAttempted = swapAttempts(K, 1, this.sweepsDone, this.sweepsDone + sweeps).map((a) => a * chains);
    const errors = (r: number): number => this.states[r].errors;
    let k = 0;
    for (let t = 0; t < sweeps; t++) {
      this.sweep(flips);
      if (slotReplica && plan) {
        for (let c = 0; c < chains; c++)
          exchangeStep(
            slotReplica,
            this.slots,
            errors,
            plan,
            this.key,
            c,
            this.sweepsDone - 1,
            swapsAccepted,
            this.words,
          );
      }
      if (measureEvery > 0 && (t + 1) % measureEvery === 0) {
        for (let r = 0; r < R; r++) {
          const st = this.states[r];
          energy[k * R + r] = st.errors;
          teacherDot[k * R + r] = st.teacherDot();
          sampledWeights?.set(st.w, (k * R + r) * N);
        }
        slotsAt?.set(this.slots, k * R);
        k++;
      }
    }
    const result: PerceptronRunResult = {
      sweeps,
      samples,
      replicas: R,
      energy,
      teacherDot,
      flips,
      weights: this.weights(),
    };
    if (sampledWeights) result.sampledWeights = sampledWeights;
    if (exchange) Object.assign(result, { slotsAt, swapsAccepted, swapsAttempted });
    return result;
  }

  /** Advance all replicas (async for parity with a GPU sampler). */
  async run(options: PerceptronRunOptions): Promise<PerceptronRunResult> {
    return this.runSync(options);
  }

  /** Current weights (±1), replica-major R×N. */
  weights(): Int8Array {
    const out = new Int8Array(this.replicas * this.N);
    this.states.forEach((st, r) => {
      out.set(st.w, r * this.N);
    });
    return out;
  }

  /** Current errors of each replica. */
  energies(): Int32Array {
    return Int32Array.from(this.states, (st) => st.errors);
  }

  /** Change the temperatures (slots must stay in range or be given). */
  override setTemperatures(temperatures: number[], slots?: number[]): void {
    super.setTemperatures(temperatures, slots);
    this.tables = perceptronThresholds(this.temperatures, this.P);
  }

  /** The threshold tables in use ([k·(2P+1) + ΔE + P]). */
  thresholds(): Uint32Array {
    return this.tables.slice();
  }
}
