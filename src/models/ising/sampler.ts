/**
 * The one sampler interface with two implementations: the GPU sampler (WGSL kernels) and the
 * CPU reference. Same inputs, same random numbers, same decisions, same integer outputs.
 */

import type { ParameterUpdate, ResolvedIsingConfig } from './spec.ts';

/** Options of one run. */
export interface RunOptions {
  /** Number of sweeps (each: both colours of every replica). */
  sweeps: number;
  /** Measure bonds and magnetisation after every k-th sweep of this run (0: never; default 1). */
  measureEvery?: number;
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
  /** Σ over sites of s·(s_right + s_down), per sample and replica. */
  bonds: Int32Array;
  /** Σ s, per sample and replica. */
  magnetization: Int32Array;
  /** Accepted flips during the run, per replica. */
  flips: Float64Array;
  /** GPU time of the run's compute passes from timestamp queries (when asked for and available). */
  gpuSeconds?: number;
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
  /** Current bond sum and magnetisation of each replica. */
  observe(): Promise<{ bonds: Int32Array; magnetization: Int32Array }>;
  /** Move replicas between temperature slots (replica exchange). */
  setSlots(slots: readonly number[]): void;
  /** Change couplings, temperatures, slots or algorithm (recomputes the threshold tables). */
  setParameters(p: ParameterUpdate): void;
  destroy(): void;
}

/** Check run options; throws RangeError naming the option. */
export function checkRunOptions(o: RunOptions): { sweeps: number; measureEvery: number } {
  if (!Number.isInteger(o.sweeps) || o.sweeps < 0) throw new RangeError(`sweeps must be an integer >= 0, got ${o.sweeps}`);
  const measureEvery = o.measureEvery ?? 1;
  if (!Number.isInteger(measureEvery) || measureEvery < 0) {
    throw new RangeError(`measureEvery must be an integer >= 0, got ${measureEvery}`);
  }
  return { sweeps: o.sweeps, measureEvery };
}
