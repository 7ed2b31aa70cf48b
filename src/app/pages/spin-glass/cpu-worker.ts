/// <reference lib="webworker" />
/** The spin-glass page's fallback without WebGPU: the CPU reference sampler of the two chains, in a Web Worker. */

import type { IsingConfig } from '../../../models/ising/config.ts';
import { CpuIsingSampler } from '../../../models/ising/cpu-sampler.ts';
import type { RunResult } from '../../../models/ising/sampler.ts';
import { serveWorker } from '../../shared/worker-channel.ts';
import { ChainSweeper } from './chains.ts';

export type ToGlassWorker =
  | { type: 'init'; config: IsingConfig }
  | { type: 'sweep'; sweeps: number }
  | { type: 'temperatures'; temperatures: number[] };

/** After a message: what its sweeps measured, and the spins and slots now. */
export interface FromGlassWorker {
  result: RunResult;
  spins: Int8Array;
  slots: number[];
  sweepsDone: number;
}

let sampler: CpuIsingSampler | undefined;
let chains: ChainSweeper | undefined;

serveWorker(async (m: ToGlassWorker) => {
  if (m.type === 'init') {
    sampler = new CpuIsingSampler(m.config);
    chains = new ChainSweeper(sampler);
  } else if (!sampler || !chains) throw new Error('the CPU worker got a message before its init');
  else if (m.type === 'temperatures') chains.setTemperatures(m.temperatures);
  const result = await chains.sweep(m.type === 'sweep' ? m.sweeps : 0);
  const spins = (await sampler.spins()).slice();
  const reply: FromGlassWorker = { result, spins, slots: [...sampler.config.slots], sweepsDone: sampler.sweepsDone };
  return { reply, transfer: [spins.buffer] };
});
