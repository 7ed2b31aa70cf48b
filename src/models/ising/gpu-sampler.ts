/**
 * GPU sampler: R replicas of an Lx×Ly Ising lattice advanced by WGSL checkerboard kernels
 * (shaders/ising/). A sweep is two dispatches (one per colour) plus, when measured, one
 * reduction dispatch that writes integer bond sums and magnetisations into a ring of samples on
 * the GPU. Up to 1024 sweeps are encoded per submission; the ring is read back asynchronously
 * (two staging buffers, so the GPU works on batch i+1 while the host reads batch i): there is no
 * readback per sweep. Buffers, bindings, uniforms, the ring, the timer and the batch loop are the
 * shared scaffolding of src/gpu/ (docs/ARCHITECTURE.md, "GPU scaffolding").
 */

import {
  batchSweeps,
  counterSafeSweeps,
  ringCapacity,
  runBatches,
  sampleCount,
  type Batch,
} from '../../gpu/batches.ts';
import { createBindGroup, createBindGroupLayout } from '../../gpu/bindings.ts';
import { allocating, checkStorageFits, createBuffer, readBack, usage } from '../../gpu/buffers.ts';
import { createComputePipeline, type GpuContext } from '../../gpu/device.ts';
import { GpuLimitError } from '../../gpu/errors.ts';
import { SampleRing } from '../../gpu/sample-ring.ts';
import { PassTimer } from '../../gpu/timer.ts';
import { checkSlots } from '../../params/checks.ts';
import { STREAMS, seedKey, sweepWords } from '../../rng/streams.ts';
import { exchangeParity, swapAttempts, type TemperingPlan } from '../../tempering/exchange.ts';
import { checkParameter, ParameterError } from '../../params/errors.ts';
import { isClusterAlgorithm, replicasPerSample, resolveConfig, thresholdTables, updateConfig } from './config.ts';
import { checkClusterKernel, GpuClusterUpdate } from './cluster/gpu-cluster.ts';
import { antiferroBits } from './couplings.ts';
import type { Algorithm, IsingConfig, ParameterUpdate, ResolvedIsingConfig } from './config.ts';
import { GpuExchange } from './gpu-exchange.ts';
import { GpuLineSums } from './gpu-structure.ts';
import {
  ISING_BINDINGS,
  ISING_ENTRY_WORDS,
  ISING_STEP,
  LATTICE_PARAMS,
  NO_SAMPLE,
  isingShaderSource,
} from './gpu-layout.ts';
import {
  KERNELS,
  autoKernel,
  checkKernelFits,
  kernelByName,
  sitePackedKernel,
  type KernelChoice,
  type KernelSpec,
} from './kernels.ts';
import { INIT_MODES, N_CLASSES } from './layout.ts';
import { checkRunOptions, checkState, type IsingSampler, type RunOptions, type RunResult } from './sampler.ts';
import {
  checkResidentFits,
  encodeResident,
  residentDispatches,
  residentFits,
  residentWords,
} from './planes/resident.ts';

/** Most threads per workgroup of the Ising kernels (the WGSL override WG_SIZE). */
const MAX_WG_SIZE = 256;

/**
 * Workgroup size for `work` items: the smallest power of two ≥ work, between 8 and MAX_WG_SIZE.
 * Small lattices then do not pay for idle threads (a software adapter runs every invocation).
 */
export const workgroupSize = (work: number): number =>
  Math.min(MAX_WG_SIZE, Math.max(8, 2 ** Math.ceil(Math.log2(Math.max(1, work)))));
/** Most sweeps encoded in one submission. */
const MAX_SWEEPS_PER_BATCH = 1024;

/** Options of the GPU sampler beyond the model's parameters. */
export interface GpuSamplerOptions {
  /** Kernel variant (default checkerboard-u32), or auto (the fastest that fits: autoKernel); see kernels.ts. */
  kernel?: KernelChoice;
  /** The runs will measure the structure factor: auto then leaves out the resident kernel, which cannot. */
  structureFactor?: boolean;
}

