/**
 * Draws a sampler's lattice on a WebGPU canvas straight from its spin buffer: a compute pass
 * makes block averages (BlockAverager) and a render pass shows them as grey levels with nearest
 * sampling (crisp single spins), letterboxed to keep the lattice's aspect ratio. No readback.
 * Or, given the cluster label buffer of a cluster step, each cluster in its own colour
 * (cluster-colours.ts), read in the fragment shader.
 */

import { bindingTable, createBindGroup, wgslBindings } from '../gpu/bindings.ts';
import { createBuffer, usage } from '../gpu/buffers.ts';
import { assembleShader } from '../gpu/shaders.ts';
import { u32Struct } from '../gpu/uniforms.ts';
import type { GpuIsingSampler } from '../models/ising/gpu-sampler.ts';
import { BlockAverager } from './block-averager.ts';
import { clusterColourWgsl } from './cluster-colours.ts';
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

/** The cells of a cluster view: which site each shows, and where replica `base / (lx·ly)` starts. */
const CLUSTER_GRID = u32Struct('ClusterGrid', ['cells_w', 'cells_h', 'x0', 'y0', 'block', 'lx', 'ly', 'base']);

const CLUSTER_DRAW_BINDINGS = bindingTable(
  'cluster draw',
  0,
  {
    C: { kind: 'uniform', type: 'ClusterGrid' },
    labels: { kind: 'read-only-storage', type: 'array<u32>' },
  },
  () => GPUShaderStage.FRAGMENT,
);

function renderPipeline(
  device: GPUDevice,
  label: string,
  code: string,
  fragment: string,
  format: GPUTextureFormat,
): GPURenderPipelineDescriptor {
  const module = device.createShaderModule({ label, code });
  return {
    label,
    layout: 'auto',
    vertex: { module, entryPoint: 'vs' },
    fragment: { module, entryPoint: fragment, targets: [{ format }] },
    primitive: { topology: 'triangle-list' },
  };
}

export class LatticeView {
  private readonly grid: GPUBuffer;
  private bindGroup: GPUBindGroup | undefined;
  private boundCells: GPUBuffer | undefined;
  /** The cluster pipeline (made on the first cluster drawing), its uniform and the label buffer bound. */
  private clusters?: { pipeline: GPURenderPipeline; grid: GPUBuffer; bindGroup?: GPUBindGroup; labels?: GPUBuffer };

  static async create(
    sampler: GpuIsingSampler,
    context: GPUCanvasContext,
    format: GPUTextureFormat,
  ): Promise<LatticeView> {
    const device = sampler.ctx.device;
    context.configure({ device, format, alphaMode: 'opaque' });
    const code = assembleShader(['render/fullscreen.wgsl', 'render/draw.wgsl'], {}, [
      GRID.wgsl(),
      wgslBindings(DRAW_BINDINGS),
    ]);
    const pipeline = await device.createRenderPipelineAsync(renderPipeline(device, 'lattice draw', code, 'fs', format));
    return new LatticeView(sampler, context, pipeline, format, await BlockAverager.create(sampler));
  }

  private constructor(
    readonly sampler: GpuIsingSampler,
    private readonly context: GPUCanvasContext,
    private readonly pipeline: GPURenderPipeline,
    private readonly format: GPUTextureFormat,
    readonly averager: BlockAverager,
  ) {
    this.grid = createBuffer(sampler.ctx.device, 'draw grid', GRID.bytes, usage.uniform());
  }

  /**
   * Draw replica `replica` fitted to the canvas (its current pixel size): its spins, or with
   * `labels` (GpuIsingSampler.clusterLabels) its clusters.
   */
  draw(replica = 0, view?: BlockView, labels?: GPUBuffer): void {
    const device = this.sampler.ctx.device;
    const texture = this.context.getCurrentTexture();
    const { Lx, Ly } = this.sampler.config;
    const v = view ?? fitView(Lx, Ly, texture.width, texture.height, replica);
    const enc = device.createCommandEncoder({ label: 'lattice frame' });
    const [pipeline, bindGroup] = labels ? this.clusterBinding(v, labels) : this.spinBinding(enc, v);
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
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.draw(3);
    pass.end();
    device.queue.submit([enc.finish()]);
  }

  /** The block averages of `v` (encoded into `enc`) and the grey-level pipeline. */
  private spinBinding(enc: GPUCommandEncoder, v: BlockView): [GPURenderPipeline, GPUBindGroup] {
    const device = this.sampler.ctx.device;
    this.averager.encode(enc, v);
    if (this.boundCells !== this.averager.cells) {
      this.boundCells = this.averager.cells;
      const layout = this.pipeline.getBindGroupLayout(0);
      this.bindGroup = createBindGroup(device, DRAW_BINDINGS, layout, { G: this.grid, values: this.averager.cells });
    }
    device.queue.writeBuffer(this.grid, 0, GRID.pack({ cells_w: v.cellsW, cells_h: v.cellsH }));
    return [this.pipeline, this.bindGroup!];
  }

  /** The cluster pipeline bound to `labels`, its grid set to `v`. */
  private clusterBinding(v: BlockView, labels: GPUBuffer): [GPURenderPipeline, GPUBindGroup] {
    const device = this.sampler.ctx.device;
    const { Lx, Ly, replicas } = this.sampler.config;
    if (labels.size < 4 * Lx * Ly * replicas)
      throw new RangeError(`a cluster label buffer of ${labels.size} bytes is too small for this lattice`);
    this.clusters ??= this.makeClusterPipeline();
    const c = this.clusters;
    if (c.labels !== labels) {
      c.labels = labels;
      const layout = c.pipeline.getBindGroupLayout(0);
      c.bindGroup = createBindGroup(device, CLUSTER_DRAW_BINDINGS, layout, { C: c.grid, labels });
    }
    const wrap = (a: number, L: number): number => ((a % L) + L) % L;
    const grid = {
      cells_w: v.cellsW,
      cells_h: v.cellsH,
      x0: wrap(v.x0, Lx),
      y0: wrap(v.y0, Ly),
      block: v.block,
      lx: Lx,
      ly: Ly,
      base: v.replica * Lx * Ly,
    };
    device.queue.writeBuffer(c.grid, 0, CLUSTER_GRID.pack(grid));
    return [c.pipeline, c.bindGroup!];
  }

  private makeClusterPipeline(): { pipeline: GPURenderPipeline; grid: GPUBuffer } {
    const device = this.sampler.ctx.device;
    const code = assembleShader(['render/fullscreen.wgsl', 'render/draw-clusters.wgsl'], {}, [
      CLUSTER_GRID.wgsl(),
      wgslBindings(CLUSTER_DRAW_BINDINGS),
      clusterColourWgsl(),
    ]);
    const descriptor = renderPipeline(device, 'cluster draw', code, 'fs_clusters', this.format);
    const grid = createBuffer(device, 'cluster draw grid', CLUSTER_GRID.bytes, usage.uniform());
    return { pipeline: device.createRenderPipeline(descriptor), grid };
  }

  destroy(): void {
    this.grid.destroy();
    this.clusters?.grid.destroy();
    this.averager.destroy();
  }
}
