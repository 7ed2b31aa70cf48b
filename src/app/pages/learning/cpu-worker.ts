/// <reference lib="webworker" />
/** The learning page's fallback without WebGPU: the CPU reference perceptron sampler, in a Web Worker. */

import {
  CpuPerceptronSampler,
  type PerceptronRunOptions,
  type PerceptronRunResult,
} from '../../../models/weights/cpu-perceptron-sampler.ts';
import type { PerceptronSamplerConfig } from '../../../models/weights/perceptron-config.ts';
import { serveWorker } from '../../shared/worker-channel.ts';

export type ToWeightsWorker =
  | { type: 'init'; config: PerceptronSamplerConfig }
  | { type: 'run'; options: PerceptronRunOptions };

/** After a run: its result, and the slots and sweep count the sampler has now. */
export interface FromWeightsWorker {
  result?: PerceptronRunResult;
  slots: number[];
  sweepsDone: number;
}

let sampler: CpuPerceptronSampler | undefined;

serveWorker(async (m: ToWeightsWorker) => {
  if (m.type === 'init') sampler = new CpuPerceptronSampler(m.config);
  if (!sampler) throw new Error('the CPU worker got a run before its init');
  const result = m.type === 'run' ? await sampler.run(m.options) : undefined;
  const reply: FromWeightsWorker = { result, slots: [...sampler.slots], sweepsDone: sampler.sweepsDone };
  return { reply };
});
