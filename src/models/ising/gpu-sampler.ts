/**
 * GPU sampler: R replicas of an Lx×Ly Ising lattice advanced by WGSL checkerboard kernels
 * (shaders/ising/). A sweep is two dispatches (one per colour) plus, when measured, one
 * reduction dispatch that writes integer bond sums and magnetisations into a ring of samples on
 * the GPU. Up to 1024 sweeps are encoded per submission; the ring is read back asynchronously
 * (two staging buffers, so the GPU works on batch i+1 while the host reads batch i): there is no
 * readback per sweep.
 */

import { createComputePipeline, readBuffer, type GpuContext } from '../../gpu/device.ts';
import { GpuLimitError } from '../../gpu/errors.ts';
import { assembleShader } from '../../gpu/shaders.ts';
import { STREAMS, seedKey, sweepWords } from '../../rng/streams.ts';
import { KERNELS, checkKernelFits, kernelByName, type KernelName, type KernelSpec } from './kernels.ts';
import { INIT_MODES, N_CLASSES } from './layout.ts';
import { exchangeParity, swapAttempts, type TemperingPlan } from '../../tempering/exchange.ts';
import { GpuExchange } from './gpu-exchange.ts';
import { checkRunOptions, checkState, type IsingSampler, type RunOptions, type RunResult } from './sampler.ts';
import { checkSlots } from '../../params/checks.ts';
import {
  resolveConfig,
  thresholdTables,
  updateConfig,
  type IsingConfig,
  type ParameterUpdate,
  type ResolvedIsingConfig,
} from './config.ts';

/** Most threads per workgroup of the Ising kernels (the WGSL override WG_SIZE). */
export const MAX_WG_SIZE = 256;

/**
 * Workgroup size for `work` items: the smallest power of two ≥ work, between 8 and MAX_WG_SIZE.
 * Small lattices then do not pay for idle threads (a software adapter runs every invocation).
 */
export const workgroupSize = (work: number): number =>
  Math.min(MAX_WG_SIZE, Math.max(8, 2 ** Math.ceil(Math.log2(Math.max(1, work)))));
/** Most sweeps encoded in one submission. */
const MAX_SWEEPS_PER_BATCH = 1024;
/** Most bytes of samples held in the GPU ring per batch. */
const RING_BYTES = 8 << 20;
const STEP_WORDS = 8;
const NO_SAMPLE = 0xffffffff;
const PARAM_WORDS = 12;

/** Options of the GPU sampler beyond the model's parameters. */
export interface GpuSamplerOptions {
  /** Kernel variant (default checkerboard-u32); see kernels.ts. */
  kernel?: KernelName;
}

/**
 * The WGSL of one kernel variant, with constants from TypeScript. `extra` files (renderers)
 * come last and may use the lattice bindings and the kernel's spin_at(r, x, y).
 */
export function isingShaderSource(kernel: KernelSpec = KERNELS['checkerboard-u32'], extra: string[] = []): string {
  return assembleShader(['philox.wgsl', 'ising/lattice.wgsl', ...kernel.files, ...extra], {
    ...kernel.constants,
    N_CLASSES: { u32: N_CLASSES },
    STREAM_ISING_UPDATE: { u32: STREAMS.ISING_UPDATE },
    STREAM_ISING_INIT: { u32: STREAMS.ISING_INIT },
    STREAM_TEMPERING: { u32: STREAMS.TEMPERING },
    INIT_HOT: { u32: INIT_MODES.HOT },
    INIT_COLD: { u32: INIT_MODES.COLD },
  });
}

/** Throws GpuLimitError when R replicas of Lx×Ly do not fit the device's storage limits. */
export function checkLatticeFits(
  device: GPUDevice,
  Lx: number,
  Ly: number,
  R: number,
  kernel: KernelSpec = KERNELS['checkerboard-u32'],
): void {
  const bytes = 4 * kernel.spinWords(Lx, Ly, R);
  for (const limit of ['maxStorageBufferBindingSize', 'maxBufferSize'] as const) {
    const available = device.limits[limit];
    if (bytes > available) {
      let L = Math.floor(Math.sqrt((8 * available) / (kernel.bitsPerSpin * R)));
      L -= L % kernel.lxMultiple;
      throw new GpuLimitError(
        limit,
        bytes,
        available,
        `a ${Lx}x${Ly} lattice with ${R} replica(s) needs ${bytes} bytes of spin storage with kernel ${kernel.name}, but this device's ` +
          `${limit} is ${available}; the largest square lattice that fits is L = ${L} with ${R} replica(s)` +
          (kernel.bitsPerSpin > 1 ? ` (kernel msc-1bit stores ${kernel.bitsPerSpin}x fewer bytes per spin)` : ''),
      );
    }
  }
}