/**
 * The kernel of the options: a named one as it is; auto resolves to checkerboard-u32 for the cluster
 * updates (the only kernel they run on), else to autoKernel's choice, resident only where it fits the
 * device's workgroup memory and no structure factor is wanted (msc-planes, its substitute, follows the
 * same random mapping).
 */
function chooseKernel(
  device: GPUDevice,
  c: { Lx: number; Ly: number; algorithm: Algorithm; couplings?: unknown },
  o: GpuSamplerOptions,
) {
  const { Lx, Ly, algorithm } = c;
  const name = o.kernel ?? 'checkerboard-u32';
  if (name !== 'auto') return name;
  if (isClusterAlgorithm(algorithm)) return 'checkerboard-u32';
  // ±J couplings: the bit-plane kernels have no bond bits; the densest site-packed kernel that fits.
  if (c.couplings) return sitePackedKernel(Lx);
  return autoKernel(Lx, Ly, !o.structureFactor && residentFits(device, Lx, Ly));
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
  checkStorageFits(device, bytes, (limit, available) => {
    let L = Math.floor(Math.sqrt((8 * available) / (kernel.bitsPerSpin * R)));
    L -= L % kernel.lxMultiple;
    return (
      `a ${Lx}x${Ly} lattice with ${R} replica(s) needs ${bytes} bytes of spin storage with kernel ${kernel.name}, but this device's ` +
      `${limit} is ${available}; the largest square lattice that fits is L = ${L} with ${R} replica(s)` +
      (kernel.bitsPerSpin > 1 ? ` (kernel msc-1bit stores ${kernel.bitsPerSpin}x fewer bytes per spin)` : '')
    );
  });
}

/** Words of the couplings buffer: every disorder sample in the kernel's layout (0 without couplings). */
function couplingWords(config: ResolvedIsingConfig, kernel: KernelSpec): number {
  const { couplings, Lx, Ly } = config;
  if (!couplings || !kernel.packCouplings) return 0;
  return couplings.length * kernel.packCouplings(new Uint8Array(Lx * Ly), Lx, Ly).length;
}

/** Dispatch sizes and batch limits of a lattice on a device. */
interface IsingGeometry {
  wgSize: { sweep: number; measure: number };
  /** Workgroups of a sweep dispatch along x and z (y: replicas). */
  sweepWg: [number, number];
  measureWgX: number;
  maxSweepsPerBatch: number;
  ringSamples: number;
  /** Byte stride of the Step entries (the uniform offset alignment). */
  stepStride: number;
}

function isingGeometry(device: GPUDevice, Lx: number, Ly: number, R: number, kernel: KernelSpec): IsingGeometry {
  const threads = kernel.sweepThreads(Lx, Ly);
  const items = kernel.measureItems(Lx, Ly);
  const maxDim = device.limits.maxComputeWorkgroupsPerDimension;
  const wgSize = { sweep: workgroupSize(threads), measure: workgroupSize(items) };
  const wgs = Math.ceil(threads / wgSize.sweep);
  const wgX = Math.min(wgs, maxDim);
  const sweepWg: [number, number] = [wgX, Math.ceil(wgs / wgX)];
  if (sweepWg[1] > maxDim) {
    throw new GpuLimitError(
      'maxComputeWorkgroupsPerDimension',
      wgs,
      maxDim * maxDim,
      `a ${Lx}x${Ly} lattice needs ${wgs} workgroups per colour, more than this device can dispatch`,
    );
  }
  // Flip counters are u32 per replica per batch: keep sweeps·N below 2^32.
  const maxSweepsPerBatch = counterSafeSweeps(MAX_SWEEPS_PER_BATCH, Lx * Ly);
  return {
    wgSize,
    sweepWg,
    measureWgX: Math.min(Math.ceil(items / wgSize.measure), 1024, maxDim),
    maxSweepsPerBatch,
    ringSamples: ringCapacity(maxSweepsPerBatch, ISING_ENTRY_WORDS, R),
    stepStride: Math.max(device.limits.minUniformBufferOffsetAlignment, ISING_STEP.bytes),
  };
}

