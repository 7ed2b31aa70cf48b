/**
 * A first view of the engine in the browser: a 256² lattice advanced by the WGSL kernels, with
 * a temperature slider and live e and |m|. The full app (render pipeline straight from the spin
 * buffer, controls, plots, CPU fallback) is the browser-app issue; this page only proves the
 * shared engine runs in Chrome from the same shaders as the CLI and the tests.
 */

import { openDevice } from '../gpu/device.ts';
import { GpuIsingSampler } from '../models/ising/gpu-sampler.ts';
import { energyPerSite } from '../models/ising/spec.ts';
import { TC } from '../physics/constants.ts';

const L = 256;
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

async function start(): Promise<void> {
  const status = $('status');
  const slider = $<HTMLInputElement>('T');
  const canvas = $<HTMLCanvasElement>('lattice');
  const draw = canvas.getContext('2d')!;
  const image = draw.createImageData(L, L);
  let ctx;
  try {
    ctx = await openDevice(navigator.gpu, {
      onLost: (info) => (status.textContent = `GPU device lost (${info.reason}): ${info.message}. Reload to restart.`),
    });
  } catch (e) {
    status.textContent = String((e as Error).message);
    return;
  }
  status.textContent = `WebGPU adapter: ${ctx.adapterName}; Tc = ${TC.toFixed(6)}`;
  const sampler = await GpuIsingSampler.create(ctx, { Lx: L, Ly: L, temperatures: [Number(slider.value)], seed: 1 });
  slider.oninput = () => sampler.setParameters({ temperatures: [Number(slider.value)] });
  const frame = async (): Promise<void> => {
    $('Tval').textContent = Number(slider.value).toFixed(3);
    await sampler.run({ sweeps: 4, measureEvery: 0 });
    const [{ bonds, magnetization }, spins] = await Promise.all([sampler.observe(), sampler.spins()]);
    const e = energyPerSite(bonds[0], magnetization[0], 1, 0, L * L);
    $('readout').textContent = `e = ${e.toFixed(4)}, |m| = ${Math.abs(magnetization[0] / (L * L)).toFixed(4)}, sweeps = ${sampler.sweepsDone}`;
    for (let i = 0; i < spins.length; i++) {
      const v = spins[i] > 0 ? 235 : 25;
      image.data.set([v, v, v, 255], 4 * i);
    }
    draw.putImageData(image, 0, 0);
    requestAnimationFrame(() => void frame());
  };
  void frame();
}

void start();
