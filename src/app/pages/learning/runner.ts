/**
 * What the learning page advances: the two chains of K perceptron replicas, on the GPU
 * (GpuPerceptronSampler) or, without WebGPU, on the CPU reference in a Web Worker. Both return
 * the same PerceptronRunResult.
 */

import type { GpuContext } from '../../../gpu/device.ts';
import type { PerceptronRunOptions, PerceptronRunResult } from '../../../models/weights/cpu-perceptron-sampler.ts';
import { GpuPerceptronSampler } from '../../../models/weights/gpu-perceptron-sampler.ts';
import type { PerceptronSamplerConfig } from '../../../models/weights/perceptron-config.ts';
import { WorkerChannel } from '../../shared/worker-channel.ts';
import type { FromWeightsWorker, ToWeightsWorker } from './cpu-worker.ts';

export interface WeightsRunner {
  readonly sweepsDone: number;
  /** The temperature slot of each replica now. */
  readonly slots: readonly number[];
  run(options: PerceptronRunOptions): Promise<PerceptronRunResult>;
}

export function gpuWeights(ctx: GpuContext, config: PerceptronSamplerConfig): Promise<WeightsRunner> {
  return GpuPerceptronSampler.create(ctx, config);
}

export async function cpuWeights(config: PerceptronSamplerConfig): Promise<WeightsRunner> {
  const channel = new WorkerChannel<ToWeightsWorker, FromWeightsWorker>(
    new Worker(new URL('./cpu-worker.ts', import.meta.url), { type: 'module' }),
  );
  let last = await channel.request({ type: 'init', config });
  return {
    get sweepsDone() {
      return last.sweepsDone;
    },
    get slots() {
      return last.slots;
    },
    async run(options) {
      last = await channel.request({ type: 'run', options });
      if (!last.result) throw new Error('the CPU worker answered a run without its result');
      return last.result;
    },
  };
}
