/**
 * The sampler factory of `ising learn`: the one place a backend is chosen. `cpu` is the reference
 * (src/models/weights/cpu-perceptron-sampler.ts); `gpu` runs the WGSL kernel that follows the same
 * contract bit for bit (src/models/weights/gpu-perceptron-sampler.ts; binary inputs only).
 */

import { CpuPerceptronSampler, type PerceptronRunOptions, type PerceptronRunResult, type PerceptronSamplerConfig } from '../models/weights/cpu-perceptron-sampler.ts';

import { GpuPerceptronSampler } from '../models/weights/gpu-perceptron-sampler.ts';
import { openNodeDevice } from '../gpu/node.ts';
import type { GpuContext } from '../gpu/device.ts';

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

/** One device for all samplers of a process (selfavg and --curve make several). */
let gpu: Promise<GpuContext> | undefined;

/** Create the perceptron sampler of a backend; throws a RangeError for an unknown one. */
export async function createPerceptronSampler(backend: string, config: PerceptronSamplerConfig): Promise<PerceptronSamplerLike> {
  switch (backend) {
    case 'cpu':
      return new CpuPerceptronSampler(config);
    case 'gpu': {
      gpu ??= openNodeDevice();
      const ctx = await gpu;
      return Object.assign(await GpuPerceptronSampler.create(ctx, config), { adapter: ctx.adapterName });
    }
    default:
      throw new RangeError(`backend '${backend}' is not available for the perceptron (available: ${LEARN_BACKENDS.join(', ')})`);
  }
}
