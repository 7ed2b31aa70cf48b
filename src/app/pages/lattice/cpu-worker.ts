/// <reference lib="webworker" />
/** The CPU reference sampler in a Web Worker (the page's fallback without WebGPU). */

import { CpuIsingSampler } from '../../../models/ising/cpu-sampler.ts';
import type { ParameterUpdate } from '../../../models/ising/config.ts';
import { initialSpins, type InitName } from './params.ts';

export type ToWorker =
  | {
      type: 'init';
      L: number;
      T: number;
      J: number;
      h: number;
      seed: number;
      alg: 'metropolis' | 'heatbath';
      init: InitName;
    }
  | { type: 'params'; update: ParameterUpdate }
  | { type: 'run'; sweeps: number }
  | { type: 'restore'; spins: Int8Array; sweepsDone: number };

export interface FromWorker {
  type: 'state';
  L: number;
  sweepsDone: number;
  bonds: number;
  magnetization: number;
  flips: number;
  seconds: number;
  spins: Int8Array;
}

let sampler: CpuIsingSampler | undefined;

async function report(flips: number, seconds: number): Promise<void> {
  if (!sampler) return;
  const { bonds, magnetization } = await sampler.observe();
  const spins = await sampler.spins();
  const msg: FromWorker = {
    type: 'state',
    L: sampler.config.Lx,
    sweepsDone: sampler.sweepsDone,
    bonds: bonds[0],
    magnetization: magnetization[0],
    flips,
    seconds,
    spins: spins.slice(),
  };
  (self as unknown as Worker).postMessage(msg, [msg.spins.buffer]);
}

self.onmessage = async (ev: MessageEvent<ToWorker>) => {
  const m = ev.data;
  try {
    if (m.type === 'init') {
      sampler?.destroy();
      sampler = new CpuIsingSampler({
        Lx: m.L,
        Ly: m.L,
        temperatures: [m.T],
        J: m.J,
        h: m.h,
        seed: m.seed,
        algorithm: m.alg,
        init: m.init === 'cold' ? 'cold' : 'hot',
      });
      if (m.init === 'half') sampler.restore({ spins: initialSpins('half', m.L, m.seed), sweepsDone: 0 });
      await report(0, 0);
    } else if (m.type === 'params') {
      sampler?.setParameters(m.update);
    } else if (m.type === 'restore') {
      sampler?.restore({ spins: m.spins, sweepsDone: m.sweepsDone });
      await report(0, 0);
    } else if (m.type === 'run' && sampler) {
      const t0 = performance.now();
      const r = await sampler.run({ sweeps: m.sweeps, measureEvery: 0 });
      await report(r.flips[0], (performance.now() - t0) / 1000);
    }
  } catch (e) {
    (self as unknown as Worker).postMessage({ type: 'error', message: (e as Error).message });
  }
};