export class GpuIsingSampler implements IsingSampler {
  readonly backend = 'gpu' as const;
  config: ResolvedIsingConfig;
  sweepsDone = 0;

  private readonly device: GPUDevice;
  private readonly stepStride: number;
  private readonly maxSweepsPerBatch: number;
  private readonly ringSamples: number;
  private readonly sweepWg: [number, number];
  private readonly measureWgX: number;
  private readonly wgSize: { sweep: number; measure: number };
  private readonly buffers: {
    params: GPUBuffer;
    steps: GPUBuffer;
    spins: GPUBuffer;
    thresholds: GPUBuffer;
    slots: GPUBuffer;
    stats: GPUBuffer;
    staging: [GPUBuffer, GPUBuffer];
  };
  /** Replica exchange, made on first use (and again when K changes). */
  private exchange?: GpuExchange;
  /** Begin/end timestamps of a batch's compute pass, when the device has timestamp queries. */
  private readonly timestamps?: { querySet: GPUQuerySet; resolve: GPUBuffer; offset: number };
  /** Layout of group 0 (the lattice bindings), shared with pipelines that read the spins. */
  layout!: GPUBindGroupLayout;
  /** Group 0 bound to this sampler's buffers (step uniform at dynamic offset 0). */
  bindGroup!: GPUBindGroup;
  private pipelines!: { sweep: GPUComputePipeline; measure: GPUComputePipeline; init: GPUComputePipeline };

  /** Build a sampler on a device (compiles the kernels and sets the initial state). */
  static async create(ctx: GpuContext, config: IsingConfig, options: GpuSamplerOptions = {}): Promise<GpuIsingSampler> {
    const resolved = resolveConfig(config);
    const kernel = kernelByName(options.kernel ?? 'checkerboard-u32');
    checkKernelFits(kernel, resolved.Lx);
    const sampler = new GpuIsingSampler(ctx, resolved, kernel);
    await sampler.build();
    return sampler;
  }

