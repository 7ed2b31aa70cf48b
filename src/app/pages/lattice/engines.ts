/** The two ways the page advances a lattice: the WebGPU sampler + LatticeView, or the CPU reference in a worker + regl. */

import type { GpuContext } from '../../../gpu/device.ts';
import { GpuIsingSampler } from '../../../models/ising/gpu-sampler.ts';
import type { ParameterUpdate } from '../../../models/ising/config.ts';
import { LatticeView } from '../../../render/lattice-view.ts';
import type { BlockView } from '../../../render/view.ts';
import type { FromWorker, ToWorker } from './cpu-worker.ts';
import { halfStart, samplerConfig, type LatticeParams } from './params.ts';
import type { ReglView } from './regl-view.ts';
import { WorkerChannel } from '../../shared/worker-channel.ts';

export interface Advance {
  bonds: number;
  magnetization: number;
  flips: number;
  /** Seconds the sweeps took (GPU timestamps when clock = 'gpu', else wall time). */
  seconds: number;
  clock: 'gpu' | 'wall';
  /** F, the structure factor at the lowest mode, of the last sweep (absent where not measured). */
  structure?: number;
}

export interface Snapshot {
  spins: Int8Array;
  sweepsDone: number;
}

export interface Engine {
  readonly kind: 'gpu' | 'cpu';
  readonly L: number;
  readonly sweepsDone: number;
  /** Run `sweeps` sweeps (0: only measure). */
  advance(sweeps: number): Promise<Advance>;
  setParameters(u: ParameterUpdate): void;
  spins(): Promise<Int8Array>;
  restore(s: Snapshot): Promise<void>;
  /** Draws the spins, or with `clusters` the clusters of the last Swendsen–Wang step (the spins before the first). */
  draw(view?: BlockView, clusters?: boolean): void;
  destroy(): void;
}

export async function gpuEngine(
  ctx: GpuContext,
  canvas: HTMLCanvasElement,
  p: LatticeParams,
  snapshot?: Snapshot,
): Promise<Engine> {
  const sampler = await GpuIsingSampler.create(ctx, samplerConfig(p), { kernel: p.kernel });
  const half = halfStart(p);
  if (half) sampler.restore(half);
  if (snapshot) sampler.restore(snapshot);
  const gpuContext = canvas.getContext('webgpu');
  if (!gpuContext) throw new Error('this canvas cannot give a WebGPU context');
  const view = await LatticeView.create(sampler, gpuContext, navigator.gpu.getPreferredCanvasFormat());
  return {
    kind: 'gpu',
    L: p.L,
    get sweepsDone() {
      return sampler.sweepsDone;
    },
    async advance(sweeps) {
      if (sweeps === 0) {
        const o = await sampler.observe();
        return { bonds: o.bonds[0], magnetization: o.magnetization[0], flips: 0, seconds: 0, clock: 'wall' };
      }
      const t0 = performance.now();
      // The resident kernel cannot measure F (no ξ readout there).
      const structureFactor = p.kernel !== 'resident';
      const r = await sampler.run({ sweeps, measureEvery: sweeps, timing: ctx.hasTimestamps, structureFactor });
      const wall = (performance.now() - t0) / 1000;
      const last = r.samples - 1;
      const gpu = r.gpuSeconds !== undefined && r.gpuSeconds > 0;
      return {
        bonds: r.bonds[last],
        magnetization: r.magnetization[last],
        flips: r.flips[0],
        seconds: gpu ? r.gpuSeconds! : wall,
        clock: gpu ? 'gpu' : 'wall',
        structure: r.structureFactor?.[last],
      };
    },
    setParameters: (u) => sampler.setParameters(u),
    spins: () => sampler.spins(),
    async restore(s) {
      sampler.restore(s);
    },
    draw: (v, clusters) => view.draw(0, v, clusters ? sampler.clusterLabels : undefined),
    destroy() {
      view.destroy();
      sampler.destroy();
    },
  };
}

/**
 * Milliseconds of one sweep of lattice `p` on this device: a throwaway sampler, two sweeps that
 * compile and warm up, then eight timed ones (GPU timestamps where there are, else the wall clock).
 */
export async function probeSweepMs(ctx: GpuContext, p: LatticeParams): Promise<number> {
  const sampler = await GpuIsingSampler.create(ctx, samplerConfig(p), { kernel: p.kernel });
  try {
    await sampler.run({ sweeps: 2, measureEvery: 2 });
    const sweeps = 8;
    const t0 = performance.now();
    const r = await sampler.run({ sweeps, measureEvery: sweeps, timing: ctx.hasTimestamps });
    const wall = performance.now() - t0;
    return (r.gpuSeconds ? 1000 * r.gpuSeconds : wall) / sweeps;
  } finally {
    sampler.destroy();
  }
}

/** CPU reference sampler in a Web Worker, drawn with regl. */
export async function cpuEngine(p: LatticeParams, regl: ReglView): Promise<Engine> {
  let state: FromWorker | undefined;
  const worker = new WorkerChannel<ToWorker, FromWorker>(
    new Worker(new URL('./cpu-worker.ts', import.meta.url), { type: 'module' }),
    (s) => (state = s),
  );
  const request = (m: ToWorker): Promise<FromWorker> => worker.request(m);
  await request({ type: 'init', physics: { L: p.L, T: p.T, J: p.J, h: p.h, seed: p.seed, alg: p.alg, init: p.init } });
  return {
    kind: 'cpu',
    L: p.L,
    get sweepsDone() {
      return state?.sweepsDone ?? 0;
    },
    async advance(sweeps) {
      const s = sweeps > 0 ? await request({ type: 'run', sweeps }) : state!;
      return {
        bonds: s.bonds,
        magnetization: s.magnetization,
        flips: sweeps > 0 ? s.flips : 0,
        seconds: sweeps > 0 ? s.seconds : 0,
        clock: 'wall',
        structure: sweeps > 0 ? s.structure : undefined,
      };
    },
    setParameters: (u) => worker.tell({ type: 'params', update: u }),
    spins: async () => state!.spins.slice(),
    async restore(s) {
      await request({ type: 'restore', spins: s.spins, sweepsDone: s.sweepsDone });
    },
    draw(_, clusters) {
      if (state?.labels && clusters) regl.drawClusters(state.labels, state.L);
      else if (state) regl.draw(state.spins, state.L);
    },
    destroy: () => worker.terminate(),
  };
}
