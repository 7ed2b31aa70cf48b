/**
 * GPU sampler of binary-perceptron weight replicas (shaders/weights/perceptron.wgsl), bit-identical
 * to CpuPerceptronSampler for binary (±1) inputs: same constructor options, same run() result,
 * same weights, energies, teacher overlaps and flip counts (the contract in
 * cpu-perceptron-sampler.ts).
 *
 * Kernel: one workgroup per replica; one dispatch runs many whole sweeps (the workgroup owns its
 * replica, barriers order the N sequential single-weight updates). Batches, the measurement ring
 * and the Step entries are WeightsKernel's (gpu-weights.ts). With replica exchange each sweep is
 * its own dispatch, followed by the exchange dispatch (one thread per chain), on GPU-resident
 * errors and slots: no host round trip per exchange.
 *
 * Validation and initial weights (WEIGHTS_INIT) are perceptron-config.ts's, shared with the CPU
 * sampler, so both start from the same integers.
 */

import { ParameterError } from '../../params/errors.ts';
import { EXCHANGE_WG, exchangeGroups } from '../../gpu/batches.ts';
import { readOnly, storage } from '../../gpu/bindings.ts';
import { checkStorageFits, readBack, usage } from '../../gpu/buffers.ts';
import type { GpuContext } from '../../gpu/device.ts';
import { workgroupMemory } from '../../gpu/workgroup.ts';
import { STREAMS } from '../../rng/streams.ts';
import { slotReplicas, swapAttempts } from '../../tempering/exchange.ts';
import { packSwapTables } from '../../tempering/swap-tables.ts';
import { checkSweepOptions } from '../run-options.ts';
import {
  perceptronExchangePlan,
  perceptronThresholds,
  type PerceptronRunOptions,
  type PerceptronRunResult,
} from './cpu-perceptron-sampler.ts';
import type { Dataset } from './datasets.ts';
import {
  MAX_WEIGHTS_WG,
  WeightsKernel,
  checkBatchOptions,
  weightsBindings,
  weightsStep,
  type OwnBuffers,
  type RingEntry,
  type WeightsBatchOptions,
} from './gpu-weights.ts';
import { dot } from './perceptron.ts';
import {
  PerceptronReplicas,
  initialPerceptronWeights,
  resolvePerceptronConfig,
  type PerceptronSamplerConfig,
  type PerceptronSamplerState,
  type ResolvedPerceptronConfig,
} from './perceptron-config.ts';

/** Most sweeps per submission with replica exchange (two dispatches per sweep). */
const MAX_EXCHANGE_SWEEPS_PER_BATCH = 1024;

const BINARY_INPUTS_MESSAGE = 'bit-identity needs binary inputs; use the CPU sampler';

const isBinary = (v: Float64Array): boolean => v.every((x) => x === 1 || x === -1);

/** Throws unless every dataset has ±1 inputs (the GPU sampler's exactness condition). */
export function checkBinaryInputs(datasets: readonly Dataset[]): void {
  datasets.forEach((d, k) => {
    if (!isBinary(d.X))
      throw new ParameterError(
        'inputs',
        `inputs must be binary on the GPU: dataset ${k} has non-binary (e.g. Gaussian) inputs; ${BINARY_INPUTS_MESSAGE}`,
      );
  });
}

export type GpuPerceptronOptions = WeightsBatchOptions;

/** exchange: 1 = one sweep per dispatch, then the exchange dispatch; chain_k: slots per chain. */
const PERCEPTRON_STEP = weightsStep(['exchange', 'chain_k']);

/**
 * Ring entry per (sample, replica), 3 + NWB words: E, w.w*, slot after the exchange, NWB words of
 * weight bits (bit i&31 of word i>>5 set iff w_i = +1). Labels ys are signs in {-1, 0, 1} (err iff
 * y h <= 0 is the same test for integer h).
 */
const PERCEPTRON_BINDINGS = weightsBindings('perceptron', PERCEPTRON_STEP, 'i32', {
  /** Binary teacher per dataset (zeros when the teacher is not binary; the host computes w.w* then). */
  teach: readOnly('array<i32>'),
  /** Metropolis threshold tables [k * (2P + 1) + dE + P] of the K slots. */
  thresholds: readOnly('array<u32>'),
  /** [r] = dataset of replica r, [R + r] = temperature slot of replica r (the exchange rewrites it). */
  rmeta: storage('array<u32>'),
  wts: storage('array<i32>'),
  fields: storage('array<i32>'),
  /**
   * Exchange state: [r] = errors of replica r after the last sweep; [R + c * K + k] = replica at
   * slot k of chain c; [2R + c * (K − 1) + k] = accepted swaps of pair k in chain c.
   */
  xstate: storage('array<u32>'),
  /** Swap tables of the K − 1 adjacent pairs (packSwapTables, J = −1), read by swap_threshold. */
  swap_tables: readOnly('array<u32>'),
});

