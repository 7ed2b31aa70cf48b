/**
 * GPU sampler of binary-perceptron weight replicas (shaders/weights/perceptron.wgsl), bit-identical
 * to CpuPerceptronSampler for binary (±1) inputs: same constructor options, same run() result,
 * same weights, energies, teacher overlaps and flip counts (the contract in
 * cpu-perceptron-sampler.ts).
 *
 * Kernel: one workgroup per replica; one dispatch runs many whole sweeps (the workgroup owns its
 * replica, barriers order the N sequential single-weight updates). A batch is several dispatches
 * in one submission, each reading its step (first sweep, count, measurement phase, first sample
 * slot) from a dynamic-offset uniform; measurements go into a ring read back once per batch.
 * With replica exchange each sweep is its own dispatch, followed by the exchange dispatch (one
 * thread per chain), on GPU-resident errors and slots: no host round trip per exchange.
 *
 * Initial weights (WEIGHTS_INIT), thresholds and validation are the CPU sampler's own (it is built
 * once on the host for that), so both start from the same integers.
 */

import {
  createComputePipeline,
  readBuffer,
  stepBindGroup,
  stepBindGroupLayout,
  type GpuContext,
} from '../../gpu/device.ts';
import { GpuLimitError } from '../../gpu/errors.ts';
import { assembleShader } from '../../gpu/shaders.ts';
import { STREAMS, seedKey } from '../../rng/streams.ts';
import { checkSlots, checkTemperatures } from '../../params/checks.ts';
import type { Dataset } from './datasets.ts';
import { slotReplicas, swapAttempts } from '../../tempering/exchange.ts';
import { packSwapTables } from '../../tempering/swap-tables.ts';
import {
  CpuPerceptronSampler,
  perceptronExchangePlan,
  perceptronThresholds,
  type PerceptronRunOptions,
  type PerceptronRunResult,
  type PerceptronSamplerConfig,
} from './cpu-perceptron-sampler.ts';
import { dot } from './perceptron.ts';
import {
  MAX_WEIGHTS_WG,
  STEP_WORDS,
  batchGeometry,
  checkBatchOptions,
  planBatch,
  type BatchGeometry,
  type WeightsBatchOptions,
} from './gpu-batching.ts';

/** Most sweeps per submission with replica exchange (two dispatches per sweep). */
const MAX_EXCHANGE_SWEEPS_PER_BATCH = 1024;

export const BINARY_INPUTS_MESSAGE = 'bit-identity needs binary inputs; use the CPU sampler';

const isBinary = (v: Float64Array): boolean => v.every((x) => x === 1 || x === -1);

/** Throws unless every dataset has ±1 inputs (the GPU sampler's exactness condition). */
export function checkBinaryInputs(datasets: readonly Dataset[]): void {
  datasets.forEach((d, k) => {
    if (!isBinary(d.X))
      throw new RangeError(`dataset ${k} has non-binary (e.g. Gaussian) inputs: ${BINARY_INPUTS_MESSAGE}`);
  });
}

export type GpuPerceptronOptions = WeightsBatchOptions;

export class GpuPerceptronSampler {
  readonly backend = 'gpu' as const;
  readonly N: number;
  readonly P: number;
  readonly replicas: number;
  readonly datasets: Dataset[];
  readonly datasetOf: number[];
  readonly seed: number;
  temperatures: number[];
  slots: number[];
  sweepsDone = 0;
  readonly wgSize: number;

  private readonly device: GPUDevice;
  private readonly nwb: number;
  private readonly entryWords: number;
  private readonly binaryTeacher: boolean;
  private readonly g: BatchGeometry;
  private readonly buffers: Record<
    'steps' | 'xt' | 'ys' | 'teach' | 'meta' | 'wts' | 'fields' | 'stats' | 'xstate' | 'staging',
    GPUBuffer
  > & {
    thresholds: GPUBuffer;
    swapTables: GPUBuffer;
  };
  private pipeline!: GPUComputePipeline;
  private exchangePipeline!: GPUComputePipeline;
  private layout!: GPUBindGroupLayout;
  private bindGroup!: GPUBindGroup;

  /** Build a sampler (validates like the CPU sampler, then compiles the kernel). */
  static async create(
    ctx: GpuContext,
    config: PerceptronSamplerConfig,
    options: GpuPerceptronOptions = {},
  ): Promise<GpuPerceptronSampler> {
    if (config.datasets.length > 0) checkBinaryInputs(config.datasets);
    checkBatchOptions(options);
    const cpu = new CpuPerceptronSampler(config);
    const s = new GpuPerceptronSampler(ctx, cpu, options);
    await s.build();
    return s;
  }