  private constructor(
    readonly ctx: GpuContext,
    config: ResolvedIsingConfig,
    readonly kernel: KernelSpec,
  ) {
    this.config = config;
    const device = (this.device = ctx.device);
    const { Lx, Ly, replicas: R } = config;
    checkLatticeFits(device, Lx, Ly, R, kernel);
    const N = Lx * Ly;
    const threads = kernel.sweepThreads(Lx, Ly);
    const items = kernel.measureItems(Lx, Ly);
    const maxDim = device.limits.maxComputeWorkgroupsPerDimension;
    this.wgSize = { sweep: workgroupSize(threads), measure: workgroupSize(items) };
    const wgs = Math.ceil(threads / this.wgSize.sweep);
    const wgX = Math.min(wgs, maxDim);
    this.sweepWg = [wgX, Math.ceil(wgs / wgX)];
    if (this.sweepWg[1] > maxDim) {
      throw new GpuLimitError(
        'maxComputeWorkgroupsPerDimension',
        wgs,
        maxDim * maxDim,
        `a ${Lx}x${Ly} lattice needs ${wgs} workgroups per colour, more than this device can dispatch`,
      );
    }
    const measureWgX = (this.measureWgX = Math.min(Math.ceil(items / this.wgSize.measure), 1024, maxDim));
    // Flip counters are u32 per replica per batch: keep sweeps·N below 2^32.
    this.maxSweepsPerBatch = Math.max(1, Math.min(MAX_SWEEPS_PER_BATCH, Math.floor(0xffffffff / N)));
    this.ringSamples = Math.max(1, Math.min(this.maxSweepsPerBatch, Math.floor(RING_BYTES / (8 * R))));
    this.stepStride = Math.max(device.limits.minUniformBufferOffsetAlignment, STEP_WORDS * 4);
    const [seedLo, seedHi] = seedKey(config.seed);

    const U = GPUBufferUsage;
    const statsBytes = 4 * (R + this.ringSamples * R * 2);
    // Timestamps travel in the same staging buffer, after the stats (8-byte aligned).
    const tsOffset = Math.ceil(statsBytes / 8) * 8;
    const make = (label: string, size: number, usage: number): GPUBuffer =>
      device.createBuffer({ label, size: Math.max(16, Math.ceil(size / 4) * 4), usage });
    this.buffers = {
      params: make('ising params', PARAM_WORDS * 4, U.UNIFORM | U.COPY_DST),
      steps: make('ising steps', this.stepStride * (2 * this.maxSweepsPerBatch + 1), U.UNIFORM | U.COPY_DST),
      spins: make('ising spins', 4 * kernel.spinWords(Lx, Ly, R), U.STORAGE | U.COPY_SRC | U.COPY_DST),
      thresholds: make('ising thresholds', 4 * N_CLASSES * config.temperatures.length, U.STORAGE | U.COPY_DST),
      slots: make('ising slots', 4 * R, U.STORAGE | U.COPY_SRC | U.COPY_DST),
      stats: make('ising stats', statsBytes, U.STORAGE | U.COPY_SRC | U.COPY_DST),
      staging: [
        make('ising staging 0', tsOffset + 16, U.MAP_READ | U.COPY_DST),
        make('ising staging 1', tsOffset + 16, U.MAP_READ | U.COPY_DST),
      ],
    };
    if (ctx.hasTimestamps) {
      this.timestamps = {
        querySet: device.createQuerySet({ label: 'ising pass time', type: 'timestamp', count: 2 }),
        resolve: make('ising timestamps', 16, U.QUERY_RESOLVE | U.COPY_SRC),
        offset: tsOffset,
      };
    }
    const params = new Uint32Array(PARAM_WORDS);
    params.set([Lx, Ly, R, N / 2, Math.ceil(N / 8), seedLo, seedHi, this.sweepWg[0], measureWgX]);
    device.queue.writeBuffer(this.buffers.params, 0, params);
    this.writeTables();
    device.queue.writeBuffer(this.buffers.slots, 0, Uint32Array.from(config.slots));
  }