/** What a batch reads back: the ring (and pass time), and the exchange's statistics. */
interface IsingBatchData {
  ring: { words: Uint32Array; seconds?: number };
  exchange?: Awaited<ReturnType<GpuExchange['read']>>;
  /** Cluster algorithms: the batch's improved M² estimates. */
  moments?: Float64Array;
  /** With RunOptions.structureFactor: F of the batch's samples. */
  structure?: Float64Array;
}

export class GpuIsingSampler implements IsingSampler {
  readonly backend = 'gpu' as const;
  config: ResolvedIsingConfig;
  sweepsDone = 0;

  private readonly device: GPUDevice;
  private readonly geo: IsingGeometry;
  private readonly buffers: Record<'params' | 'steps' | 'spins' | 'thresholds' | 'slots' | 'couplings', GPUBuffer>;
  private readonly ring: SampleRing;
  private readonly timer: PassTimer;
  /** Replica exchange, made on first use (and again when K changes). */
  private exchange?: GpuExchange;
  /** Swendsen–Wang / Wolff kernels, made on the first run with a cluster algorithm. */
  private cluster?: GpuClusterUpdate;
  /** Line sums for the structure factor, made on the first run that asks for it. */
  private lines?: GpuLineSums;
  /** Layout of group 0 (the lattice bindings), shared with pipelines that read the spins. */
  layout!: GPUBindGroupLayout;
  /** Group 0 bound to this sampler's buffers (step uniform at dynamic offset 0). */
  bindGroup!: GPUBindGroup;
  private pipelines!: {
    sweep: GPUComputePipeline;
    measure: GPUComputePipeline;
    init: GPUComputePipeline;
    overlap?: GPUComputePipeline;
  };

  /** Build a sampler on a device (compiles the kernels and sets the initial state). */
  static async create(ctx: GpuContext, config: IsingConfig, options: GpuSamplerOptions = {}): Promise<GpuIsingSampler> {
    const resolved = resolveConfig(config);
    const { Lx, Ly, algorithm } = resolved;
    const kernel = kernelByName(chooseKernel(ctx.device, resolved, options));
    checkKernelFits(kernel, Lx, Ly);
    if (resolved.couplings && !kernel.packCouplings)
      throw new ParameterError('kernel', `kernel ${kernel.name} has no ±J couplings; use kernel checkerboard-u32`);
    checkClusterKernel(algorithm, kernel);
    const sampler = await allocating(
      ctx.device,
      `the ${Lx}x${Ly} lattice(s) (${resolved.replicas} replica(s), kernel ${kernel.name})`,
      () => new GpuIsingSampler(ctx, resolved, kernel),
      (s) => s.destroy(),
    );
    await sampler.build();
    return sampler;
  }

  private constructor(
    readonly ctx: GpuContext,
    config: ResolvedIsingConfig,
    readonly kernel: KernelSpec,
  ) {
    this.config = config;
    const device = ctx.device;
    this.device = device;
    const { Lx, Ly, replicas: R } = config;
    checkLatticeFits(device, Lx, Ly, R, kernel);
    if (kernel.resident) checkResidentFits(device, Lx, Ly);
    const geo = isingGeometry(device, Lx, Ly, R, kernel);
    this.geo = geo;
    this.buffers = {
      params: createBuffer(device, 'ising params', LATTICE_PARAMS.bytes, usage.uniform()),
      steps: createBuffer(device, 'ising steps', geo.stepStride * (2 * geo.maxSweepsPerBatch + 1), usage.uniform()),
      spins: createBuffer(device, 'ising spins', 4 * kernel.spinWords(Lx, Ly, R), usage.state()),
      thresholds: createBuffer(device, 'ising thresholds', 4 * N_CLASSES * config.temperatures.length, usage.input()),
      slots: createBuffer(device, 'ising slots', 4 * R, usage.state()),
      couplings: createBuffer(device, 'ising couplings', 4 * couplingWords(config, kernel), usage.input()),
    };
    this.ring = new SampleRing(ctx, 'ising', R, geo.ringSamples, ISING_ENTRY_WORDS);
    this.timer = new PassTimer(ctx, 'ising');
    this.writeParams();
    this.writeTables();
    this.writeCouplings();
    device.queue.writeBuffer(this.buffers.slots, 0, Uint32Array.from(config.slots));
  }

