/**
 * The sampler factories of `ising learn`: the one place a backend is chosen. Perceptron: `cpu` is the
 * reference (src/models/weights/cpu-perceptron-sampler.ts); `gpu` runs the WGSL kernel that follows the
 * same contract bit for bit (src/models/weights/gpu-perceptron-sampler.ts; binary inputs only). Linear
 * model: `cpu` is CpuLinearSampler (src/models/weights/linear.ts); `gpu` runs its f32 WGSL twin
 * (src/models/weights/gpu-linear-sampler.ts: same random words and decisions, θ equal to f32 rounding).
 * The interfaces they return are src/models/weights/sampler.ts's.
 */

import { CpuPerceptronSampler } from '../../models/weights/cpu-perceptron-sampler.ts';
import type { PerceptronSamplerConfig } from '../../models/weights/perceptron-config.ts';
import { GpuPerceptronSampler } from '../../models/weights/gpu-perceptron-sampler.ts';
import { CpuLinearSampler, type LinearSamplerConfig } from '../../models/weights/linear.ts';
import { GpuLinearSampler } from '../../models/weights/gpu-linear-sampler.ts';
import { CpuLinearAsync, type LinearSampler, type PerceptronSampler } from '../../models/weights/sampler.ts';
import type { GpuContext } from '../../gpu/device.ts';

export const LEARN_BACKENDS = ['cpu', 'gpu'] as const;
export type LearnBackend = (typeof LEARN_BACKENDS)[number];

/**
 * How a study gets its GPU device: the caller (the CLI in Node, a page in the browser) opens it, on
 * first use, and hands the same one to every sampler and enumeration of the study.
 */
export type DeviceOpener = () => Promise<GpuContext>;

/** The device for backend 'gpu'; a RangeError when the caller gave no way to open one. */
export function gpuDevice(device: DeviceOpener | undefined): Promise<GpuContext> {
  if (!device) throw new RangeError("backend 'gpu' needs a device: pass the study a device opener");
  return device();
}

/** Create the perceptron sampler of a backend; throws a RangeError for an unknown one. */
export async function createPerceptronSampler(
  backend: string,
  config: PerceptronSamplerConfig,
  device?: DeviceOpener,
): Promise<PerceptronSampler> {
  switch (backend) {
    case 'cpu':
      return new CpuPerceptronSampler(config);
    case 'gpu': {
      const ctx = await gpuDevice(device);
      return Object.assign(await GpuPerceptronSampler.create(ctx, config), { adapter: ctx.adapterName });
    }
    default:
      throw new RangeError(
        `backend '${backend}' is not available for the perceptron (available: ${LEARN_BACKENDS.join(', ')})`,
      );
  }
}

/** Create the linear-model sampler of a backend (same device as the perceptron's); throws a RangeError for an unknown one. */
export async function createLinearSampler(
  backend: string,
  config: LinearSamplerConfig,
  device?: DeviceOpener,
): Promise<LinearSampler> {
  switch (backend) {
    case 'cpu':
      return new CpuLinearAsync(new CpuLinearSampler(config));
    case 'gpu': {
      const ctx = await gpuDevice(device);
      return Object.assign(await GpuLinearSampler.create(ctx, config), { adapter: ctx.adapterName });
    }
    default:
      throw new RangeError(
        `backend '${backend}' is not available for the linear model (available: ${LEARN_BACKENDS.join(', ')})`,
      );
  }
}
