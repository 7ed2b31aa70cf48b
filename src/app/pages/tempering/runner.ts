/**
 * What the tempering page advances: one ladder of K replicas with replica exchange after every
 * sweep, on the GPU (GpuIsingSampler) or, without WebGPU, on the CPU reference in a Web Worker.
 * Both give the same RunResult, so the page's accumulation and charts do not know which runs.
 */

import type { GpuContext } from '../../../gpu/device.ts';
import type { IsingConfig, ResolvedIsingConfig } from '../../../models/ising/config.ts';
import { GpuIsingSampler } from '../../../models/ising/gpu-sampler.ts';
import type { KernelName } from '../../../models/ising/kernels.ts';
import type { RunResult } from '../../../models/ising/sampler.ts';
import { LatticeView } from '../../../render/lattice-view.ts';
import { temperingPlan } from '../../../studies/tempering/run.ts';
import { paintSpins } from '../../shared/spin-pixels.ts';
import { WorkerChannel } from '../../shared/worker-channel.ts';
import type { FromLadderWorker, ToLadderWorker } from './cpu-worker.ts';

/** The ladder as the cards see it: sizes, temperatures, and the slot each replica holds now. */
export type LadderConfig = Pick<ResolvedIsingConfig, 'Lx' | 'replicas' | 'temperatures' | 'slots'>;

/** Draws replica r on one card's canvas. */
export interface CardPainter {
  draw(r: number): void;
  destroy(): void;
}

export interface LadderRunner {
  readonly kind: 'gpu' | 'cpu';
  readonly config: LadderConfig;
  readonly sweepsDone: number;
  /** `sweeps` sweeps, each measured and followed by an exchange attempt. */
  sweep(sweeps: number): Promise<RunResult>;
  /** The spins of all replicas now (±1, replica-major). */
  spins(): Promise<Int8Array>;
  /** A painter for one card's canvas. */
  painter(canvas: HTMLCanvasElement): Promise<CardPainter>;
}

/** The ladder on the GPU: each card drawn by its own LatticeView straight from the spin buffer. */
export async function gpuLadder(ctx: GpuContext, config: IsingConfig, kernel: KernelName): Promise<LadderRunner> {
  const sampler = await GpuIsingSampler.create(ctx, config, { kernel });
  const plan = temperingPlan(sampler, 1);
  const format = navigator.gpu.getPreferredCanvasFormat();
  return {
    kind: 'gpu',
    get config() {
      return sampler.config;
    },
    get sweepsDone() {
      return sampler.sweepsDone;
    },
    sweep: (sweeps) => sampler.run({ sweeps, measureEvery: 1, tempering: plan }),
    spins: () => sampler.spins(),
    async painter(canvas) {
      const gpu = canvas.getContext('webgpu');
      if (!gpu) throw new Error('this canvas cannot give a WebGPU context');
      const view = await LatticeView.create(sampler, gpu, format);
      return { draw: (r) => view.draw(r), destroy: () => view.destroy() };
    },
  };
}

/** The ladder on the CPU reference in a worker; each card a 2D canvas of L×L pixels, scaled by CSS. */
export async function cpuLadder(config: IsingConfig): Promise<LadderRunner> {
  let last: FromLadderWorker | undefined;
  const channel = new WorkerChannel<ToLadderWorker, FromLadderWorker>(
    new Worker(new URL('./cpu-worker.ts', import.meta.url), { type: 'module' }),
    (reply) => (last = reply),
  );
  await channel.request({ type: 'init', config });
  const L = config.Lx;
  const ladder: LadderConfig = {
    Lx: L,
    replicas: config.replicas ?? config.temperatures.length,
    temperatures: [...config.temperatures],
    get slots() {
      return last?.slots ?? [];
    },
  };
  return {
    kind: 'cpu',
    config: ladder,
    get sweepsDone() {
      return last?.sweepsDone ?? 0;
    },
    sweep: async (sweeps) => (await channel.request({ type: 'sweep', sweeps })).result,
    spins: async () => (last ? last.spins.slice() : new Int8Array(0)),
    async painter(canvas) {
      canvas.width = canvas.height = L;
      const g = canvas.getContext('2d');
      if (!g) throw new Error('this canvas cannot give a 2D context');
      const image = g.createImageData(L, L);
      return {
        draw(r) {
          if (!last) return;
          paintSpins(image, last.spins, r * L * L, L * L);
          g.putImageData(image, 0, 0);
        },
        destroy() {}, // the worker lives as long as the page
      };
    },
  };
}
