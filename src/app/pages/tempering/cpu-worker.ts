/// <reference lib="webworker" />
/** The tempering page's fallback without WebGPU: the CPU reference sampler of the ladder, in a Web Worker. */

import type { IsingConfig } from '../../../models/ising/config.ts';
import { CpuIsingSampler } from '../../../models/ising/cpu-sampler.ts';
import type { RunResult } from '../../../models/ising/sampler.ts';
import { temperingPlan } from '../../../studies/tempering/run.ts';
import type { TemperingPlan } from '../../../tempering/exchange.ts';
import { serveWorker } from '../../shared/worker-channel.ts';

export type ToLadderWorker = { type: 'init'; config: IsingConfig } | { type: 'sweep'; sweeps: number };

/** After `sweeps` sweeps with exchanges: what they measured, and the ladder now. */
export interface FromLadderWorker {
  result: RunResult;
  spins: Int8Array;
  slots: number[];
  sweepsDone: number;
}

let sampler: CpuIsingSampler | undefined;
let plan: TemperingPlan | undefined;

serveWorker(async (m: ToLadderWorker) => {
  if (m.type === 'init') {
    sampler = new CpuIsingSampler(m.config);
    plan = temperingPlan(sampler, 1);
  } else if (!sampler || !plan) throw new Error('the CPU worker got sweeps before its init');
  const result = await sampler.run({ sweeps: m.type === 'init' ? 0 : m.sweeps, measureEvery: 1, tempering: plan });
  const spins = (await sampler.spins()).slice();
  const reply: FromLadderWorker = { result, spins, slots: [...sampler.config.slots], sweepsDone: sampler.sweepsDone };
  return { reply, transfer: [spins.buffer] };
});
