/**
 * The GPU side of replica exchange for the Ising sampler: the exchange pipeline
 * (shaders/tempering/exchange.wgsl, appended to the sampler's kernel so it shares the lattice
 * bindings), the chain permutation, the swap tables and the per-batch statistics (accepted swaps
 * and the permutation ring), with their staging buffers.
 */

import { EXCHANGE_WG, exchangeGroups, type ExchangeHook } from '../../gpu/batches.ts';
import { bindingTable, createBindGroup, createBindGroupLayout, wgslBindings } from '../../gpu/bindings.ts';
import { createBuffer, readBuffer, usage } from '../../gpu/buffers.ts';
import { createComputePipeline, type GpuContext } from '../../gpu/device.ts';
import { declareConstant } from '../../gpu/shaders.ts';
import { u32Struct } from '../../gpu/uniforms.ts';
import { slotReplicas, type TemperingPlan } from '../../tempering/exchange.ts';
import { headerWords, packSwapTables, type SwapTables } from '../../tempering/swap-tables.ts';
import { isingShaderSource } from './gpu-layout.ts';
import type { KernelSpec } from './kernels.ts';

/** Temperatures per chain, chains, words of the swap-table header (4 per pair). */
const TEMPER_PARAMS = u32Struct('TemperParams', ['k', 'chains', 'header']);

/** Group 1 of the exchange kernel (group 0 is the sampler's). */
const TEMPER_BINDINGS = bindingTable('tempering', 1, {
  TP: { kind: 'uniform', type: 'TemperParams' },
  /** Replica at slot k of chain c: [c * K + k]. */
  slot_replica: { kind: 'storage', type: 'array<u32>' },
  swap_tables: { kind: 'read-only-storage', type: 'array<u32>' },
  /**
   * [0, K − 1): accepted swaps per pair in this batch; then the permutation ring,
   * [K − 1 + sample * replicas + c * K + k] = replica at slot k of chain c during that sample.
   */
  tstats: { kind: 'storage', type: 'array<atomic<u32>>' },
});

export class GpuExchange implements ExchangeHook {
  private tables: GPUBuffer;
  private tablesOf: SwapTables | undefined;
  private bindGroup!: GPUBindGroup;
  private readonly params: GPUBuffer;
  private readonly slotReplica: GPUBuffer;
  private readonly tstats: GPUBuffer;
  private readonly staging: [GPUBuffer, GPUBuffer];
  /** Byte offset, in a staging buffer, of the copy of the replicas' slots. */
  private readonly slotsOffset: number;

  /** Build for R replicas in chains of K, with room for `ringSamples` samples per batch. */
  static async create(
    ctx: GpuContext,
    kernel: KernelSpec,
    samplerLayout: GPUBindGroupLayout,
    R: number,
    K: number,
    ringSamples: number,
  ): Promise<GpuExchange> {
    const device = ctx.device;
    const layout = createBindGroupLayout(device, TEMPER_BINDINGS);
    const code = isingShaderSource(
      kernel,
      ['tempering/swap-threshold.wgsl', 'tempering/exchange.wgsl'],
      [TEMPER_PARAMS.wgsl(), wgslBindings(TEMPER_BINDINGS), declareConstant('EXCHANGE_WG', { u32: EXCHANGE_WG })],
    );
    const pipeline = await createComputePipeline(
      device,
      'replica exchange',
      code,
      device.createPipelineLayout({ bindGroupLayouts: [samplerLayout, layout] }),
      'exchange',
    );
    return new GpuExchange(ctx, layout, pipeline, R, K, ringSamples);
  }

  private constructor(
    private readonly ctx: GpuContext,
    private readonly layout: GPUBindGroupLayout,
    private readonly pipeline: GPUComputePipeline,
    readonly R: number,
    readonly K: number,
    ringSamples: number,
  ) {
    const device = ctx.device;
    const statsWords = K - 1 + ringSamples * R;
    this.slotsOffset = 4 * statsWords;
    this.params = createBuffer(device, 'tempering params', TEMPER_PARAMS.bytes, usage.uniform());
    this.slotReplica = createBuffer(device, 'slot replica', 4 * R, usage.input());
    this.tables = createBuffer(device, 'swap tables', 16, usage.input());
    this.tstats = createBuffer(device, 'tempering stats', 4 * statsWords, usage.state());
    // Staging: the tempering stats of a batch, then the replicas' slots after it.
    this.staging = [0, 1].map((i) =>
      createBuffer(device, `tempering staging ${i}`, 4 * (statsWords + R), usage.staging()),
    ) as [GPUBuffer, GPUBuffer];
    device.queue.writeBuffer(this.params, 0, TEMPER_PARAMS.pack({ k: K, chains: R / K, header: headerWords(K) }));
  }

  /** Load the plan's tables (when new) and the starting permutation (the host's slots are the truth). */
  prepare(plan: TemperingPlan, slots: readonly number[]): void {
    const device = this.ctx.device;
    if (this.tablesOf !== plan.tables) {
      const packed = packSwapTables(plan.tables);
      if (this.tables.size < packed.byteLength) {
        this.tables.destroy();
        this.tables = createBuffer(device, 'swap tables', packed.byteLength, usage.input());
      }
      device.queue.writeBuffer(this.tables, 0, packed);
      this.tablesOf = plan.tables;
    }
    this.bindGroup = createBindGroup(device, TEMPER_BINDINGS, this.layout, {
      TP: this.params,
      slot_replica: this.slotReplica,
      swap_tables: this.tables,
      tstats: this.tstats,
    });
    device.queue.writeBuffer(this.slotReplica, 0, slotReplicas(slots, this.K));
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
    pass.dispatchWorkgroups(exchangeGroups(this.R / this.K));
  }

  /** Copy the batch's statistics and the replicas' slots to staging buffer `index % 2`. */
  copyOut(enc: GPUCommandEncoder, index: number, samples: number, slots: GPUBuffer): void {
    const staging = this.staging[index % 2];
    enc.copyBufferToBuffer(this.tstats, 0, staging, 0, this.statsBytes(samples));
    enc.copyBufferToBuffer(slots, 0, staging, this.slotsOffset, 4 * this.R);
  }

  /** Read what copyOut put in staging `index % 2`: accepted swaps per pair, the permutation ring and the slots. */
  async read(
    index: number,
    samples: number,
  ): Promise<{ accepted: Uint32Array; permutations: Uint32Array; slots: number[] }> {
    const words = await readBuffer(this.ctx, this.staging[index % 2], this.slotsOffset + 4 * this.R);
    const K = this.K;
    return {
      accepted: words.subarray(0, K - 1),
      permutations: words.subarray(K - 1, K - 1 + samples * this.R),
      slots: Array.from(words.subarray(this.slotsOffset / 4, this.slotsOffset / 4 + this.R)),
    };
  }

  destroy(): void {
    for (const b of [this.params, this.slotReplica, this.tstats, ...this.staging, this.tables]) b.destroy();
  }
}