  /** The lattice parameters (again when K changes: the overlap partner depends on it). */
  private writeParams(): void {
    const { Lx, Ly, replicas, seed, couplings, temperatures, replicaBase } = this.config;
    const [seed_lo, seed_hi] = seedKey(seed);
    const N = Lx * Ly;
    const params = { lx: Lx, ly: Ly, replicas, half: N / 2, groups: Math.ceil(N / 8), seed_lo, seed_hi };
    const words = { replica_base: replicaBase };
    const glass = {
      glass: couplings ? 1 : 0,
      sample_replicas: replicasPerSample(this.config),
      slots_k: temperatures.length,
    };
    const geometry = { sweep_wg_x: this.geo.sweepWg[0], measure_wg_x: this.geo.measureWgX };
    this.device.queue.writeBuffer(
      this.buffers.params,
      0,
      LATTICE_PARAMS.pack({ ...params, ...glass, ...geometry, ...words }),
    );
  }

  private writeCouplings(): void {
    const { couplings, Lx, Ly } = this.config;
    const pack = this.kernel.packCouplings;
    if (!couplings || !pack) return;
    const words = new Uint32Array(couplingWords(this.config, this.kernel));
    const per = words.length / couplings.length;
    couplings.forEach((c, s) => {
      words.set(pack(antiferroBits(c), Lx, Ly), s * per);
    });
    this.device.queue.writeBuffer(this.buffers.couplings, 0, words);
  }

  private async build(): Promise<void> {
    const device = this.device;
    this.layout = createBindGroupLayout(device, ISING_BINDINGS);
    const layout = device.createPipelineLayout({ bindGroupLayouts: [this.layout] });
    const code = isingShaderSource(this.kernel);
    const { sweep: wgSweep, measure: wgMeasure } = this.geo.wgSize;
    // The resident kernel sizes its workgroup lattice by a pipeline constant, and measures with its sweep's workgroups.
    const { Lx, Ly } = this.config;
    const res: Record<string, number> = this.kernel.resident ? { RES_WORDS: residentWords(Lx, Ly) } : {};
    const [sweep, measure, init, overlap] = await Promise.all([
      createComputePipeline(device, 'ising sweep', code, layout, 'sweep', { WG_SIZE: wgSweep, ...res }),
      createComputePipeline(device, 'ising measure', code, layout, 'measure', {
        WG_SIZE: this.kernel.resident ? wgSweep : wgMeasure,
        ...res,
      }),
      createComputePipeline(device, 'ising init', code, layout, 'init', { WG_SIZE: wgSweep }),
      this.config.couplings
        ? createComputePipeline(device, 'ising overlap', code, layout, 'overlap', { WG_SIZE: wgMeasure })
        : undefined,
    ]);
    this.pipelines = { sweep, measure, init, overlap };
    this.makeBindGroup();
    await this.initialise();
  }

  private makeBindGroup(): void {
    const b = this.buffers;
    this.bindGroup = createBindGroup(this.device, ISING_BINDINGS, this.layout, {
      P: b.params,
      S: b.steps,
      spins: b.spins,
      thresholds: b.thresholds,
      couplings: b.couplings,
      replica_slot: b.slots,
      stats: this.ring.stats,
    });
  }

