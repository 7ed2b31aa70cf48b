/**
 * The cluster labels the lattice page draws: the GPU label buffer after Swendsen–Wang sweeps equals
 * the CPU twin's labels, they are canonical, and LatticeView paints every site in the colour of its
 * label (cluster-colours.ts), read straight from that buffer.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readBack } from '../src/gpu/buffers.ts';
import type { IsingConfig } from '../src/models/ising/config.ts';
import { CpuIsingSampler } from '../src/models/ising/cpu-sampler.ts';
import { GpuIsingSampler } from '../src/models/ising/gpu-sampler.ts';
import { clusterRgb } from '../src/render/cluster-colours.ts';
import { LatticeView } from '../src/render/lattice-view.ts';
import type { BlockView } from '../src/render/view.ts';
import { testGpu } from './helpers/gpu.ts';

const made: { destroy(): void }[] = [];
afterAll(() => made.forEach((m) => m.destroy()));

const Lx = 16;
const Ly = 12;
const CONFIG: IsingConfig = { Lx, Ly, temperatures: [2.269185314], algorithm: 'swendsen-wang', seed: 77 };

/** Both samplers after `sweeps` Swendsen–Wang sweeps, and the GPU's labels read back. */
async function labelled(sweeps: number) {
  const gpu = await GpuIsingSampler.create(await testGpu(), CONFIG);
  const cpu = new CpuIsingSampler(CONFIG);
  made.push(gpu, cpu);
  expect(gpu.clusterLabels).toBeUndefined();
  expect(cpu.clusterLabels()).toBeUndefined();
  await gpu.run({ sweeps, measureEvery: 0 });
  await cpu.run({ sweeps, measureEvery: 0 });
  const gpuLabels = await readBack(gpu.ctx, gpu.clusterLabels!, 4 * Lx * Ly);
  return { gpu, gpuLabels, cpuLabels: cpu.clusterLabels()! };
}

/** A stand-in canvas context whose texture the test reads back (Node has no canvas). */
function offscreen(device: GPUDevice, width: number, height: number) {
  const texture = device.createTexture({
    size: [width, height],
    format: 'rgba8unorm',
    usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC,
  });
  made.push(texture);
  const context = { configure() {}, getCurrentTexture: () => texture } as unknown as GPUCanvasContext;
  return { context, texture };
}

/** RGBA bytes of `texture` (width × 4 bytes a row, a multiple of 256 here). */
async function pixels(device: GPUDevice, texture: GPUTexture): Promise<Uint8Array> {
  const bytesPerRow = Math.ceil((4 * texture.width) / 256) * 256;
  const buffer = device.createBuffer({
    size: bytesPerRow * texture.height,
    usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ,
  });
  const enc = device.createCommandEncoder();
  enc.copyTextureToBuffer({ texture }, { buffer, bytesPerRow }, [texture.width, texture.height]);
  device.queue.submit([enc.finish()]);
  await buffer.mapAsync(GPUMapMode.READ);
  const rows = new Uint8Array(buffer.getMappedRange().slice(0));
  buffer.destroy();
  const out = new Uint8Array(4 * texture.width * texture.height);
  for (let y = 0; y < texture.height; y++)
    out.set(rows.subarray(y * bytesPerRow, y * bytesPerRow + 4 * texture.width), 4 * y * texture.width);
  return out;
}

describe('cluster labels of Swendsen–Wang at Tc', () => {
  it('the GPU label buffer equals the CPU twin and is canonical', async () => {
    const { gpuLabels, cpuLabels } = await labelled(5);
    expect(Array.from(gpuLabels)).toEqual(Array.from(cpuLabels));
    for (let i = 0; i < Lx * Ly; i++) {
      const l = cpuLabels[i];
      expect(l).toBeLessThanOrEqual(i);
      expect(cpuLabels[l]).toBe(l); // a label is the smallest site of its own cluster
    }
    expect(new Set(cpuLabels).size).toBeGreaterThan(3);
  });

  it('LatticeView paints each site in the colour of its label, whole lattice and a panned 2×2-block view', async () => {
    const { gpu, cpuLabels } = await labelled(3);
    const { device } = gpu.ctx;
    const views: [BlockView, number, number][] = [
      [{ cellsW: Lx, cellsH: Ly, x0: 0, y0: 0, block: 1, replica: 0 }, Lx, Ly],
      [{ cellsW: 6, cellsH: 6, x0: 13, y0: -1, block: 2, replica: 0 }, 6, 6], // wraps across both edges
    ];
    for (const [view, width, height] of views) {
      const { context, texture } = offscreen(device, width, height);
      const lattice = await LatticeView.create(gpu, context, 'rgba8unorm');
      made.push(lattice);
      lattice.draw(0, view, gpu.clusterLabels);
      const got = await pixels(device, texture);
      const wrong: string[] = [];
      for (let j = 0; j < height; j++) {
        for (let i = 0; i < width; i++) {
          const x = (((view.x0 + i * view.block) % Lx) + Lx) % Lx;
          const y = (((view.y0 + j * view.block) % Ly) + Ly) % Ly;
          const want = clusterRgb(cpuLabels[y * Lx + x]);
          const k = 4 * (j * width + i);
          const rgb = (got[k] << 16) | (got[k + 1] << 8) | got[k + 2];
          if (rgb !== want) wrong.push(`cell (${i}, ${j}): ${rgb.toString(16)}, want ${want.toString(16)}`);
        }
      }
      expect(wrong.slice(0, 4), JSON.stringify(view)).toEqual([]);
    }
  });
});
