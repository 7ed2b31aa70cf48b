/**
 * The weight-replica sampler interfaces (beside IsingSampler in models/ising/sampler.ts): what the
 * learning studies need of a perceptron or linear-model sampler, CPU or GPU. The CPU linear
 * sampler is synchronous; CpuLinearAsync puts it behind the same interface.
 */

import type { SweepOptions } from '../run-options.ts';
import type { PerceptronRunOptions, PerceptronRunResult } from './cpu-perceptron-sampler.ts';
import type { PerceptronSamplerState } from './perceptron-config.ts';
import type { GpuLinearRunResult, LinearRunOptions } from './gpu-linear-sampler.ts';
import type { CpuLinearSampler } from './linear.ts';

/** What every weight-replica sampler offers. */
export interface WeightsSampler<O extends SweepOptions, R> {
  readonly backend: string;
  /** The adapter that runs it ('cpu reference' for the CPU). */
  readonly adapter?: string;
  readonly replicas: number;
  readonly N: number;
  readonly sweepsDone: number;
  /** Sweeps with measurements. */
  run(options: O): Promise<R>;
}

export interface PerceptronSampler extends WeightsSampler<PerceptronRunOptions, PerceptronRunResult> {
  sweepsDone: number;
  readonly slots: readonly number[];
  setSlots(slots: readonly number[]): void;
  /** Current weights (±1), replica-major R×N. */
  weights(): Int8Array | Promise<Int8Array>;
  /** Continue from saved weights and sweep counter. */
  restore(state: PerceptronSamplerState): void;
}

export interface LinearSampler extends WeightsSampler<LinearRunOptions, GpuLinearRunResult> {
  readonly scale: Float64Array;
  tune(blocks?: number, sweepsPerBlock?: number): Promise<Float64Array>;
  weights(): Promise<Float64Array>;
  destroy(): void;
}

/**
 * CpuLinearSampler behind the async interface. run() with recordWeights runs measureEvery sweeps at a
 * time and copies θ after each, which is the same trajectory as one run() (measurements, and the
 * residual recomputation they do, fall on the same sweeps).
 */
export class CpuLinearAsync implements LinearSampler {
  readonly backend = 'cpu';
  readonly adapter = 'cpu reference';
  constructor(readonly sampler: CpuLinearSampler) {}
  get replicas(): number {
    return this.sampler.replicas;
  }
  get N(): number {
    return this.sampler.N;
  }
  get scale(): Float64Array {
    return this.sampler.scale;
  }
  get sweepsDone(): number {
    return this.sampler.sweepsDone;
  }
  async run(options: LinearRunOptions): Promise<GpuLinearRunResult> {
    const s = this.sampler;
    const measureEvery = options.measureEvery ?? 1;
    if (!options.recordWeights || measureEvery === 0) return s.run({ sweeps: options.sweeps, measureEvery });
    const { sweeps } = options;
    if (!Number.isInteger(sweeps) || sweeps < 0) throw new RangeError(`sweeps must be an integer >= 0, got ${sweeps}`);
    const { N, replicas: R } = s;
    const samples = Math.floor(sweeps / measureEvery);
    const energy = new Float64Array(samples * R);
    const accepted = new Float64Array(R);
    const sampledWeights = new Float64Array(samples * R * N);
    const add = (a: Float64Array) => {
      a.forEach((v, r) => {
        accepted[r] += v;
      });
    };
    for (let k = 0; k < samples; k++) {
      const res = s.run({ sweeps: measureEvery, measureEvery });
      add(res.accepted);
      energy.set(res.energy, k * R);
      sampledWeights.set(s.weights(), k * R * N);
    }
    const rest = sweeps - samples * measureEvery;
    if (rest > 0) add(s.run({ sweeps: rest, measureEvery }).accepted);
    return { sweeps, samples, replicas: R, energy, accepted, proposed: sweeps * N, sampledWeights };
  }
  async tune(blocks?: number, sweepsPerBlock?: number): Promise<Float64Array> {
    return this.sampler.tune(blocks, sweepsPerBlock);
  }
  async weights(): Promise<Float64Array> {
    return this.sampler.weights();
  }
  destroy(): void {}
}