  private async build(): Promise<void> {
    const device = this.device;
    const storage = (type: GPUBufferBindingType): GPUBindGroupLayoutEntry['buffer'] => ({ type });
    this.layout = device.createBindGroupLayout({
      label: 'ising layout',
      entries: [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: storage('uniform') },
        {
          binding: 1,
          visibility: GPUShaderStage.COMPUTE,
          buffer: { type: 'uniform', hasDynamicOffset: true, minBindingSize: STEP_WORDS * 4 },
        },
        { binding: 2, visibility: GPUShaderStage.COMPUTE, buffer: storage('storage') },
        { binding: 3, visibility: GPUShaderStage.COMPUTE, buffer: storage('read-only-storage') },
        { binding: 4, visibility: GPUShaderStage.COMPUTE, buffer: storage('storage') },
        { binding: 5, visibility: GPUShaderStage.COMPUTE, buffer: storage('storage') },
      ],
    });
    const layout = device.createPipelineLayout({ bindGroupLayouts: [this.layout] });
    const code = isingShaderSource(this.kernel);
    const [sweep, measure, init] = await Promise.all([
      createComputePipeline(device, 'ising sweep', code, layout, 'sweep', { WG_SIZE: this.wgSize.sweep }),
      createComputePipeline(device, 'ising measure', code, layout, 'measure', { WG_SIZE: this.wgSize.measure }),
      createComputePipeline(device, 'ising init', code, layout, 'init', { WG_SIZE: this.wgSize.sweep }),
    ]);
    this.pipelines = { sweep, measure, init };
    this.makeBindGroup();
    await this.initialise();
  }

  private makeBindGroup(): void {
    const b = this.buffers;
    this.bindGroup = this.device.createBindGroup({
      label: 'ising bind group',
      layout: this.layout,
      entries: [
        { binding: 0, resource: { buffer: b.params } },
        { binding: 1, resource: { buffer: b.steps, size: STEP_WORDS * 4 } },
        { binding: 2, resource: { buffer: b.spins } },
        { binding: 3, resource: { buffer: b.thresholds } },
        { binding: 4, resource: { buffer: b.slots } },
        { binding: 5, resource: { buffer: b.stats } },
      ],
    });
  }

  private writeTables(): void {
    const c = this.config;
    this.device.queue.writeBuffer(this.buffers.thresholds, 0, thresholdTables(c.algorithm, c.temperatures, c.J, c.h));
  }

  /** A step entry: (sweep, phase, sample slot, init mode, exchange: 0 none, 1 + parity). */
  private stepEntry(sweep: number, phase: number, sample: number, mode = 0, exchange = 0): Uint32Array {
    const [lo, w3] = sweepWords(sweep, phase, STREAMS.ISING_UPDATE);
    return Uint32Array.of(lo, w3 & 0xffff, phase, sample, mode, exchange, 0, 0);
  }

  /** The exchange machinery for `plan`, ready for a run from the current slots. */
  private async exchangeFor(plan: TemperingPlan): Promise<GpuExchange> {
    const K = plan.tables.K;
    if (this.exchange && this.exchange.K !== K) {
      this.exchange.destroy();
      this.exchange = undefined;
    }
    this.exchange ??= await GpuExchange.create(
      this.device,
      isingShaderSource(this.kernel, ['tempering/swap-threshold.wgsl', 'tempering/exchange.wgsl']),
      this.layout,
      this.config.replicas,
      K,
      this.ringSamples,
    );
    this.exchange.prepare(plan, this.config.slots);
    return this.exchange;
  }

  private async initialise(): Promise<void> {
    const { init, replicas } = this.config;
    if (init instanceof Int8Array) {
      const { Lx, Ly } = this.config;
      this.device.queue.writeBuffer(
        this.buffers.spins,
        0,
        this.kernel.pack(
          Uint8Array.from(init, (s) => (s > 0 ? 1 : 0)),
          Lx,
          Ly,
          replicas,
        ),
      );
    } else {
      this.device.queue.writeBuffer(
        this.buffers.steps,
        0,
        this.stepEntry(0, 0, NO_SAMPLE, init === 'cold' ? INIT_MODES.COLD : INIT_MODES.HOT),
      );
      const enc = this.device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(this.pipelines.init);
      pass.setBindGroup(0, this.bindGroup, [0]);
      pass.dispatchWorkgroups(this.sweepWg[0], replicas, this.sweepWg[1]);
      pass.end();
      this.device.queue.submit([enc.finish()]);
    }
    await this.device.queue.onSubmittedWorkDone();
    this.ctx.check();
  }

  /** Map a staging buffer, turning a lost device into a typed error. */
  private mapRead(buffer: GPUBuffer, bytes: number): Promise<Uint32Array> {
    return readBuffer(this.ctx, buffer, bytes);
  }

  async run(options: RunOptions): Promise<RunResult> {
    const { sweeps, measureEvery } = checkRunOptions(options, this.config);
    const R = this.config.replicas;
    const totalSamples = measureEvery > 0 ? Math.floor(sweeps / measureEvery) : 0;
    const plan = options.tempering;
    const tmp = plan ? await this.exchangeFor(plan) : undefined;
    const K = this.config.temperatures.length;
    const firstSweep = this.sweepsDone;
    const result: RunResult = {
      sweeps,
      samples: totalSamples,
      replicas: R,
      bonds: new Int32Array(totalSamples * R),
      magnetization: new Int32Array(totalSamples * R),
      flips: new Float64Array(R),
    };
    const ts = options.timing ? this.timestamps : undefined;
    if (ts) result.gpuSeconds = 0;
    if (tmp) {
      result.permutations = new Uint32Array(totalSamples * R);
      result.swapAccepted = new Float64Array(K - 1);
    }
    const stride = this.stepStride;
    let done = 0;
    let samplesDone = 0;
    let pending:
      | { promise: Promise<Uint32Array>; tpromise?: Promise<Uint32Array>; first: number; count: number }
      | undefined;

    const consume = async (p: NonNullable<typeof pending>): Promise<void> => {
      const words = await p.promise;
      if (tmp && p.tpromise) {
        const { accepted, permutations, slots } = tmp.unpack(await p.tpromise, p.count);
        for (let k = 0; k < K - 1; k++) result.swapAccepted![k] += accepted[k];
        result.permutations!.set(permutations, p.first * R);
        this.config.slots = slots;
      }
      for (let r = 0; r < R; r++) result.flips[r] += words[r];
      if (ts) {
        const t = ts.offset / 4;
        const ns = (words[t + 3] - words[t + 1]) * 2 ** 32 + (words[t + 2] - words[t]);
        // Timestamps can be reset or reordered by the driver: drop negative or absurd deltas.
        if (ns > 0 && ns < 1e12) result.gpuSeconds! += ns * 1e-9;
      }
      const ring = new Int32Array(words.buffer, 4 * R, p.count * R * 2);
      for (let k = 0; k < p.count * R; k++) {
        result.bonds[p.first * R + k] = ring[2 * k];
        result.magnetization[p.first * R + k] = ring[2 * k + 1];
      }
    };

    let batch = 0;
    while (done < sweeps) {
      let n = Math.min(sweeps - done, this.maxSweepsPerBatch);
      if (measureEvery > 0) n = Math.min(n, (Math.floor(done / measureEvery) + this.ringSamples) * measureEvery - done);
      const steps = new Uint32Array((2 * n * stride) / 4);
      const first = samplesDone;
      let count = 0;
      const measured: boolean[] = [];
      for (let t = 0; t < n; t++) {
        const sweep = this.sweepsDone + t;
        const m = measureEvery > 0 && (done + t + 1) % measureEvery === 0;
        measured.push(m);
        steps.set(this.stepEntry(sweep, 0, NO_SAMPLE), (2 * t * stride) / 4);
        const exchange = plan ? exchangeParity(sweep, plan.every) + 1 : 0;
        steps.set(this.stepEntry(sweep, 1, m ? count++ : NO_SAMPLE, 0, exchange), ((2 * t + 1) * stride) / 4);
      }
      const q = this.device.queue;
      q.writeBuffer(this.buffers.steps, stride, steps);
      const bytes = 4 * (R + count * R * 2);
      const enc = this.device.createCommandEncoder({ label: 'ising batch' });
      enc.clearBuffer(this.buffers.stats, 0, bytes);
      tmp?.clear(enc, count);
      const pass = enc.beginComputePass(
        ts ? { timestampWrites: { querySet: ts.querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } } : {},
      );
      const [wx, wz] = this.sweepWg;
      for (let t = 0; t < n; t++) {
        pass.setPipeline(this.pipelines.sweep);
        pass.setBindGroup(0, this.bindGroup, [(2 * t + 1) * stride]);
        pass.dispatchWorkgroups(wx, R, wz);
        pass.setBindGroup(0, this.bindGroup, [(2 * t + 2) * stride]);
        pass.dispatchWorkgroups(wx, R, wz);
        if (measured[t]) {
          pass.setPipeline(this.pipelines.measure);
          pass.dispatchWorkgroups(this.measureWgX, R, 1);
          tmp?.encode(pass);
        }
      }
      pass.end();
      const staging = this.buffers.staging[batch % 2];
      enc.copyBufferToBuffer(this.buffers.stats, 0, staging, 0, bytes);
      if (ts) {
        enc.resolveQuerySet(ts.querySet, 0, 2, ts.resolve, 0);
        enc.copyBufferToBuffer(ts.resolve, 0, staging, ts.offset, 16);
      }
      const which = (batch % 2) as 0 | 1;
      const tbytes = tmp?.copyOut(enc, which, count, this.buffers.slots);
      q.submit([enc.finish()]);
      const current = {
        promise: this.mapRead(staging, ts ? ts.offset + 16 : bytes),
        tpromise: tmp && tbytes ? this.mapRead(tmp.staging[which], tbytes) : undefined,
        first,
        count,
      };
      // These are awaited in consume(); if an earlier batch throws (a lost device) first, they
      // must not surface as unhandled rejections.
      current.promise.catch(() => {});
      current.tpromise?.catch(() => {});
      if (pending) await consume(pending);
      pending = current;
      done += n;
      samplesDone += count;
      this.sweepsDone += n;
      batch++;
      options.onProgress?.(done, sweeps);
    }
    if (pending) await consume(pending);
    if (plan) result.swapAttempted = swapAttempts(K, plan.every, firstSweep, this.sweepsDone).map((a) => a * (R / K));
    return result;
  }

  restore(state: { spins: Int8Array; sweepsDone?: number }): void {
    checkState(state, this.config);
    const { Lx, Ly, replicas } = this.config;
    this.device.queue.writeBuffer(
      this.buffers.spins,
      0,
      this.kernel.pack(
        Uint8Array.from(state.spins, (s) => (s > 0 ? 1 : 0)),
        Lx,
        Ly,
        replicas,
      ),
    );
    if (state.sweepsDone !== undefined) this.sweepsDone = state.sweepsDone;
  }

  async observe(): Promise<{ bonds: Int32Array; magnetization: Int32Array }> {
    const R = this.config.replicas;
    this.device.queue.writeBuffer(this.buffers.steps, 0, this.stepEntry(0, 0, 0));
    const bytes = 4 * (R + R * 2);
    const enc = this.device.createCommandEncoder();
    enc.clearBuffer(this.buffers.stats, 0, bytes);
    const pass = enc.beginComputePass();
    pass.setPipeline(this.pipelines.measure);
    pass.setBindGroup(0, this.bindGroup, [0]);
    pass.dispatchWorkgroups(this.measureWgX, R, 1);
    pass.end();
    enc.copyBufferToBuffer(this.buffers.stats, 0, this.buffers.staging[0], 0, bytes);
    this.device.queue.submit([enc.finish()]);
    const words = new Int32Array((await this.mapRead(this.buffers.staging[0], bytes)).buffer);
    const bonds = new Int32Array(R);
    const magnetization = new Int32Array(R);
    for (let r = 0; r < R; r++) {
      bonds[r] = words[R + 2 * r];
      magnetization[r] = words[R + 2 * r + 1];
    }
    return { bonds, magnetization };
  }

  async spins(): Promise<Int8Array> {
    const bytes = this.buffers.spins.size;
    const staging = this.device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    try {
      const enc = this.device.createCommandEncoder();
      enc.copyBufferToBuffer(this.buffers.spins, 0, staging, 0, bytes);
      this.device.queue.submit([enc.finish()]);
      const { Lx, Ly, replicas } = this.config;
      return Int8Array.from(this.kernel.unpack(await this.mapRead(staging, bytes), Lx, Ly, replicas), (v) => 2 * v - 1);
    } finally {
      staging.destroy();
    }
  }

  /** The spin buffer itself (layout: this.kernel), for renderers that read it without a copy. */
  get spinBuffer(): GPUBuffer {
    return this.buffers.spins;
  }

  setSlots(slots: readonly number[]): void {
    this.config.slots = checkSlots(slots, this.config.replicas, this.config.temperatures.length);
    this.device.queue.writeBuffer(this.buffers.slots, 0, Uint32Array.from(this.config.slots));
  }

  setParameters(p: ParameterUpdate): void {
    const next = updateConfig(this.config, p);
    if (next.temperatures.length !== this.config.temperatures.length) {
      this.buffers.thresholds.destroy();
      this.buffers.thresholds = this.device.createBuffer({
        label: 'ising thresholds',
        size: 4 * N_CLASSES * next.temperatures.length,
        usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
      });
      this.config = next;
      this.makeBindGroup();
    }
    this.config = next;
    this.writeTables();
    this.device.queue.writeBuffer(this.buffers.slots, 0, Uint32Array.from(next.slots));
  }

  destroy(): void {
    for (const b of Object.values(this.buffers).flat()) b.destroy();
    this.timestamps?.resolve.destroy();
    this.exchange?.destroy();
    this.timestamps?.querySet.destroy();
  }
}
