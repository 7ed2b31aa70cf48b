/// <reference lib="webworker" />
/** The CPU reference sampler in a Web Worker (the page's fallback without WebGPU). */

import type { ParameterUpdate } from '../../../models/ising/config.ts';
import { CpuIsingSampler } from '../../../models/ising/cpu-sampler.ts';
import { halfStart, type LatticePhysics, samplerConfig } from './params.ts';

export type ToWorker =
  | { type: 'init'; physics: LatticePhysics }
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

/** The worker's sampler (none before the first 'init') and its answers to the page. */
class WorkerSampler {
  private sampler?: CpuIsingSampler;

  async handle(m: ToWorker): Promise<void> {
    if (m.type === 'init') {
      this.sampler?.destroy();
      this.sampler = new CpuIsingSampler(samplerConfig(m.physics));
      const half = halfStart(m.physics);
      if (half) this.sampler.restore(half);
      await this.report(0, 0);
    } else if (m.type === 'params') {
      this.sampler?.setParameters(m.update);
    } else if (m.type === 'restore') {
      this.sampler?.restore({ spins: m.spins, sweepsDone: m.sweepsDone });
      await this.report(0, 0);
    } else if (m.type === 'run' && this.sampler) {
      const t0 = performance.now();
      const r = await this.sampler.run({ sweeps: m.sweeps, measureEvery: 0 });
      await this.report(r.flips[0], (performance.now() - t0) / 1000);
    }
  }

  private async report(flips: number, seconds: number): Promise<void> {
    const { sampler } = this;
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
    self.postMessage(msg, { transfer: [msg.spins.buffer] });
  }
}

const worker = new WorkerSampler();
self.onmessage = async (ev: MessageEvent<ToWorker>) => {
  try {
    await worker.handle(ev.data);
  } catch (e) {
    self.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
};