type PerceptronBuffer = OwnBuffers<typeof PERCEPTRON_BINDINGS>;

export class GpuPerceptronSampler extends PerceptronReplicas {
  readonly backend = 'gpu' as const;
  readonly wgSize: number;

  private readonly nwb: number;
  private readonly binaryTeacher: boolean;
  private readonly kernel: WeightsKernel<PerceptronBuffer, 'exchange' | 'chain_k'>;
  private readonly buffers: Record<PerceptronBuffer, GPUBuffer>;

  /** Build a sampler (validates like the CPU sampler, then compiles the kernel). */
  static async create(
    ctx: GpuContext,
    config: PerceptronSamplerConfig,
    options: GpuPerceptronOptions = {},
  ): Promise<GpuPerceptronSampler> {
    if (config.datasets.length > 0) checkBinaryInputs(config.datasets);
    checkBatchOptions(options);
    const s = new GpuPerceptronSampler(ctx, resolvePerceptronConfig(config), options);
    await s.build();
    return s;
  }

  private constructor(
    readonly ctx: GpuContext,
    c: ResolvedPerceptronConfig,
    options: GpuPerceptronOptions,
  ) {
    super(c);
    const device = ctx.device;
    const { N, P, replicas: R } = c;
    this.nwb = Math.ceil(N / 32);
    this.binaryTeacher = this.datasets.every((d) => isBinary(d.teacher));
    const D = this.datasets.length;
    const xBytes = 4 * D * N * P;
    checkStorageFits(
      device,
      xBytes,
      (limit, available) =>
        `the inputs of ${D} dataset(s) need ${xBytes} bytes, more than this device's ${limit} (${available})`,
    );
    // Workgroup memory: the weights, the reduction array, the sweep's random words, three dE accumulators.
    const memory = workgroupMemory([
      ['wsh', 'i32', N],
      ['red', 'Red', MAX_WEIGHTS_WG],
      ['rndw', 'u32', N],
      ['acc', 'atomic<i32>', 3],
    ]);
    const kernel = new WeightsKernel(
      ctx,
      {
        label: 'perceptron',
        prefix: 'PN',
        table: PERCEPTRON_BINDINGS,
        step: PERCEPTRON_STEP,
        memory,
        shape: { R, N, P, entryWords: 3 + this.nwb },
        seed: c.seed,
        minDispatches: MAX_EXCHANGE_SWEEPS_PER_BATCH,
      },
      options,
    );
    this.kernel = kernel;
    this.wgSize = kernel.g.wgSize;
    this.buffers = {
      xt: kernel.buffer('inputs', xBytes, usage.input()),
      ys: kernel.buffer('labels', 4 * D * P, usage.input()),
      teach: kernel.buffer('teachers', 4 * D * N, usage.input()),
      thresholds: kernel.buffer('thresholds', 4 * this.temperatures.length * (2 * P + 1), usage.input()),
      swap_tables: kernel.buffer('swap tables', 16, usage.input()),
      rmeta: kernel.buffer('meta', 8 * R, usage.state()),
      wts: kernel.buffer('weights', 4 * R * N, usage.state()),
      fields: kernel.buffer('fields', 4 * R * P, usage.input()),
      xstate: kernel.buffer('exchange state', 4 * 3 * R, usage.state()),
    };
    this.writeDatasets();
    this.writeThresholds();
    this.writeMeta();
    this.writeWeights(initialPerceptronWeights(c));
  }

  private async build(): Promise<void> {
    const files = ['philox.wgsl', 'tempering/swap-threshold.wgsl', 'weights/reduce.wgsl', 'weights/perceptron.wgsl'];
    const constants = {
      PN_NWB: { u32: this.nwb },
      STREAM_TEMPERING: { u32: STREAMS.TEMPERING },
      EXCHANGE_WG: { u32: EXCHANGE_WG },
    };
    await this.kernel.build(files, constants, ['sweeps', 'exchange'], this.buffers);
  }

