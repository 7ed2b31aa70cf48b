/// <reference lib="webworker" />
/** The spin-glass page's fallback without WebGPU: the CPU reference sampler of the two replicas, in a Web Worker. */

import type { IsingConfig } from '../../../models/ising/config.ts';
import { CpuIsingSampler } from '../../../models/ising/cpu-sampler.ts';
import type { RunResult } from '../../../models/ising/sampler.ts';
import { serveWorker } from '../../shared/worker-channel.ts';

export type ToGlassWorker =
  | { type: 'init'; config: IsingConfig }
  | { type: 'sweep'; sweeps: number }
  | { type: 'temperature'; T: number };

/** After a message: what its sweeps measured, and the spins now. */
export interface FromGlassWorker {
  result: RunResult;
  spins: Int8Array;
  sweepsDone: number;
}

let sampler: CpuIsingSampler | undefined;

serveWorker(async (m: ToGlassWorker) => {
  if (m.type === 'init') sampler = new CpuIsingSampler(m.config);
  else if (!sampler) throw new Error('the CPU worker got a message before its init');
  else if (m.type === 'temperature') sampler.setParameters({ temperatures: [m.T] });
  const result = await sampler.run({ sweeps: m.type === 'sweep' ? m.sweeps : 0, measureEvery: 1 });
  const spins = (await sampler.spins()).slice();
  const reply: FromGlassWorker = { result, spins, sweepsDone: sampler.sweepsDone };
  return { reply, transfer: [spins.buffer] };
});
