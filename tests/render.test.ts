/** GPU block averages (the renderer's input) against a CPU computation from the same spins. */
import { afterAll, describe, expect, it } from 'vitest';
import { GpuIsingSampler } from '../src/models/ising/gpu-sampler.ts';
import { KERNEL_NAMES } from '../src/models/ising/kernels.ts';
import { BlockAverager } from '../src/render/block-averager.ts';
import { blockAverages, fitView, type BlockView } from '../src/render/view.ts';
import { testGpu } from './helpers/gpu.ts';

const cleanup: { destroy(): void }[] = [];
afterAll(() => cleanup.forEach((c) => c.destroy()));

describe('block averages computed on the GPU from every kernel layout', () => {
  for (const kernel of KERNEL_NAMES) {
    it(kernel, async () => {
      const Lx = 128;
      const Ly = 36;
      const sampler = await GpuIsingSampler.create(
        await testGpu(),
        { Lx, Ly, replicas: 2, temperatures: [2.0, 3.0], seed: 12 },
        { kernel },
      );
      const averager = await BlockAverager.create(sampler);
      cleanup.push(sampler, averager);
      await sampler.run({ sweeps: 30, measureEvery: 0 });
      const spins = await sampler.spins();
      const views: BlockView[] = [
        { cellsW: Lx, cellsH: Ly, x0: 0, y0: 0, block: 1, replica: 0 },
        { cellsW: 43, cellsH: 12, x0: 0, y0: 0, block: 3, replica: 1 }, // 3 does not divide 128: cells wrap
        { cellsW: 16, cellsH: 5, x0: 100, y0: 30, block: 8, replica: 0 }, // panned across both edges
        fitView(Lx, Ly, 32, 32, 1),
      ];
      for (const view of views) {
        const gpu = await averager.read(view);
        const cpu = blockAverages(spins, Lx, Ly, view);
        expect(gpu.length).toBe(cpu.length);
        let worst = 0;
        for (let i = 0; i < cpu.length; i++) worst = Math.max(worst, Math.abs(gpu[i] - cpu[i]));
        expect(worst, `view ${JSON.stringify(view)}`).toBeLessThan(1e-6);
      }
      // Not trivially uniform: the replica at T = 3 has both up and down cells at block 1.
      const cells = await averager.read({ cellsW: Lx, cellsH: Ly, x0: 0, y0: 0, block: 1, replica: 1 });
      expect(new Set(cells).size).toBe(2);
    });
  }

  it('fitView never makes more cells than pixels', () => {
    for (const [L, W] of [
      [4096, 1000],
      [16, 700],
      [32768, 1920],
      [1000, 999],
    ] as const) {
      const v = fitView(L, L / 2, W, W);
      expect(v.cellsW).toBeLessThanOrEqual(Math.max(W, 1));
      expect(v.cellsW * v.block).toBeGreaterThanOrEqual(L);
      expect((v.cellsW - 1) * v.block).toBeLessThan(L);
    }
    expect(fitView(16, 16, 700, 700).block).toBe(1);
    expect(fitView(4096, 4096, 1024, 1024).block).toBe(4);
  });
});