  private constructor(
    readonly ctx: GpuContext,
    cpu: CpuPerceptronSampler,
    options: GpuPerceptronOptions,
  ) {
    const device = (this.device = ctx.device);
    const { N, P, replicas: R } = cpu;
    this.N = N;
    this.P = P;
    this.replicas = R;
    this.datasets = cpu.datasets;
    this.datasetOf = [...cpu.datasetOf];
    this.seed = cpu.seed;
    this.temperatures = [...cpu.temperatures];
    this.slots = [...cpu.slots];
    this.nwb = Math.ceil(N / 32);
    this.entryWords = 3 + this.nwb;
    this.binaryTeacher = this.datasets.every((d) => isBinary(d.teacher));
    const D = this.datasets.length;

    const lim = device.limits;
    const wgBytes = 4 * (2 * N + MAX_WEIGHTS_WG + 3);
    if (wgBytes > lim.maxComputeWorkgroupStorageSize) {
      throw new GpuLimitError(
        'maxComputeWorkgroupStorageSize',
        wgBytes,
        lim.maxComputeWorkgroupStorageSize,
        `N = ${N} weights need ${wgBytes} bytes of workgroup memory, more than this device's maxComputeWorkgroupStorageSize ` +
          `(${lim.maxComputeWorkgroupStorageSize}); use the CPU sampler`,
      );
    }
    const xBytes = 4 * D * N * P;
    for (const limit of ['maxStorageBufferBindingSize', 'maxBufferSize'] as const) {
      if (xBytes > lim[limit]) {
        throw new GpuLimitError(
          limit,
          xBytes,
          lim[limit],
          `the inputs of ${D} dataset(s) need ${xBytes} bytes, more than this device's ${limit} (${lim[limit]})`,
        );
      }
    }
    const g = (this.g = batchGeometry(
      device,
      ctx.isSoftware,
      { R, N, P, entryWords: this.entryWords },
      options,
      MAX_EXCHANGE_SWEEPS_PER_BATCH,
    ));
    this.wgSize = g.wgSize;

    const U = GPUBufferUsage;
    const make = (label: string, size: number, usage: number): GPUBuffer =>
      device.createBuffer({ label, size: Math.max(16, Math.ceil(size / 4) * 4), usage });
    const statsBytes = 4 * (R + g.ringSamples * R * this.entryWords);
    this.buffers = {
      steps: make('perceptron steps', g.stride * g.maxDispatches, U.UNIFORM | U.COPY_DST),
      xt: make('perceptron inputs', xBytes, U.STORAGE | U.COPY_DST),
      ys: make('perceptron labels', 4 * D * P, U.STORAGE | U.COPY_DST),
      teach: make('perceptron teachers', 4 * D * N, U.STORAGE | U.COPY_DST),
      thresholds: make('perceptron thresholds', 4 * this.temperatures.length * (2 * P + 1), U.STORAGE | U.COPY_DST),
      swapTables: make('perceptron swap tables', 16, U.STORAGE | U.COPY_DST),
      meta: make('perceptron meta', 8 * R, U.STORAGE | U.COPY_SRC | U.COPY_DST),
      wts: make('perceptron weights', 4 * R * N, U.STORAGE | U.COPY_SRC | U.COPY_DST),
      fields: make('perceptron fields', 4 * R * P, U.STORAGE | U.COPY_DST),
      stats: make('perceptron stats', statsBytes, U.STORAGE | U.COPY_SRC | U.COPY_DST),
      xstate: make('perceptron exchange state', 4 * 3 * R, U.STORAGE | U.COPY_SRC | U.COPY_DST),
      staging: make('perceptron staging', Math.max(statsBytes, 4 * R * N, 4 * 4 * R), U.MAP_READ | U.COPY_DST),
    };
    const q = device.queue;
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
    q.writeBuffer(this.buffers.xt, 0, xt);
    q.writeBuffer(this.buffers.ys, 0, ys);
    q.writeBuffer(this.buffers.teach, 0, teach);
    this.writeThresholds();
    this.writeMeta();
    this.writeWeights(cpu.weights());
  }

