/**
 * A first view of the engine in the browser: a lattice advanced by the WGSL kernels and drawn on a
 * WebGPU canvas straight from the spin buffer (block averages on the GPU when the lattice has
 * more sites than the canvas has pixels), with a temperature slider and live e and |m|.
 * URL parameters: ?L=1024&T=2.3&kernel=msc-4bit. The full app (controls, plots, CPU fallback) is
 * the browser-app issue; this page proves the shared engine runs in Chrome from the same shaders
 * as the CLI and the tests.
 */

import { openDevice } from '../gpu/device.ts';
import { GpuIsingSampler } from '../models/ising/gpu-sampler.ts';
import { kernelByName, type KernelName } from '../models/ising/kernels.ts';
import { energyPerSite } from '../models/ising/spec.ts';
import { TC } from '../physics/constants.ts';
import { LatticeView } from '../render/lattice-view.ts';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

async function start(): Promise<void> {
  const status = $('status');
  const slider = $<HTMLInputElement>('T');
  const canvas = $<HTMLCanvasElement>('lattice');
  const params = new URLSearchParams(location.search);
  const L = Number(params.get('L') ?? 256);
  if (params.get('T')) slider.value = params.get('T')!;
  let ctx;
  try {
    if (!Number.isInteger(L) || L < 2 || L % 2 !== 0) throw new RangeError(`L must be an even integer >= 2, got ${params.get('L')}`);
    const kernel = kernelByName(params.get('kernel') ?? 'checkerboard-u32').name as KernelName;
    ctx = await openDevice(navigator.gpu, {
      onLost: (info) => (status.textContent = `GPU device lost (${info.reason}): ${info.message}. Reload to restart.`),
    });
    const sampler = await GpuIsingSampler.create(ctx, { Lx: L, Ly: L, temperatures: [Number(slider.value)], seed: 1 }, { kernel });
    const gpuContext = canvas.getContext('webgpu');
    if (!gpuContext) throw new Error('this canvas cannot give a WebGPU context');
    const view = await LatticeView.create(sampler, gpuContext, navigator.gpu.getPreferredCanvasFormat());
    status.textContent = `WebGPU adapter: ${ctx.adapterName}; ${L}x${L} lattice, kernel ${kernel}; Tc = ${TC.toFixed(6)}`;
    slider.oninput = () => sampler.setParameters({ temperatures: [Number(slider.value)] });
    const resize = (): void => {
      const dpr = window.devicePixelRatio || 1;
      canvas.width = Math.max(1, Math.round(canvas.clientWidth * dpr));
      canvas.height = Math.max(1, Math.round(canvas.clientHeight * dpr));
    };
    new ResizeObserver(resize).observe(canvas);
    resize();
    const frame = async (): Promise<void> => {
      $('Tval').textContent = Number(slider.value).toFixed(3);
      await sampler.run({ sweeps: 4, measureEvery: 0 });
      view.draw();
      const { bonds, magnetization } = await sampler.observe();
      const e = energyPerSite(bonds[0], magnetization[0], 1, 0, L * L);
      $('readout').textContent = `e = ${e.toFixed(4)}, |m| = ${Math.abs(magnetization[0] / (L * L)).toFixed(4)}, sweeps = ${sampler.sweepsDone}`;
      requestAnimationFrame(() => void frame().catch(fail));
    };
    const fail = (e: unknown): void => {
      status.textContent = `error: ${(e as Error).message}`;
    };
    void frame().catch(fail);
  } catch (e) {
    status.textContent = `error: ${(e as Error).message}`;
  }
}

void start();
