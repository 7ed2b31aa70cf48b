/**
 * Block averages of a sampler's spins, computed on the GPU straight from its spin buffer
 * (shaders/render/blocks.wgsl through the kernel's spin_at), for lattices larger than the canvas.
 */

import { bindingTable, createBindGroup, createBindGroupLayout, wgslBindings } from '../gpu/bindings.ts';
import { createBuffer, readBack, usage } from '../gpu/buffers.ts';
import { createComputePipeline } from '../gpu/device.ts';
import { declareConstant } from '../gpu/shaders.ts';
import { u32Struct } from '../gpu/uniforms.ts';
import { isingShaderSource } from '../models/ising/gpu-layout.ts';
import type { GpuIsingSampler } from '../models/ising/gpu-sampler.ts';
import type { BlockView } from './view.ts';

/** Threads per workgroup side (a generated WGSL constant). */
const BLOCK_WG = 8;

const BLOCK_VIEW = u32Struct('BlockView', ['cells_w', 'cells_h', 'x0', 'y0', 'block', 'replica']);

/** Group 1 of the block kernel (group 0 is the sampler's lattice). */
const BLOCK_BINDINGS = bindingTable('block view', 1, {
  V: { kind: 'uniform', type: 'BlockView' },
  cells: { kind: 'storage', type: 'array<f32>' },
});

export class BlockAverager {
  /** The cell values (f32, cellsW × cellsH, row-major), sized for the largest view so far. */
  cells: GPUBuffer;
  private readonly viewBuffer: GPUBuffer;
  private bindGroup: GPUBindGroup;
  private view: BlockView | undefined;

  static async create(sampler: GpuIsingSampler): Promise<BlockAverager> {
    const device = sampler.ctx.device;
    const ownLayout = createBindGroupLayout(device, BLOCK_BINDINGS);
    const generated = [BLOCK_VIEW.wgsl(), wgslBindings(BLOCK_BINDINGS), declareConstant('BLOCK_WG', { u32: BLOCK_WG })];
    const pipeline = await createComputePipeline(
      device,
      'block averages',
      isingShaderSource(sampler.kernel, ['render/blocks.wgsl'], generated),
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
    this.viewBuffer = createBuffer(sampler.ctx.device, 'block view', BLOCK_VIEW.bytes, usage.uniform());
    this.cells = this.makeCells(1);
    this.bindGroup = this.makeBindGroup();
  }

  private makeCells(count: number): GPUBuffer {
    const use = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC;
    return createBuffer(this.sampler.ctx.device, 'block cells', count * 4, use);
  }

  private makeBindGroup(): GPUBindGroup {
    const buffers = { V: this.viewBuffer, cells: this.cells };
    return createBindGroup(this.sampler.ctx.device, BLOCK_BINDINGS, this.ownLayout, buffers);
  }

  /** Grow the cells buffer (and rebind it) when `view` needs more cells. */
  private fitCells(view: BlockView): void {
    const count = view.cellsW * view.cellsH;
    if (count * 4 > this.cells.size) {
      this.cells.destroy();
      this.cells = this.makeCells(count);
      this.bindGroup = this.makeBindGroup();
    }
  }

  /** Encode the block-average pass for `view` (validated against the lattice). */
  encode(enc: GPUCommandEncoder, view: BlockView): void {
    const { Lx, Ly, replicas } = this.sampler.config;
    if (!(view.block >= 1 && Number.isInteger(view.block)) || view.replica < 0 || view.replica >= replicas) {
      throw new RangeError(`block view must have an integer block >= 1 and a replica in [0, ${replicas - 1}]`);
    }
    this.fitCells(view);
    const device = this.sampler.ctx.device;
    if (!this.view || Object.entries(view).some(([k, v]) => this.view![k as keyof BlockView] !== v)) {
      const x0 = ((view.x0 % Lx) + Lx) % Lx;
      const y0 = ((view.y0 % Ly) + Ly) % Ly;
      const packed = BLOCK_VIEW.pack({
        cells_w: view.cellsW,
        cells_h: view.cellsH,
        x0,
        y0,
        block: view.block,
        replica: view.replica,
      });
      device.queue.writeBuffer(this.viewBuffer, 0, packed);
      this.view = { ...view };
    }
    const pass = enc.beginComputePass({ label: 'block averages' });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.sampler.bindGroup, [0]);
    pass.setBindGroup(1, this.bindGroup);
    pass.dispatchWorkgroups(Math.ceil(view.cellsW / BLOCK_WG), Math.ceil(view.cellsH / BLOCK_WG));
    pass.end();
  }

  /** Compute and read back the cells of `view` (tests and exports; the renderer never reads back). */
  async read(view: BlockView): Promise<Float32Array> {
    const bytes = view.cellsW * view.cellsH * 4;
    this.fitCells(view);
    const words = await readBack(this.sampler.ctx, this.cells, bytes, 0, (enc) => this.encode(enc, view));
    return new Float32Array(words.buffer, 0, view.cellsW * view.cellsH);
  }

  destroy(): void {
    this.cells.destroy();
    this.viewBuffer.destroy();
  }
}