  private async build(): Promise<void> {
    const device = this.device;
    this.layout = stepBindGroupLayout(device, 'perceptron layout', STEP_WORDS * 4, [
      'read-only-storage',
      'read-only-storage',
      'read-only-storage',
      'read-only-storage',
      'storage',
      'storage',
      'storage',
      'storage',
      'storage',
      'read-only-storage',
    ]);
    const [keyLo, keyHi] = seedKey(this.seed);
    const code = assembleShader(
      ['philox.wgsl', 'tempering/swap-threshold.wgsl', 'weights/reduce.wgsl', 'weights/perceptron.wgsl'],
      {
        PN_N: { u32: this.N },
        PN_P: { u32: this.P },
        PN_R: { u32: this.replicas },
        PN_NWB: { u32: this.nwb },
        PN_WG_X: { u32: this.g.wgX },
        KEY_LO: { u32: keyLo },
        KEY_HI: { u32: keyHi },
        STREAM_WEIGHTS_UPDATE: { u32: STREAMS.WEIGHTS_UPDATE },
        STREAM_TEMPERING: { u32: STREAMS.TEMPERING },
        MAX_WG: { u32: MAX_WEIGHTS_WG },
      },
    );
    const layout = device.createPipelineLayout({ bindGroupLayouts: [this.layout] });
    this.pipeline = await createComputePipeline(device, 'perceptron sweeps', code, layout, 'sweeps', {
      WG_SIZE: this.wgSize,
    });
    this.exchangePipeline = await createComputePipeline(device, 'perceptron exchange', code, layout, 'exchange');
    this.makeBindGroup();
    await device.queue.onSubmittedWorkDone();
    this.ctx.check();
  }

  private makeBindGroup(): void {
    const b = this.buffers;
    const order = [b.xt, b.ys, b.teach, b.thresholds, b.meta, b.wts, b.fields, b.stats, b.xstate, b.swapTables];
    this.bindGroup = stepBindGroup(this.device, 'perceptron bind group', this.layout, b.steps, STEP_WORDS * 4, order);
  }

  /** The Metropolis tables of the K slots and the swap tables of the K − 1 pairs (grown when K grows). */
  private writeThresholds(): void {
    const tables = {
      thresholds: perceptronThresholds(this.temperatures, this.P),
      swapTables: packSwapTables(perceptronExchangePlan(this.temperatures, this.P).tables),
    };
    let grown = false;
    for (const name of ['thresholds', 'swapTables'] as const) {
      const bytes = Math.max(16, tables[name].byteLength);
      if (this.buffers[name].size < bytes) {
        this.buffers[name].destroy();
        this.buffers[name] = this.device.createBuffer({
          label: `perceptron ${name}`,
          size: bytes,
          usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
        });
        grown = true;
      }
      this.device.queue.writeBuffer(this.buffers[name], 0, tables[name]);
    }
    if (grown && this.bindGroup) this.makeBindGroup();
  }

  private writeMeta(): void {
    const meta = new Uint32Array(2 * this.replicas);
    meta.set(this.datasetOf, 0);
    meta.set(this.slots, this.replicas);
    this.device.queue.writeBuffer(this.buffers.meta, 0, meta);
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
    this.device.queue.writeBuffer(this.buffers.wts, 0, Int32Array.from(w));
    this.device.queue.writeBuffer(this.buffers.fields, 0, fields);
  }

  private mapRead(bytes: number): Promise<Uint32Array> {
    return readBuffer(this.ctx, this.buffers.staging, bytes);
  }

