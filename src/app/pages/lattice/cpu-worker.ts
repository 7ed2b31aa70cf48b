/// <reference lib="webworker" />
/** The CPU reference sampler in a Web Worker (the page's fallback without WebGPU). */

import type { ParameterUpdate } from '../../../models/ising/config.ts';
import { CpuIsingSampler } from '../../../models/ising/cpu-sampler.ts';
import { serveWorker } from '../../shared/worker-channel.ts';
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
  /** Swendsen–Wang: the canonical cluster labels of the last step (absent before it, and with other algorithms). */
  labels?: Int32Array;
  /** F of the run's last sweep (the structure factor at the lowest mode), after a run. */
  structure?: number;
}

type Answer = { reply: FromWorker; transfer: Transferable[] } | undefined;

/** The worker's sampler (none before the first 'init') and its answers to the page. */
class WorkerSampler {
  private sampler?: CpuIsingSampler;

  async handle(m: ToWorker): Promise<Answer> {
    if (m.type === 'init') {
      this.sampler?.destroy();
      this.sampler = new CpuIsingSampler(samplerConfig(m.physics));
      const half = halfStart(m.physics);
      if (half) this.sampler.restore(half);
      return this.report(0, 0);
    }
    if (m.type === 'params') {
      this.sampler?.setParameters(m.update);
      return undefined;
    }
    if (m.type === 'restore') {
      this.sampler?.restore({ spins: m.spins, sweepsDone: m.sweepsDone });
      return this.report(0, 0);
    }
    if (!this.sampler) throw new Error('the CPU worker got a run before its init');
    const t0 = performance.now();
    const r = await this.sampler.run({ sweeps: m.sweeps, measureEvery: m.sweeps, structureFactor: true });
    return this.report(r.flips[0], (performance.now() - t0) / 1000, r.structureFactor?.[r.samples - 1]);
  }

  private async report(flips: number, seconds: number, structure?: number): Promise<Answer> {
    const { sampler } = this;
    if (!sampler) return undefined;
    const { bonds, magnetization } = await sampler.observe();
    const spins = (await sampler.spins()).slice();
    const labels = sampler.config.algorithm === 'swendsen-wang' ? sampler.clusterLabels() : undefined;
    const reply: FromWorker = {
      type: 'state',
      L: sampler.config.Lx,
      sweepsDone: sampler.sweepsDone,
      bonds: bonds[0],
      magnetization: magnetization[0],
      flips,
      seconds,
      spins,
      labels,
      structure,
    };
    return { reply, transfer: labels ? [spins.buffer, labels.buffer] : [spins.buffer] };
  }
}

const worker = new WorkerSampler();
serveWorker((m: ToWorker) => worker.handle(m));
