/**
 * The GPU side of replica exchange for the Ising sampler: the exchange pipeline
 * (shaders/tempering/exchange.wgsl, appended to the sampler's kernel so it shares the lattice
 * bindings), the chain permutation, the swap tables and the per-batch statistics (accepted swaps
 * and the permutation ring), with their staging buffers.
 */

import { createComputePipeline } from '../../gpu/device.ts';
import { slotReplicas, type TemperingPlan } from '../../tempering/exchange.ts';
import { headerWords, packSwapTables, type SwapTables } from '../../tempering/swap-tables.ts';

export class GpuExchange {
  private tables: GPUBuffer;
  private tablesOf: SwapTables | undefined;
  private bindGroup!: GPUBindGroup;
  private readonly buffers: GPUBuffer[];
  /** Byte offset, in a staging buffer, of the copy of the replicas' slots. */
  private readonly slotsOffset: number;

  /** Build for R replicas in chains of K, with room for `ringSamples` samples per batch. */
  static async create(
    device: GPUDevice,
    code: string,
    samplerLayout: GPUBindGroupLayout,
    R: number,
    K: number,
    ringSamples: number,
  ): Promise<GpuExchange> {
    const layout = device.createBindGroupLayout({
      label: 'tempering layout',
      entries: [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } },
        { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
        { binding: 2, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
        { binding: 3, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
      ],
    });
    const pipeline = await createComputePipeline(
      device,
      'replica exchange',
      code,
      device.createPipelineLayout({ bindGroupLayouts: [samplerLayout, layout] }),
      'exchange',
    );
    return new GpuExchange(device, layout, pipeline, R, K, ringSamples);
  }

  private constructor(
    private readonly device: GPUDevice,
    private readonly layout: GPUBindGroupLayout,
    private readonly pipeline: GPUComputePipeline,
    readonly R: number,
    readonly K: number,
    ringSamples: number,
  ) {
    const U = GPUBufferUsage;
    const make = (label: string, words: number, usage: number): GPUBuffer =>
      device.createBuffer({ label, size: Math.max(16, 4 * words), usage });
    const statsWords = K - 1 + ringSamples * R;
    this.slotsOffset = 4 * statsWords;
    this.params = make('tempering params', 4, U.UNIFORM | U.COPY_DST);
    this.slotReplica = make('slot replica', R, U.STORAGE | U.COPY_DST);
    this.tables = make('swap tables', 4, U.STORAGE | U.COPY_DST);
    this.tstats = make('tempering stats', statsWords, U.STORAGE | U.COPY_SRC | U.COPY_DST);
    // Staging: the tempering stats of a batch, then the replicas' slots after it.
    this.staging = [0, 1].map((i) => make(`tempering staging ${i}`, statsWords + R, U.MAP_READ | U.COPY_DST)) as [
      GPUBuffer,
      GPUBuffer,
    ];
    this.buffers = [this.params, this.slotReplica, this.tstats, ...this.staging];
    device.queue.writeBuffer(this.params, 0, Uint32Array.of(K, R / K, headerWords(K), 0));
  }

  private readonly params: GPUBuffer;
  private readonly slotReplica: GPUBuffer;
  private readonly tstats: GPUBuffer;
  readonly staging: [GPUBuffer, GPUBuffer];

  /** Load the plan's tables (when new) and the starting permutation (the host's slots are the truth). */
  prepare(plan: TemperingPlan, slots: readonly number[]): void {
    if (this.tablesOf !== plan.tables) {
      const packed = packSwapTables(plan.tables);
      if (this.tables.size < packed.byteLength) {
        this.tables.destroy();
        this.tables = this.device.createBuffer({
          label: 'swap tables',
          size: packed.byteLength,
          usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
        });
      }
      this.device.queue.writeBuffer(this.tables, 0, packed);
      this.tablesOf = plan.tables;
    }
    this.bindGroup = this.device.createBindGroup({
      layout: this.layout,
      entries: [
        { binding: 0, resource: { buffer: this.params } },
        { binding: 1, resource: { buffer: this.slotReplica } },
        { binding: 2, resource: { buffer: this.tables } },
        { binding: 3, resource: { buffer: this.tstats } },
      ],
    });
    this.device.queue.writeBuffer(this.slotReplica, 0, slotReplicas(slots, this.K));
  }

  /** Bytes of tempering statistics for a batch of `samples` samples. */
  private statsBytes(samples: number): number {
    return 4 * (this.K - 1 + samples * this.R);
  }

  /** Zero the batch's statistics (before the compute pass). */
  clear(enc: GPUCommandEncoder, samples: number): void {
    enc.clearBuffer(this.tstats, 0, this.statsBytes(samples));
  }

  /** The exchange dispatch, after a measurement in the same pass (group 0 already bound). */
  encode(pass: GPUComputePassEncoder): void {
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(1, this.bindGroup);
    pass.dispatchWorkgroups(Math.ceil(this.R / this.K / 64));
  }

  /** Copy the batch's statistics and the replicas' slots to staging buffer `which`; returns its byte size to map. */
  copyOut(enc: GPUCommandEncoder, which: 0 | 1, samples: number, slots: GPUBuffer): number {
    enc.copyBufferToBuffer(this.tstats, 0, this.staging[which], 0, this.statsBytes(samples));
    enc.copyBufferToBuffer(slots, 0, this.staging[which], this.slotsOffset, 4 * this.R);
    return this.slotsOffset + 4 * this.R;
  }

  /** Accepted swaps per pair, the permutation ring of `samples` samples, and the replicas' slots. */
  unpack(words: Uint32Array, samples: number): { accepted: Uint32Array; permutations: Uint32Array; slots: number[] } {
    const K = this.K;
    return {
      accepted: words.subarray(0, K - 1),
      permutations: words.subarray(K - 1, K - 1 + samples * this.R),
      slots: Array.from(words.subarray(this.slotsOffset / 4, this.slotsOffset / 4 + this.R)),
    };
  }

  destroy(): void {
    for (const b of [...this.buffers, this.tables]) b.destroy();
  }
}