  private writeTables(): void {
    const c = this.config;
    this.device.queue.writeBuffer(this.buffers.thresholds, 0, thresholdTables(c.algorithm, c.temperatures, c.J, c.h));
  }

  /**
   * Write the Step of (sweep, phase, ring slot, init mode, exchange: 0 none, 1 + parity; the
   * resident kernel's sweep count and measured sweeps) at word `at` of `out`.
   */
  private stepEntry(
    sweep: number,
    phase: number,
    sample: number,
    mode = 0,
    exchange = 0,
    out?: Uint32Array<ArrayBuffer>,
    at = 0,
    resident = { sweeps: 1, measure_first: 0, measure_every: 1 },
  ): Uint32Array<ArrayBuffer> {
    const [sweep_lo, w3] = sweepWords(sweep, phase, STREAMS.ISING_UPDATE);
    return ISING_STEP.pack({ sweep_lo, sweep_hi: w3 & 0xffff, phase, sample, mode, exchange, ...resident }, out, at);
  }

  /** The exchange machinery for `plan`, ready for a run from the current slots. */
  private async exchangeFor(plan: TemperingPlan): Promise<GpuExchange> {
    const K = plan.tables.K;
    if (this.exchange && this.exchange.K !== K) {
      this.exchange.destroy();
      this.exchange = undefined;
    }
    const { replicas } = this.config;
    this.exchange ??= await GpuExchange.create(this.ctx, this.kernel, this.layout, replicas, K, this.geo.ringSamples);
    this.exchange.prepare(plan, this.config.slots);
    return this.exchange;
  }

  /** The cluster kernels, ready for a run with the current parameters (undefined for single-spin updates). */
  private async clusterFor(): Promise<GpuClusterUpdate | undefined> {
    if (!isClusterAlgorithm(this.config.algorithm)) return undefined;
    const { Lx, Ly } = this.config;
    this.cluster ??= await GpuClusterUpdate.create(this.ctx, this.layout, this.kernel, this.config, {
      wgSize: workgroupSize((Lx * Ly) / 4),
      ringSamples: this.geo.ringSamples,
    });
    this.cluster.prepare(this.config);
    return this.cluster;
  }

  private writeSpins(spins: Int8Array): void {
    const { Lx, Ly, replicas } = this.config;
    const words = this.kernel.pack(
      Uint8Array.from(spins, (s) => (s > 0 ? 1 : 0)),
      Lx,
      Ly,
      replicas,
    );
    this.device.queue.writeBuffer(this.buffers.spins, 0, words);
  }

  private async initialise(): Promise<void> {
    const { init, replicas } = this.config;
    if (init instanceof Int8Array) {
      this.writeSpins(init);
    } else {
      const mode = init === 'cold' ? INIT_MODES.COLD : INIT_MODES.HOT;
      this.device.queue.writeBuffer(this.buffers.steps, 0, this.stepEntry(0, 0, NO_SAMPLE, mode));
      const enc = this.device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(this.pipelines.init);
      pass.setBindGroup(0, this.bindGroup, [0]);
      pass.dispatchWorkgroups(this.geo.sweepWg[0], replicas, this.geo.sweepWg[1]);
      pass.end();
      this.device.queue.submit([enc.finish()]);
    }
    await this.device.queue.onSubmittedWorkDone();
    this.ctx.check();
  }

