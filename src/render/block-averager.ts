/**
 * Block averages of a sampler's spins, computed on the GPU straight from its spin buffer
 * (shaders/render/blocks.wgsl through the kernel's spin_at), for lattices larger than the canvas.
 */

import { createComputePipeline, readBuffer } from '../gpu/device.ts';
import { isingShaderSource, type GpuIsingSampler } from '../models/ising/gpu-sampler.ts';
import type { BlockView } from './view.ts';

const VIEW_WORDS = 8;

export class BlockAverager {
  /** The cell values (f32, cellsW × cellsH, row-major), sized for the largest view so far. */
  cells: GPUBuffer;
  private readonly viewBuffer: GPUBuffer;
  private bindGroup: GPUBindGroup;
  private view: BlockView | undefined;

  static async create(sampler: GpuIsingSampler): Promise<BlockAverager> {
    const device = sampler.ctx.device;
    const ownLayout = device.createBindGroupLayout({
      label: 'block view layout',
      entries: [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } },
        { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
      ],
    });
    const pipeline = await createComputePipeline(
      device,
      'block averages',
      isingShaderSource(sampler.kernel, ['render/blocks.wgsl']),
      device.createPipelineLayout({ bindGroupLayouts: [sampler.layout, ownLayout] }),
      'blocks',
    );
    return new BlockAverager(sampler, pipeline, ownLayout);
  }

  private constructor(
    readonly sampler: GpuIsingSampler,
    private readonly pipeline: GPUComputePipeline,
    private readonly ownLayout: GPUBindGroupLayout,
  ) {
    const device = sampler.ctx.device;
    this.viewBuffer = device.createBuffer({
      label: 'block view',
      size: VIEW_WORDS * 4,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    this.cells = this.makeCells(1);
    this.bindGroup = this.makeBindGroup();
  }

  private makeCells(count: number): GPUBuffer {
    return this.sampler.ctx.device.createBuffer({
      label: 'block cells',
      size: Math.max(16, count * 4),
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
    });
  }

  private makeBindGroup(): GPUBindGroup {
    return this.sampler.ctx.device.createBindGroup({
      layout: this.ownLayout,
      entries: [
        { binding: 0, resource: { buffer: this.viewBuffer } },
        { binding: 1, resource: { buffer: this.cells } },
      ],
    });
  }

  /** Encode the block-average pass for `view` (validated against the lattice). */
  encode(enc: GPUCommandEncoder, view: BlockView): void {
    const { Lx, Ly, replicas } = this.sampler.config;
    if (!(view.block >= 1 && Number.isInteger(view.block)) || view.replica < 0 || view.replica >= replicas) {
      throw new RangeError(`block view must have an integer block >= 1 and a replica in [0, ${replicas - 1}]`);
    }
    const count = view.cellsW * view.cellsH;
    if (count * 4 > this.cells.size) {
      this.cells.destroy();
      this.cells = this.makeCells(count);
      this.bindGroup = this.makeBindGroup();
    }
    const device = this.sampler.ctx.device;
    if (!this.view || Object.entries(view).some(([k, v]) => this.view![k as keyof BlockView] !== v)) {
      const x0 = ((view.x0 % Lx) + Lx) % Lx;
      const y0 = ((view.y0 % Ly) + Ly) % Ly;
      device.queue.writeBuffer(
        this.viewBuffer,
        0,
        Uint32Array.of(view.cellsW, view.cellsH, x0, y0, view.block, view.replica, 0, 0),
      );
      this.view = { ...view };
    }
    const pass = enc.beginComputePass({ label: 'block averages' });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.sampler.bindGroup, [0]);
    pass.setBindGroup(1, this.bindGroup);
    pass.dispatchWorkgroups(Math.ceil(view.cellsW / 8), Math.ceil(view.cellsH / 8));
    pass.end();
  }

  /** Compute and read back the cells of `view` (tests and exports; the renderer never reads back). */
  async read(view: BlockView): Promise<Float32Array> {
    const device = this.sampler.ctx.device;
    const bytes = view.cellsW * view.cellsH * 4;
    const staging = device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    try {
      const enc = device.createCommandEncoder();
      this.encode(enc, view);
      enc.copyBufferToBuffer(this.cells, 0, staging, 0, bytes);
      device.queue.submit([enc.finish()]);
      return new Float32Array((await readBuffer(this.sampler.ctx, staging, bytes)).buffer);
    } finally {
      staging.destroy();
    }
  }

  destroy(): void {
    this.cells.destroy();
    this.viewBuffer.destroy();
  }
}
