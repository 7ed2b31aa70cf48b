/**
 * The sampler factories of `ising learn`: the one place a backend is chosen. Perceptron: `cpu` is the
 * reference (src/models/weights/cpu-perceptron-sampler.ts); `gpu` runs the WGSL kernel that follows the
 * same contract bit for bit (src/models/weights/gpu-perceptron-sampler.ts; binary inputs only). Linear
 * model: `cpu` is CpuLinearSampler (src/models/weights/linear.ts); `gpu` runs its f32 WGSL twin
 * (src/models/weights/gpu-linear-sampler.ts: same random words and decisions, θ equal to f32 rounding).
 */

import {
  CpuPerceptronSampler,
  type PerceptronRunOptions,
  type PerceptronRunResult,
  type PerceptronSamplerConfig,
} from '../../models/weights/cpu-perceptron-sampler.ts';

import { GpuPerceptronSampler } from '../../models/weights/gpu-perceptron-sampler.ts';
import { CpuLinearSampler, type LinearSamplerConfig } from '../../models/weights/linear.ts';
import {
  GpuLinearSampler,
  type GpuLinearRunResult,
  type LinearRunOptions,
} from '../../models/weights/gpu-linear-sampler.ts';
import { openNodeDevice } from '../../gpu/node.ts';
import type { GpuContext } from '../../gpu/device.ts';

export const LEARN_BACKENDS = ['cpu', 'gpu'] as const;
export type LearnBackend = (typeof LEARN_BACKENDS)[number];

/** What the orchestration needs of a perceptron sampler (CPU or GPU). */
export interface PerceptronSamplerLike {
  readonly backend: string;
  /** The adapter that runs it ('cpu reference' for the CPU). */
  readonly adapter?: string;
  readonly replicas: number;
  readonly N: number;
  sweepsDone: number;
  run(options: PerceptronRunOptions): Promise<PerceptronRunResult>;
  setSlots(slots: readonly number[]): void;
}

/** One device for all samplers and GPU enumerations of a process (selfavg and --curve make several). */
let gpu: Promise<GpuContext> | undefined;

/** The process's learning device (opened on first use). */
export function learningDevice(): Promise<GpuContext> {
  gpu ??= openNodeDevice();
  return gpu;
}

/** Create the perceptron sampler of a backend; throws a RangeError for an unknown one. */
export async function createPerceptronSampler(
  backend: string,
  config: PerceptronSamplerConfig,
): Promise<PerceptronSamplerLike> {
  switch (backend) {
    case 'cpu':
      return new CpuPerceptronSampler(config);
    case 'gpu': {
      const ctx = await learningDevice();
      return Object.assign(await GpuPerceptronSampler.create(ctx, config), { adapter: ctx.adapterName });
    }
    default:
      throw new RangeError(
        `backend '${backend}' is not available for the perceptron (available: ${LEARN_BACKENDS.join(', ')})`,
      );
  }
}

/** What the orchestration needs of a linear-model sampler (CPU or GPU). */
export interface LinearSamplerLike {
  readonly backend: string;
  /** The adapter that runs it ('cpu reference' for the CPU). */
  readonly adapter?: string;
  readonly replicas: number;
  readonly N: number;
  readonly scale: Float64Array;
  readonly sweepsDone: number;
  /** Sweeps with measurements; recordWeights adds θ at every measurement (sampledWeights). */
  run(options: LinearRunOptions): Promise<GpuLinearRunResult>;
  tune(blocks?: number, sweepsPerBlock?: number): Promise<Float64Array>;
  weights(): Promise<Float64Array>;
  destroy(): void;
}

/**
 * CpuLinearSampler behind the async interface. run() with recordWeights runs measureEvery sweeps at a
 * time and copies θ after each, which is the same trajectory as one run() (measurements, and the
 * residual recomputation they do, fall on the same sweeps).
 */
class CpuLinearBackend implements LinearSamplerLike {
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
    const add = (a: Float64Array) => a.forEach((v, r) => (accepted[r] += v));
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

/** Create the linear-model sampler of a backend (same device as the perceptron's); throws a RangeError for an unknown one. */
export async function createLinearSampler(backend: string, config: LinearSamplerConfig): Promise<LinearSamplerLike> {
  switch (backend) {
    case 'cpu':
      return new CpuLinearBackend(new CpuLinearSampler(config));
    case 'gpu': {
      const ctx = await learningDevice();
      return Object.assign(await GpuLinearSampler.create(ctx, config), { adapter: ctx.adapterName });
    }
    default:
      throw new RangeError(
        `backend '${backend}' is not available for the linear model (available: ${LEARN_BACKENDS.join(', ')})`,
      );
  }
}