  async run(options: RunOptions): Promise<RunResult> {
    const { sweeps, measureEvery } = checkRunOptions(options, this.config);
    const R = this.config.replicas;
    const totalSamples = sampleCount(sweeps, measureEvery);
    const plan = options.tempering;
    const exchange = plan ? await this.exchangeFor(plan) : undefined;
    const cluster = await this.clusterFor();
    const { Lx, Ly } = this.config;
    const shape = { Lx, Ly, R, maxSweeps: this.geo.maxSweepsPerBatch };
    // Its sweeps run inside one dispatch, where the line sums of a measured sweep cannot go.
    checkParameter(
      !(options.structureFactor && this.kernel.resident),
      'kernel',
      'resident cannot measure the structure factor (xi); choose another kernel (auto does)',
    );
    if (options.structureFactor) this.lines ??= await GpuLineSums.create(this.ctx, this.kernel, this.layout, shape);
    const lines = options.structureFactor ? this.lines : undefined;
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
    if (this.config.couplings) {
      result.overlap = new Int32Array(totalSamples * R);
      result.linkOverlap = new Int32Array(totalSamples * R);
    }
    const timed = options.timing === true && this.timer.onDevice;
    if (timed) result.gpuSeconds = 0;
    if (cluster) result.clusterMoments = new Float64Array(totalSamples * R);
    if (lines) result.structureFactor = new Float64Array(totalSamples * R);
    if (exchange) {
      result.permutations = new Uint32Array(totalSamples * R);
      result.swapAccepted = new Float64Array(K - 1);
    }
    await runBatches<IsingBatchData>({
      total: sweeps,
      submit: (done, first, index) =>
        this.submitBatch({ done, first, index, sweeps, measureEvery, plan, timed, cluster, lines }),
      consume: (batch, data) => this.consume(result, batch, data),
      onProgress: options.onProgress,
    });
    if (plan) result.swapAttempted = swapAttempts(K, plan.every, firstSweep, this.sweepsDone).map((a) => a * (R / K));
    return result;
  }

  /** The Step entries of a batch of n sweeps after `done` of the run; which sweeps are measured. */
  private batchSteps(
    n: number,
    done: number,
    measureEvery: number,
    plan?: TemperingPlan,
    extras: { cluster?: GpuClusterUpdate; lines?: GpuLineSums } = {},
  ) {
    const words = this.geo.stepStride / 4;
    const steps = new Uint32Array(2 * n * words);
    const measured: boolean[] = [];
    let count = 0;
    for (let t = 0; t < n; t++) {
      const sweep = this.sweepsDone + t;
      const m = measureEvery > 0 && (done + t + 1) % measureEvery === 0;
      measured.push(m);
      this.stepEntry(sweep, 0, NO_SAMPLE, 0, 0, steps, 2 * t * words);
      const exchange = plan ? exchangeParity(sweep, plan.every) + 1 : 0;
      this.stepEntry(sweep, 1, m ? count++ : NO_SAMPLE, 0, exchange, steps, (2 * t + 1) * words);
    }
    const encode = (pass: GPUComputePassEncoder, x?: GpuExchange) =>
      this.encodeSweeps(pass, measured, { exchange: x, ...extras });
    return { steps, count, encode };
  }

  /** The resident kernel's Steps for a batch of n sweeps (one per dispatch), and its encoder. */
  private residentSteps(n: number, done: number, measureEvery: number, plan?: TemperingPlan) {
    const words = this.geo.stepStride / 4;
    const { dispatches, samples } = residentDispatches(n, done, this.sweepsDone, measureEvery, plan);
    const steps = new Uint32Array(dispatches.length * words);
    dispatches.forEach(({ sweep, sample, exchange, ...resident }, i) => {
      this.stepEntry(sweep, 0, sample, 0, exchange, steps, i * words, resident);
    });
    const { stride, R } = { stride: this.geo.stepStride, R: this.config.replicas };
    const encode = (pass: GPUComputePassEncoder, x?: GpuExchange) =>
      encodeResident(pass, this.pipelines.sweep, this.bindGroup, stride, R, dispatches.length, x);
    return { steps, count: samples, encode };
  }

