/**
 * The GPU side of the structure factor (shaders/ising/structure.wgsl): integer column and row sums
 * of every measured sample, reduced on the device into a ring of their own and turned into F on the
 * host by lowestModeStructureFactor, as the CPU reference does, so F is identical on both backends.
 */

import { ringCapacity } from '../../gpu/batches.ts';
import { bindingTable, createBindGroup, createBindGroupLayout, wgslBindings } from '../../gpu/bindings.ts';
import { createComputePipeline, type GpuContext } from '../../gpu/device.ts';
import { SampleRing } from '../../gpu/sample-ring.ts';
import { isingShaderSource } from './gpu-layout.ts';
import type { KernelSpec } from './kernels.ts';
import { lowestModeStructureFactor } from './structure.ts';

/** Group 1 of the line-sum kernel (group 0 is the sampler's). */
const LINE_BINDINGS = bindingTable('line sums', 1, {
  /** A SampleRing: R unused counters, then per sample and replica lx column sums and ly row sums (i32). */
  lines: { kind: 'storage', type: 'array<u32>' },
});

const WG = 64;

export class GpuLineSums {
  /** Samples per batch the ring holds (the sampler measures no more per batch). */
  readonly ringSamples: number;
  private readonly ring: SampleRing;
  private readonly bindGroup: GPUBindGroup;

  static async create(
    ctx: GpuContext,
    kernel: KernelSpec,
    samplerLayout: GPUBindGroupLayout,
    shape: { Lx: number; Ly: number; R: number; maxSweeps: number },
  ): Promise<GpuLineSums> {
    const device = ctx.device;
    const layout = createBindGroupLayout(device, LINE_BINDINGS);
    const code = isingShaderSource(kernel, ['ising/structure.wgsl'], [wgslBindings(LINE_BINDINGS)]);
    const pipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [samplerLayout, layout] });
    const pipeline = await createComputePipeline(device, 'ising line sums', code, pipelineLayout, 'line_sums', {
      WG_SIZE: WG,
    });
    return new GpuLineSums(ctx, layout, pipeline, shape);
  }

  private constructor(
    ctx: GpuContext,
    layout: GPUBindGroupLayout,
    private readonly pipeline: GPUComputePipeline,
    private readonly shape: { Lx: number; Ly: number; R: number; maxSweeps: number },
  ) {
    const { Lx, Ly, R, maxSweeps } = shape;
    this.ringSamples = ringCapacity(maxSweeps, Lx + Ly, R);
    this.ring = new SampleRing(ctx, 'line sums', R, this.ringSamples, Lx + Ly);
    this.bindGroup = createBindGroup(ctx.device, LINE_BINDINGS, layout, { lines: this.ring.stats });
  }

  /** The line sums of the sample just measured (group 0 bound at that sweep's Step). */
  encode(pass: GPUComputePassEncoder): void {
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(1, this.bindGroup);
    pass.dispatchWorkgroups(Math.ceil((this.shape.Lx + this.shape.Ly) / WG), this.shape.R, 1);
  }

  /** After the pass: copy `samples` entries to staging `index % 2`. */
  copyOut(enc: GPUCommandEncoder, index: number, samples: number): void {
    this.ring.copyOut(enc, index, samples);
  }

  /** F of each of the batch's samples and replicas ([k·R + r]). */
  async read(index: number, samples: number): Promise<Float64Array> {
    const { Lx, Ly, R } = this.shape;
    const { words: raw } = await this.ring.read(index, samples);
    const words = new Int32Array(raw.buffer, raw.byteOffset, raw.length);
    const out = new Float64Array(samples * R);
    for (let k = 0; k < samples * R; k++) {
      const at = R + k * (Lx + Ly);
      out[k] = lowestModeStructureFactor(words.subarray(at, at + Lx), words.subarray(at + Lx, at + Lx + Ly));
    }
    return out;
  }

  destroy(): void {
    this.ring.destroy();
  }
}