  /** Inputs (transposed), label signs and binary teachers of every dataset. */
  private writeDatasets(): void {
    const { N, P } = this;
    const D = this.datasets.length;
    const xt = new Int32Array(D * N * P);
    const ys = new Int32Array(D * P);
    const teach = new Int32Array(D * N);
    this.datasets.forEach((ds, d) => {
      for (let m = 0; m < P; m++) {
        for (let i = 0; i < N; i++) xt[(d * N + i) * P + m] = ds.X[m * N + i];
        ys[d * P + m] = Math.sign(ds.y[m]);
      }
      if (this.binaryTeacher) for (let i = 0; i < N; i++) teach[d * N + i] = ds.teacher[i];
    });
    const q = this.ctx.device.queue;
    q.writeBuffer(this.buffers.xt, 0, xt);
    q.writeBuffer(this.buffers.ys, 0, ys);
    q.writeBuffer(this.buffers.teach, 0, teach);
  }

  /** The Metropolis tables of the K slots and the swap tables of the K − 1 pairs (grown when K grows). */
  private writeThresholds(): void {
    const tables = {
      thresholds: perceptronThresholds(this.temperatures, this.P),
      swap_tables: packSwapTables(perceptronExchangePlan(this.temperatures, this.P).tables),
    };
    let grown = false;
    for (const name of ['thresholds', 'swap_tables'] as const) {
      if (this.buffers[name].size < tables[name].byteLength) {
        this.buffers[name].destroy();
        this.buffers[name] = this.kernel.buffer(name, tables[name].byteLength, usage.input());
        grown = true;
      }
      this.ctx.device.queue.writeBuffer(this.buffers[name], 0, tables[name]);
    }
    if (grown) this.kernel.bind(this.buffers);
  }

  private writeMeta(): void {
    const meta = new Uint32Array(2 * this.replicas);
    meta.set(this.datasetOf, 0);
    meta.set(this.slots, this.replicas);
    this.ctx.device.queue.writeBuffer(this.buffers.rmeta, 0, meta);
  }

  /** Upload weights (±1, R×N) and their exact integer fields. */
  private writeWeights(w: Int8Array): void {
    const { N, P, replicas: R } = this;
    const fields = new Int32Array(R * P);
    for (let r = 0; r < R; r++) {
      const ds = this.datasets[this.datasetOf[r]];
      for (let m = 0; m < P; m++) {
        let h = 0;
        for (let j = 0; j < N; j++) h += w[r * N + j] * ds.X[m * N + j];
        fields[r * P + m] = h;
      }
    }
    this.ctx.device.queue.writeBuffer(this.buffers.wts, 0, Int32Array.from(w));
    this.ctx.device.queue.writeBuffer(this.buffers.fields, 0, fields);
  }

  async run(options: PerceptronRunOptions): Promise<PerceptronRunResult> {
    const { sweeps, measureEvery } = checkSweepOptions(options);
    const { N, replicas: R } = this;
    const K = this.temperatures.length;
    const exchange = options.exchange === true;
    // Validates the chains, then loads the slot → replica map and zeroes the swap counters.
    if (exchange) this.loadChains();
    const samples = measureEvery > 0 ? Math.floor(sweeps / measureEvery) : 0;
    const result: PerceptronRunResult = {
      sweeps,
      samples,
      replicas: R,
      energy: new Int32Array(samples * R),
      teacherDot: new Float64Array(samples * R),
      flips: new Float64Array(0),
      weights: new Int8Array(0),
    };
    const slotsAt = exchange ? new Uint32Array(samples * R) : undefined;
    const needWeights = options.recordWeights === true || !this.binaryTeacher;
    const sampledWeights = needWeights ? new Int8Array(samples * R * N) : undefined;
    const swapsAttempted = swapAttempts(K, 1, this.sweepsDone, this.sweepsDone + sweeps).map((a) => a * (R / K));
    const g = this.kernel.g;
    const exchangePipeline = exchange && K > 1 ? this.kernel.pipeline('exchange') : undefined;
    const { counters, seconds } = await this.kernel.run(
      {
        sweeps,
        measureEvery,
        firstSweep: this.sweepsDone,
        perDispatch: exchange ? 1 : g.sweepsPerDispatch,
        perBatch: exchange ? Math.min(g.maxSweepsPerBatch, MAX_EXCHANGE_SWEEPS_PER_BATCH) : g.maxSweepsPerBatch,
        own: { exchange: exchange ? 1 : 0, chain_k: K },
        timed: options.timing,
        after: exchangePipeline
          ? (pass) => {
              pass.setPipeline(exchangePipeline);
              pass.dispatchWorkgroups(exchangeGroups(R / K), 1, 1);
            }
          : undefined,
      },
      (e) => this.unpackEntry(e, result, slotsAt, sampledWeights),
    );
    result.flips = counters;
    this.sweepsDone += sweeps;
    if (seconds !== undefined) result.gpuSeconds = seconds;
    result.weights = await this.weights();
    if (options.recordWeights && sampledWeights) result.sampledWeights = sampledWeights;
    if (exchange) Object.assign(result, { slotsAt, swapsAccepted: await this.readSwaps(), swapsAttempted });
    return result;
  }