  async run(options: PerceptronRunOptions): Promise<PerceptronRunResult> {
    const { sweeps } = options;
    const measureEvery = options.measureEvery ?? 1;
    if (!Number.isInteger(sweeps) || sweeps < 0) throw new RangeError(`sweeps must be an integer >= 0, got ${sweeps}`);
    if (!Number.isInteger(measureEvery) || measureEvery < 0)
      throw new RangeError(`measureEvery must be an integer >= 0`);
    const { N, replicas: R, entryWords } = this;
    const K = this.temperatures.length;
    const exchange = options.exchange === true;
    const chains = R / K;
    if (exchange) {
      // Validates the chains, then loads the slot → replica map and zeroes the swap counters.
      const xs = new Uint32Array(3 * R);
      xs.set(slotReplicas(this.slots, K), R);
      this.device.queue.writeBuffer(this.buffers.xstate, 0, xs);
    }
    const samples = measureEvery > 0 ? Math.floor(sweeps / measureEvery) : 0;
    const energy = new Int32Array(samples * R);
    const teacherDot = new Float64Array(samples * R);
    const slotsAt = exchange ? new Uint32Array(samples * R) : undefined;
    const needWeights = options.recordWeights === true || !this.binaryTeacher;
    const sampledWeights = needWeights ? new Int8Array(samples * R * N) : undefined;
    const flips = new Float64Array(R);
    const swapsAttempted = swapAttempts(K, 1, this.sweepsDone, this.sweepsDone + sweeps).map((a) => a * chains);
    const g = this.g;
    const perDispatch = exchange ? 1 : g.sweepsPerDispatch;
    const perBatch = exchange ? Math.min(g.maxSweepsPerBatch, MAX_EXCHANGE_SWEEPS_PER_BATCH) : g.maxSweepsPerBatch;
    const exchangeGroups = Math.ceil(chains / 64);
    let done = 0;
    let samplesDone = 0;
    while (done < sweeps) {
      const plan = planBatch(g, {
        done,
        total: sweeps,
        sweepsDone: this.sweepsDone,
        measureEvery,
        perDispatch,
        perBatch,
        words: [exchange ? 1 : 0, K],
      });
      const { sweeps: n, dispatches, samples: count } = plan;
      const enc = this.device.createCommandEncoder({ label: 'perceptron batch' });
      this.device.queue.writeBuffer(this.buffers.steps, 0, plan.steps);
      const bytes = 4 * (R + count * R * entryWords);
      enc.clearBuffer(this.buffers.stats, 0, 4 * R);
      const pass = enc.beginComputePass();
      for (let k = 0; k < dispatches; k++) {
        pass.setBindGroup(0, this.bindGroup, [k * g.stride]);
        pass.setPipeline(this.pipeline);
        pass.dispatchWorkgroups(g.wgX, g.wgY, 1);
        if (exchange && K > 1) {
          pass.setPipeline(this.exchangePipeline);
          pass.dispatchWorkgroups(exchangeGroups, 1, 1);
        }
      }
      pass.end();
      enc.copyBufferToBuffer(this.buffers.stats, 0, this.buffers.staging, 0, bytes);
      this.device.queue.submit([enc.finish()]);
      const words = await this.mapRead(bytes);
      const signed = new Int32Array(words.buffer);
      for (let r = 0; r < R; r++) flips[r] += words[r];
      for (let k = 0; k < count; k++) {
        for (let r = 0; r < R; r++) {
          const at = R + (k * R + r) * entryWords;
          const idx = (samplesDone + k) * R + r;
          energy[idx] = signed[at];
          if (this.binaryTeacher) teacherDot[idx] = signed[at + 1];
          if (slotsAt) slotsAt[idx] = words[at + 2];
          if (sampledWeights) {
            const w = sampledWeights.subarray(idx * N, (idx + 1) * N);
            for (let i = 0; i < N; i++) w[i] = (words[at + 3 + (i >> 5)] >>> (i & 31)) & 1 ? 1 : -1;
            if (!this.binaryTeacher) teacherDot[idx] = dot(w, this.datasets[this.datasetOf[r]].teacher);
          }
        }
      }
      done += n;
      samplesDone += count;
      this.sweepsDone += n;
    }
    const result: PerceptronRunResult = {
      sweeps,
      samples,
      replicas: R,
      energy,
      teacherDot,
      flips,
      weights: await this.readWeights(),
    };
    if (options.recordWeights && sampledWeights) result.sampledWeights = sampledWeights;
    if (exchange) {
      // The GPU holds the slots now: read them back with the swap counters.
      const enc = this.device.createCommandEncoder();
      enc.copyBufferToBuffer(this.buffers.meta, 4 * R, this.buffers.staging, 0, 4 * R);
      enc.copyBufferToBuffer(this.buffers.xstate, 8 * R, this.buffers.staging, 4 * R, 4 * R);
      this.device.queue.submit([enc.finish()]);
      const words = await this.mapRead(8 * R);
      this.slots = Array.from(words.subarray(0, R));
      const swapsAccepted = new Float64Array(Math.max(0, K - 1));
      for (let c = 0; c < chains; c++) for (let k = 0; k + 1 < K; k++) swapsAccepted[k] += words[R + c * (K - 1) + k];
      Object.assign(result, { slotsAt, swapsAccepted, swapsAttempted });
    }
    return result;
  }

  private async readWeights(): Promise<Int8Array> {
    const bytes = 4 * this.replicas * this.N;
    const enc = this.device.createCommandEncoder();
    enc.copyBufferToBuffer(this.buffers.wts, 0, this.buffers.staging, 0, bytes);
    this.device.queue.submit([enc.finish()]);
    return Int8Array.from(new Int32Array((await this.mapRead(bytes)).buffer));
  }

  /** Current weights (±1), replica-major R×N. */
  async weights(): Promise<Int8Array> {
    return this.readWeights();
  }

  /** Current errors of each replica (computed on the host from the weights). */
  async energies(): Promise<Int32Array> {
    const w = await this.readWeights();
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

  /** Reassign temperature slots. */
  setSlots(slots: readonly number[]): void {
    this.slots = checkSlots(slots, this.replicas, this.temperatures.length);
    this.writeMeta();
  }

  /** Change the temperatures (slots must stay in range or be given). */
  setTemperatures(temperatures: number[], slots?: number[]): void {
    checkTemperatures(temperatures);
    this.slots = checkSlots(slots ?? this.slots, this.replicas, temperatures.length);
    this.temperatures = [...temperatures];
    this.writeThresholds();
    this.writeMeta();
  }

  /** The threshold tables in use. */
  thresholds(): Uint32Array {
    return perceptronThresholds(this.temperatures, this.P);
  }

  destroy(): void {
    for (const b of Object.values(this.buffers)) b.destroy();
  }
}
