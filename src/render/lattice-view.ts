/**
 * Draws a sampler's lattice on a WebGPU canvas straight from its spin buffer: a compute pass
 * makes block averages (BlockAverager) and a render pass shows them as grey levels with nearest
 * sampling (crisp single spins), letterboxed to keep the lattice's aspect ratio. No readback.
 */

import { bindingTable, createBindGroup, wgslBindings } from '../gpu/bindings.ts';
import { createBuffer, usage } from '../gpu/buffers.ts';
import { assembleShader } from '../gpu/shaders.ts';
import { u32Struct } from '../gpu/uniforms.ts';
import type { GpuIsingSampler } from '../models/ising/gpu-sampler.ts';
import { BlockAverager } from './block-averager.ts';
import { fitView, type BlockView } from './view.ts';

const GRID = u32Struct('Grid', ['cells_w', 'cells_h']);

const DRAW_BINDINGS = bindingTable(
  'lattice draw',
  0,
  {
    G: { kind: 'uniform', type: 'Grid' },
    values: { kind: 'read-only-storage', type: 'array<f32>' },
  },
  () => GPUShaderStage.FRAGMENT,
);

export class LatticeView {
  private readonly grid: GPUBuffer;
  private bindGroup: GPUBindGroup | undefined;
  private boundCells: GPUBuffer | undefined;

  static async create(
    sampler: GpuIsingSampler,
    context: GPUCanvasContext,
    format: GPUTextureFormat,
  ): Promise<LatticeView> {
    const device = sampler.ctx.device;
    context.configure({ device, format, alphaMode: 'opaque' });
    const code = assembleShader(['render/draw.wgsl'], {}, [GRID.wgsl(), wgslBindings(DRAW_BINDINGS)]);
    const module = device.createShaderModule({ label: 'lattice draw', code });
    const pipeline = await device.createRenderPipelineAsync({
      label: 'lattice draw',
      layout: 'auto',
      vertex: { module, entryPoint: 'vs' },
      fragment: { module, entryPoint: 'fs', targets: [{ format }] },
      primitive: { topology: 'triangle-list' },
    });
    return new LatticeView(sampler, context, pipeline, await BlockAverager.create(sampler));
  }

  private constructor(
    readonly sampler: GpuIsingSampler,
    private readonly context: GPUCanvasContext,
    private readonly pipeline: GPURenderPipeline,
    readonly averager: BlockAverager,
  ) {
    this.grid = createBuffer(sampler.ctx.device, 'draw grid', GRID.bytes, usage.uniform());
  }

  /** Draw replica `replica` fitted to the canvas (its current pixel size). */
  draw(replica = 0, view?: BlockView): void {
    const device = this.sampler.ctx.device;
    const texture = this.context.getCurrentTexture();
    const { Lx, Ly } = this.sampler.config;
    const v = view ?? fitView(Lx, Ly, texture.width, texture.height, replica);
    const enc = device.createCommandEncoder({ label: 'lattice frame' });
    this.averager.encode(enc, v);
    if (this.boundCells !== this.averager.cells) {
      this.boundCells = this.averager.cells;
      const layout = this.pipeline.getBindGroupLayout(0);
      this.bindGroup = createBindGroup(device, DRAW_BINDINGS, layout, { G: this.grid, values: this.averager.cells });
    }
    device.queue.writeBuffer(this.grid, 0, GRID.pack({ cells_w: v.cellsW, cells_h: v.cellsH }));
    const pass = enc.beginRenderPass({
      colorAttachments: [
        {
          view: texture.createView(),
          loadOp: 'clear',
          storeOp: 'store',
          clearValue: { r: 0.02, g: 0.02, b: 0.03, a: 1 },
        },
      ],
    });
    // Letterbox: the shown spins (cells × block) keep their aspect ratio, centred.
    const spansW = v.cellsW * v.block;
    const spansH = v.cellsH * v.block;
    const scale = Math.min(texture.width / spansW, texture.height / spansH);
    const w = Math.max(1, Math.floor(spansW * scale));
    const h = Math.max(1, Math.floor(spansH * scale));
    pass.setViewport(Math.floor((texture.width - w) / 2), Math.floor((texture.height - h) / 2), w, h, 0, 1);
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bindGroup!);
    pass.draw(3);
    pass.end();
    device.queue.submit([enc.finish()]);
  }

  destroy(): void {
    this.grid.destroy();
    this.averager.destroy();
  }
}