  /** Entry of (sample, replica): E, w·w* (binary teacher), the slot, the weights' bits. */
  private unpackEntry(
    { words, at, index, replica }: RingEntry,
    result: PerceptronRunResult,
    slotsAt?: Uint32Array,
    sampledWeights?: Int8Array,
  ): void {
    const N = this.N;
    result.energy[index] = words[at] | 0;
    if (this.binaryTeacher) result.teacherDot[index] = words[at + 1] | 0;
    if (slotsAt) slotsAt[index] = words[at + 2];
    if (sampledWeights) {
      const w = sampledWeights.subarray(index * N, (index + 1) * N);
      for (let i = 0; i < N; i++) w[i] = (words[at + 3 + (i >> 5)] >>> (i & 31)) & 1 ? 1 : -1;
      if (!this.binaryTeacher) result.teacherDot[index] = dot(w, this.datasets[this.datasetOf[replica]].teacher);
    }
  }

  /** Before an exchange run: the slot → replica map of every chain (validated), swap counters zeroed. */
  private loadChains(): void {
    const R = this.replicas;
    const xs = new Uint32Array(3 * R);
    xs.set(slotReplicas(this.slots, this.temperatures.length), R);
    this.ctx.device.queue.writeBuffer(this.buffers.xstate, 0, xs);
  }

  /** After an exchange run: the slots (the GPU holds them now) and the accepted swaps per pair. */
  private async readSwaps(): Promise<Float64Array> {
    const R = this.replicas;
    const K = this.temperatures.length;
    this.slots = Array.from(await readBack(this.ctx, this.buffers.rmeta, 4 * R, 4 * R));
    const counts = await readBack(this.ctx, this.buffers.xstate, 4 * R, 8 * R);
    const swapsAccepted = new Float64Array(Math.max(0, K - 1));
    for (let c = 0; c < R / K; c++) for (let k = 0; k + 1 < K; k++) swapsAccepted[k] += counts[c * (K - 1) + k];
    return swapsAccepted;
  }

  /** Current weights (±1), replica-major R×N. */
  async weights(): Promise<Int8Array> {
    const words = await readBack(this.ctx, this.buffers.wts, 4 * this.replicas * this.N);
    return Int8Array.from(new Int32Array(words.buffer));
  }

  /** Current errors of each replica (computed on the host from the weights). */
  async energies(): Promise<Int32Array> {
    const w = await this.weights();
    const { N, P } = this;
    return Int32Array.from({ length: this.replicas }, (_, r) => {
      const ds = this.datasets[this.datasetOf[r]];
      let e = 0;
      for (let m = 0; m < P; m++) {
        let h = 0;
        for (let j = 0; j < N; j++) h += w[r * N + j] * ds.X[m * N + j];
        e += ds.y[m] * h <= 0 ? 1 : 0;
      }
      return e;
    });
  }

  /** Continue from saved weights and sweep counter (the fields are recomputed in integers). */
  restore(state: PerceptronSamplerState): void {
    this.checkState(state);
    this.writeWeights(state.weights);
    this.sweepsDone = state.sweepsDone;
  }

  /** Reassign temperature slots. */
  override setSlots(slots: readonly number[]): void {
    super.setSlots(slots);
    this.writeMeta();
  }

  /** Change the temperatures (slots must stay in range or be given). */
  override setTemperatures(temperatures: number[], slots?: number[]): void {
    super.setTemperatures(temperatures, slots);
    this.writeThresholds();
    this.writeMeta();
  }

  /** The threshold tables in use. */
  thresholds(): Uint32Array {
    return perceptronThresholds(this.temperatures, this.P);
  }

  destroy(): void {
    for (const b of Object.values<GPUBuffer>(this.buffers)) b.destroy();
    this.kernel.destroy();
  }
}
