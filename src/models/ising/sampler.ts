/**
 * The one sampler interface with two implementations: the GPU sampler (WGSL kernels) and the
 * CPU reference. Same inputs, same random numbers, same decisions, same integer outputs.
 */

import type { ParameterUpdate, ResolvedIsingConfig } from './config.ts';
import type { TemperingPlan } from '../../tempering/exchange.ts';
import { checkSweepOptions } from '../run-options.ts';

/** Options of one run. */
export interface RunOptions {
  /** Number of sweeps (each: both colours of every replica). */
  sweeps: number;
  /** Measure bonds and magnetisation after every k-th sweep of this run (0: never; default 1). */
  measureEvery?: number;
  /**
   * Replica exchange between the temperature slots of each chain of K replicas, on the device
   * (src/tempering/exchange.ts). Requires measureEvery = 1 and h = 0.
   */
  tempering?: TemperingPlan;
  /** Also measure the structure factor at the smallest wavevectors (RunResult.structureFactor). */
  structureFactor?: boolean;
  /** Time the GPU work with timestamp queries where the device has them (GPU sampler only). */
  timing?: boolean;
  /** Called after each batch with the sweeps done so far in this run. */
  onProgress?: (done: number, total: number) => void;
}

/** What a run returns. Samples are sample-major: entry k·replicas + r. */
export interface RunResult {
  sweeps: number;
  samples: number;
  replicas: number;
  /** Σ over sites of s·(J_right·s_right + J_down·s_down) (J = ±1 couplings, else 1), per sample and replica. */
  bonds: Int32Array;
  /** Σ s, per sample and replica. */
  magnetization: Int32Array;
  /** With couplings: Σ_i s_i s_i^partner with the replica's overlap partner (models/ising/overlap.ts). */
  overlap?: Int32Array;
  /** With couplings: Σ over right and down bonds of (s_i s_j)(s_i s_j)^partner (link overlap · 2N). */
  linkOverlap?: Int32Array;
  /** Accepted flips during the run, per replica. */
  flips: Float64Array;
  /**
   * Cluster algorithms: per sample and replica, an improved estimate of M² from the clusters of
   * that sweep (valid at h = 0): Σ_C q_C² (Swendsen–Wang) or N·q_C²/|C| of the flipped cluster
   * (Wolff), q_C the cluster's magnetisation (|C| for J > 0).
   */
  clusterMoments?: Float64Array;
  /** With RunOptions.structureFactor: F = (S(2π/Lx, 0) + S(0, 2π/Ly))/2 per sample and replica (structure.ts). */
  structureFactor?: Float64Array;
  /** GPU time of the run's compute passes from timestamp queries (when asked for and available). */
  gpuSeconds?: number;
  /** Tempering: the replica at slot k of chain c during sample t, at [t·replicas + c·K + k]. */
  permutations?: Uint32Array;
  /** Tempering: accepted and attempted swaps per adjacent pair, summed over chains. */
  swapAccepted?: Float64Array;
  swapAttempted?: Float64Array;
}

export interface IsingSampler {
  readonly backend: 'gpu' | 'cpu';
  readonly config: Readonly<ResolvedIsingConfig>;
  /** Sweeps done since the initial state (the sweep number of the next sweep). */
  readonly sweepsDone: number;
  /** Advance the lattices, measuring as asked. */
  run(options: RunOptions): Promise<RunResult>;
  /** Current spins (±1), replica-major, row-major. */
  spins(): Promise<Int8Array>;
  /**
   * Replace the lattices (±1, replica-major, row-major) and, to resume a saved state exactly,
   * the sweep counter that the random numbers depend on.
   */
  restore(state: { spins: Int8Array; sweepsDone?: number }): void;
  /** Current bond sum and magnetisation of each replica. */
  observe(): Promise<{ bonds: Int32Array; magnetization: Int32Array }>;
  /** Move replicas between temperature slots (replica exchange). */
  setSlots(slots: readonly number[]): void;
  /** Change couplings, temperatures, slots or algorithm (recomputes the threshold tables). */
  setParameters(p: ParameterUpdate): void;
  destroy(): void;
}

/** Check a state to restore against the config; throws RangeError naming the problem. */
export function checkState(
  state: { spins: Int8Array; sweepsDone?: number },
  config: Readonly<ResolvedIsingConfig>,
): void {
  const n = config.replicas * config.Lx * config.Ly;
  if (state.spins.length !== n)
    throw new RangeError(`spins must have replicas*Lx*Ly = ${n} entries, got ${state.spins.length}`);
  for (const s of state.spins) if (s !== 1 && s !== -1) throw new RangeError(`spins must be +1 or -1, got ${s}`);
  const t = state.sweepsDone;
  if (t !== undefined && !(Number.isInteger(t) && t >= 0 && t <= 2 ** 48 - 1))
    throw new RangeError(`sweepsDone must be an integer in [0, 2^48), got ${t}`);
}

/** Check run options; throws RangeError naming the option. */
export function checkRunOptions(
  o: RunOptions,
  config?: Readonly<ResolvedIsingConfig>,
): { sweeps: number; measureEvery: number } {
  const { measureEvery } = checkSweepOptions(o);
  if (o.tempering) {
    if (measureEvery !== 1)
      throw new RangeError('tempering needs measureEvery = 1 (exchanges use the energies just measured)');
    if (!Number.isInteger(o.tempering.every) || o.tempering.every < 1) {
      throw new RangeError(`the exchange interval must be an integer >= 1, got ${o.tempering.every}`);
    }
    if (config && config.h !== 0)
      throw new RangeError('tempering needs h = 0 (integer energies make the exchange bit-identical on GPU and CPU)');
    if (config && o.tempering.tables.K !== config.temperatures.length) {
      throw new RangeError(
        `the swap tables are for ${o.tempering.tables.K} temperatures, the sampler has ${config.temperatures.length}`,
      );
    }
  }
  return { sweeps: o.sweeps, measureEvery };
}