  /** Encode and submit one batch (both colours of each sweep, measurements, exchanges). */
  private submitBatch(b: {
    done: number;
    first: number;
    index: number;
    sweeps: number;
    measureEvery: number;
    plan?: TemperingPlan;
    timed: boolean;
    cluster?: GpuClusterUpdate;
    lines?: GpuLineSums;
  }): Batch<IsingBatchData> {
    const { geo, exchange } = this;
    const xchg = b.plan ? exchange : undefined;
    const ringSamples = Math.min(geo.ringSamples, b.lines?.ringSamples ?? Infinity);
    const n = batchSweeps(b.done, b.sweeps, geo.maxSweepsPerBatch, b.measureEvery, ringSamples);
    const { steps, count, encode } = this.kernel.resident
      ? this.residentSteps(n, b.done, b.measureEvery, b.plan)
      : this.batchSteps(n, b.done, b.measureEvery, b.plan, { cluster: b.cluster, lines: b.lines });
    this.device.queue.writeBuffer(this.buffers.steps, geo.stepStride, steps);
    const enc = this.device.createCommandEncoder({ label: 'ising batch' });
    this.ring.clear(enc, count);
    xchg?.clear(enc, count);
    b.cluster?.clear(enc, count);
    const pass = enc.beginComputePass(b.timed ? this.timer.pass() : {});
    encode(pass, xchg);
    pass.end();
    this.ring.copyOut(enc, b.index, count, b.timed ? this.timer : undefined);
    xchg?.copyOut(enc, b.index, count, this.buffers.slots);
    b.cluster?.copyOut(enc, b.index, count);
    b.lines?.copyOut(enc, b.index, count);
    this.device.queue.submit([enc.finish()]);
    this.sweepsDone += n;
    const ring = this.ring.read(b.index, count, b.timed);
    const temper = xchg?.read(b.index, count);
    temper?.catch(() => {});
    const { algorithm, Lx, Ly } = this.config;
    const moments =
      b.cluster && isClusterAlgorithm(algorithm) ? b.cluster.moments(b.index, count, algorithm, Lx * Ly) : undefined;
    moments?.catch(() => {});
    const structure = b.lines?.read(b.index, count);
    structure?.catch(() => {});
    const data = Promise.all([ring, temper, moments, structure]).then(([r, e, m, f]) => ({
      ring: r,
      exchange: e,
      moments: m,
      structure: f,
    }));
    return { done: b.done, firstSample: b.first, sweeps: n, samples: count, data };
  }

  private encodeSweeps(
    pass: GPUComputePassEncoder,
    measured: readonly boolean[],
    extra: { exchange?: GpuExchange; cluster?: GpuClusterUpdate; lines?: GpuLineSums },
  ): void {
    const { exchange, cluster, lines } = extra;
    const { replicas: R, algorithm } = this.config;
    const stride = this.geo.stepStride;
    const [wx, wz] = this.geo.sweepWg;
    for (let t = 0; t < measured.length; t++) {
      if (cluster && isClusterAlgorithm(algorithm)) {
        // One cluster step per sweep, at the sweep's second Step (the one that carries the ring slot).
        pass.setBindGroup(0, this.bindGroup, [(2 * t + 2) * stride]);
        cluster.encode(pass, algorithm, R);
      } else {
        pass.setPipeline(this.pipelines.sweep);
        pass.setBindGroup(0, this.bindGroup, [(2 * t + 1) * stride]);
        pass.dispatchWorkgroups(wx, R, wz);
        pass.setBindGroup(0, this.bindGroup, [(2 * t + 2) * stride]);
        pass.dispatchWorkgroups(wx, R, wz);
      }
      if (measured[t]) {
        pass.setPipeline(this.pipelines.measure);
        pass.dispatchWorkgroups(this.geo.measureWgX, R, 1);
        if (this.pipelines.overlap) {
          pass.setPipeline(this.pipelines.overlap);
          pass.dispatchWorkgroups(this.geo.measureWgX, R, 1);
        }
        lines?.encode(pass);
        exchange?.encode(pass);
      }
    }
  }

  /** Fold one batch's read-back data into the run's result. */
  private consume(result: RunResult, batch: Batch<IsingBatchData>, data: IsingBatchData): void {
    const R = this.config.replicas;
    const { words, seconds } = data.ring;
    if (data.exchange) {
      const { accepted, permutations, slots } = data.exchange;
      accepted.forEach((a, k) => {
        result.swapAccepted![k] += a;
      });
      result.permutations!.set(permutations, batch.firstSample * R);
      this.config.slots = slots;
    }
    if (data.moments) result.clusterMoments!.set(data.moments, batch.firstSample * R);
    if (data.structure) result.structureFactor!.set(data.structure, batch.firstSample * R);
    for (let r = 0; r < R; r++) result.flips[r] += words[r];
    if (seconds !== undefined) result.gpuSeconds! += seconds;
    const ring = new Int32Array(words.buffer, 4 * R, batch.samples * R * ISING_ENTRY_WORDS);
    const W = ISING_ENTRY_WORDS;
    for (let k = 0; k < batch.samples * R; k++) {
      result.bonds[batch.firstSample * R + k] = ring[W * k];
      result.magnetization[batch.firstSample * R + k] = ring[W * k + 1];
      if (result.overlap) result.overlap[batch.firstSample * R + k] = ring[W * k + 2];
      if (result.linkOverlap) result.linkOverlap[batch.firstSample * R + k] = ring[W * k + 3];
    }
  }

  restore(state: { spins: Int8Array; sweepsDone?: number }): void {
    checkState(state, this.config);
    this.writeSpins(state.spins);
    if (state.sweepsDone !== undefined) this.sweepsDone = state.sweepsDone;
  }

  async observe(): Promise<{ bonds: Int32Array; magnetization: Int32Array }> {
    const R = this.config.replicas;
    this.device.queue.writeBuffer(this.buffers.steps, 0, this.stepEntry(0, 0, 0));
    const enc = this.device.createCommandEncoder();
    this.ring.clear(enc, 1);
    const pass = enc.beginComputePass();
    pass.setPipeline(this.pipelines.measure);
    pass.setBindGroup(0, this.bindGroup, [0]);
    pass.dispatchWorkgroups(this.geo.measureWgX, R, 1);
    pass.end();
    this.ring.copyOut(enc, 0, 1);
    this.device.queue.submit([enc.finish()]);
    const words = new Int32Array((await this.ring.read(0, 1)).words.buffer);
    const bonds = new Int32Array(R);
    const magnetization = new Int32Array(R);
    for (let r = 0; r < R; r++) {
      bonds[r] = words[this.ring.at(0, r)];
      magnetization[r] = words[this.ring.at(0, r) + 1];
    }
    return { bonds, magnetization };
  }

  async spins(): Promise<Int8Array> {
    const words = await readBack(this.ctx, this.buffers.spins, this.buffers.spins.size);
    const { Lx, Ly, replicas } = this.config;
    return Int8Array.from(this.kernel.unpack(words, Lx, Ly, replicas), (v) => 2 * v - 1);
  }

  /**
   * The cluster labels of the last cluster step (GpuClusterUpdate.labels: u32 per site, replica-major,
   * natural order), for renderers that read them without a copy; undefined before the first cluster step.
   */
  get clusterLabels(): GPUBuffer | undefined {
    return this.cluster?.labels;
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
    checkClusterKernel(next.algorithm, this.kernel);
    if (next.temperatures.length !== this.config.temperatures.length) {
      this.buffers.thresholds.destroy();
      const bytes = 4 * N_CLASSES * next.temperatures.length;
      this.buffers.thresholds = createBuffer(this.device, 'ising thresholds', bytes, usage.input());
      this.config = next;
      this.makeBindGroup();
    }
    this.config = next;
    this.writeParams();
    this.writeTables();
    this.writeCouplings();
    this.device.queue.writeBuffer(this.buffers.slots, 0, Uint32Array.from(next.slots));
  }

  destroy(): void {
    for (const b of Object.values(this.buffers)) b.destroy();
    this.ring.destroy();
    this.timer.destroy();
    this.exchange?.destroy();
    this.cluster?.destroy();
    this.lines?.destroy();
  }
}
