/**
 * The scaffold of the weight-replica kernels (shaders/weights/perceptron.wgsl, linear.wgsl) on top
 * of src/gpu/: one workgroup per replica; a batch is several dispatches in one submission, each
 * reading its Step (first sweep, sweep count, measure_every, measurement phase, first ring sample,
 * then the kernel's own words) from a dynamic-offset uniform; measurements go into a SampleRing read
 * back one batch behind. Here: the batching knobs, the sizes derived from the device limits, the plan
 * of a batch's Step entries, and WeightsKernel, which owns the steps, ring, timer, layout and
 * pipelines of a sampler and runs its batches.
 */

import { batchSweeps, counterSafeSweeps, ringCapacity, runBatches } from '../../gpu/batches.ts';
import {
  bindingTable,
  createBindGroup,
  createBindGroupLayout,
  readOnly,
  storage,
  uniform,
  wgslBindings,
  type BindingSpec,
  type BindingTable,
} from '../../gpu/bindings.ts';
import { createBuffer, usage } from '../../gpu/buffers.ts';
import { createComputePipeline, type GpuContext } from '../../gpu/device.ts';
import { GpuLimitError } from '../../gpu/errors.ts';
import { SampleRing } from '../../gpu/sample-ring.ts';
import { assembleShader, type WgslConstant } from '../../gpu/shaders.ts';
import { PassTimer } from '../../gpu/timer.ts';
import { u32Struct, type UniformStruct } from '../../gpu/uniforms.ts';
import { checkWorkgroupFits, type WorkgroupMemory } from '../../gpu/workgroup.ts';
import { STREAMS, seedKey, sweepWords } from '../../rng/streams.ts';

/** Largest workgroup of the weight kernels (size of their reduction arrays). */
export const MAX_WEIGHTS_WG = 256;
const MAX_SWEEPS_PER_BATCH = 4096;
/** About this many example updates (sweeps·N·P) per dispatch, so no dispatch runs for long. */
const WORK_PER_DISPATCH = 2 ** 24;

const STEP_FIELDS = ['sweep_lo', 'sweep_hi', 'count', 'measure_every', 'phase', 'sample_base'] as const;
type StepField = (typeof STEP_FIELDS)[number];
export type WeightsStep<F extends string> = UniformStruct<StepField | F>;

/** The Step struct of a weight kernel: the common fields, then the kernel's own `own` (at most two). */
export const weightsStep = <F extends string>(own: readonly F[]): WeightsStep<F> =>
  u32Struct<StepField | F>('Step', [...STEP_FIELDS, ...own]);

/**
 * The binding table of a weight kernel: its Step (dynamic offset), the transposed inputs
 * xt[(d * N + i) * P + mu] and the labels ys of `value` type, the kernel's own bindings, then the
 * ring `stats` ([r]: the batch's per-replica counter; then one entry per (sample, replica)).
 */
export function weightsBindings<K extends string>(
  label: string,
  step: WeightsStep<string>,
  value: 'i32' | 'f32',
  own: Record<K, BindingSpec>,
): BindingTable<K | 'step' | 'xt' | 'ys' | 'stats'> {
  const common = {
    step: uniform('Step', step.bytes),
    xt: readOnly(`array<${value}>`),
    ys: readOnly(`array<${value}>`),
  };
  return bindingTable(label, 0, { ...common, ...own, stats: storage('array<u32>') });
}

/**
 * Workgroup size for P examples: a power of two ≥ P, between 4 and 64 on a GPU; 4 on a software
 * adapter (SwiftShader runs 4 lanes at a time and pays for every barrier per lane group: the
 * perceptron at N = 101, P = 150 measured 149 sweeps/s with 4 threads against 21 with 64).
 */
const weightsWorkgroupSize = (P: number, software = false): number =>
  software ? 4 : Math.min(64, Math.max(4, 2 ** Math.ceil(Math.log2(Math.max(1, P)))));

/** Batching knobs (defaults are sized automatically; tests shrink them to exercise the splits). */
export interface WeightsBatchOptions {
  /** Most sweeps one dispatch runs (default: about 2^24 example updates per dispatch). */
  sweepsPerDispatch?: number;
  /** Most sweeps per submission (default 4096, and sweeps·N < 2^32). */
  maxSweepsPerBatch?: number;
  /** Most samples held in the GPU ring per submission (default: 8 MiB of ring). */
  ringSamples?: number;
  /** Threads per workgroup (a power of two, 1 … 256; default weightsWorkgroupSize(P, software adapter)). */
  workgroupSize?: number;
}

/** Throws a RangeError naming the first bad knob. */
export function checkBatchOptions(o: WeightsBatchOptions): void {
  for (const name of ['sweepsPerDispatch', 'maxSweepsPerBatch', 'ringSamples'] as const) {
    const v = o[name];
    if (v !== undefined && (!Number.isInteger(v) || v < 1))
      throw new RangeError(`${name} must be an integer >= 1, got ${v}`);
  }
  const wg = o.workgroupSize;
  if (wg !== undefined && !(Number.isInteger(wg) && wg >= 1 && wg <= MAX_WEIGHTS_WG && (wg & (wg - 1)) === 0)) {
    throw new RangeError(`workgroupSize must be a power of two in [1, ${MAX_WEIGHTS_WG}], got ${wg}`);
  }
}

/** Sizes of a sampler's batches on a device. */
export interface BatchGeometry {
  wgSize: number;
  /** Workgroups per row and rows (one workgroup per replica). */
  wgX: number;
  wgY: number;
  sweepsPerDispatch: number;
  maxSweepsPerBatch: number;
  ringSamples: number;
  /** Byte stride of the Step entries (the uniform offset alignment). */
  stride: number;
  /** Step entries the steps buffer holds. */
  maxDispatches: number;
}

/**
 * Batch sizes for R replicas of N weights and P examples whose ring entries hold `entryWords` words,
 * from the options and the device limits. `minDispatches`: room for at least that many dispatches
 * per batch (the perceptron's exchange runs one sweep per dispatch).
 */
function batchGeometry(
  ctx: GpuContext,
  shape: { R: number; N: number; P: number; entryWords: number; stepBytes: number },
  o: WeightsBatchOptions,
  minDispatches = 0,
): BatchGeometry {
  const { R, N, P, entryWords } = shape;
  const lim = ctx.device.limits;
  const maxDim = lim.maxComputeWorkgroupsPerDimension;
  const wgX = Math.min(R, maxDim);
  const wgY = Math.ceil(R / wgX);
  if (wgY > maxDim) {
    throw new GpuLimitError(
      'maxComputeWorkgroupsPerDimension',
      wgY,
      maxDim,
      `${R} replicas need ${wgY} rows of workgroups, more than this device's maxComputeWorkgroupsPerDimension (${maxDim})`,
    );
  }
  const sweepsPerDispatch = o.sweepsPerDispatch ?? Math.max(1, Math.floor(WORK_PER_DISPATCH / (N * Math.max(1, P))));
  // Per-replica counters (flips, accepted moves) are u32 per batch.
  const maxSweepsPerBatch = counterSafeSweeps(o.maxSweepsPerBatch ?? MAX_SWEEPS_PER_BATCH, N);
  return {
    wgSize: o.workgroupSize ?? weightsWorkgroupSize(P, ctx.isSoftware),
    wgX,
    wgY,
    sweepsPerDispatch,
    maxSweepsPerBatch,
    ringSamples: ringCapacity(maxSweepsPerBatch, entryWords, R, o.ringSamples),
    stride: Math.max(lim.minUniformBufferOffsetAlignment, shape.stepBytes),
    maxDispatches: Math.max(Math.ceil(maxSweepsPerBatch / sweepsPerDispatch), minDispatches) + 1,
  };
}

/** How a run is cut: sweeps per dispatch and per batch, and the kernel's own Step words. */
export interface WeightsRunPlan<F extends string> {
  sweeps: number;
  measureEvery: number;
  /** The sampler's sweep count before the run. */
  firstSweep: number;
  perDispatch: number;
  perBatch: number;
  own: Readonly<Record<F, number>>;
  /** Time the passes (gpuSeconds) where the device has timestamp queries. */
  timed?: boolean;
  /** Encoded after each dispatch of the sweep kernel (the perceptron's exchange). */
  after?: (pass: GPUComputePassEncoder) => void;
}

/** One submission: its sweeps, the Step entries of its dispatches and the samples it measures. */
export interface BatchPlan {
  sweeps: number;
  dispatches: number;
  samples: number;
  /** Step entries, one per `stride` bytes. */
  steps: Uint32Array<ArrayBuffer>;
}

/** The batch after `done` sweeps of the run: its Step entries, perDispatch sweeps each. */
function planBatch<F extends string>(
  g: BatchGeometry,
  step: WeightsStep<F>,
  run: WeightsRunPlan<F>,
  done: number,
): BatchPlan {
  const { measureEvery, perDispatch } = run;
  const n = batchSweeps(done, run.sweeps, run.perBatch, measureEvery, g.ringSamples);
  const steps = new Uint32Array((Math.ceil(n / perDispatch) * g.stride) / 4);
  let dispatches = 0;
  let samples = 0;
  for (let t = 0; t < n; t += perDispatch) {
    const count = Math.min(perDispatch, n - t);
    const [sweep_lo, w3] = sweepWords(run.firstSweep + done + t, 0, 0);
    const phase = measureEvery > 0 ? (done + t) % measureEvery : 0;
    const common = { sweep_lo, sweep_hi: w3 & 0xffff, count, measure_every: measureEvery, phase, sample_base: samples };
    step.pack({ ...common, ...run.own } as Record<StepField | F, number>, steps, (dispatches * g.stride) / 4);
    if (measureEvery > 0) samples += Math.floor((phase + count) / measureEvery);
    dispatches++;
  }
  return { sweeps: n, dispatches, samples, steps };
}

/** A ring entry's words, with where it goes in the run's result. */
export interface RingEntry {
  words: Uint32Array;
  /** Word of the entry in `words`. */
  at: number;
  /** Index (sample·R + replica) of the entry in the run. */
  index: number;
  replica: number;
}

/** The buffers a sampler binds by name: its table's, less the step and ring the kernel owns. */
export type OwnBuffers<T> = T extends BindingTable<infer K> ? Exclude<K, 'step' | 'stats'> : never;

/** What a weight kernel is made of. */
export interface WeightsKernelSpec<B extends string, F extends string> {
  label: string;
  /** Prefix of the kernel's generated shape constants: {prefix}_N, _P, _R, _WG_X. */
  prefix: string;
  table: BindingTable<B | 'step' | 'stats'>;
  step: WeightsStep<F>;
  memory: WorkgroupMemory;
  /** Appended to the workgroup-memory error (what would fit). */
  memoryHint?: string;
  shape: { R: number; N: number; P: number; entryWords: number };
  seed: number;
  /** Room for at least this many dispatches per batch. */
  minDispatches?: number;
}

/** The steps, ring, timer, bindings and pipelines of one weight sampler, and its batch loop. */
export class WeightsKernel<B extends string, F extends string> {
  readonly g: BatchGeometry;
  readonly ring: SampleRing;
  private readonly timer: PassTimer;
  private readonly steps: GPUBuffer;
  private readonly layout: GPUBindGroupLayout;
  private bindGroup?: GPUBindGroup;
  private readonly pipelines = new Map<string, GPUComputePipeline>();

  /** Checks the workgroup memory and sizes the batches (GpuLimitError when the device is too small). */
  constructor(
    private readonly ctx: GpuContext,
    private readonly spec: WeightsKernelSpec<B, F>,
    options: WeightsBatchOptions,
  ) {
    const device = ctx.device;
    const { label, shape } = spec;
    checkWorkgroupFits(device, spec.memory, `N = ${shape.N} weights`, spec.memoryHint);
    this.g = batchGeometry(ctx, { ...shape, stepBytes: spec.step.bytes }, options, spec.minDispatches);
    this.steps = createBuffer(device, `${label} steps`, this.g.stride * this.g.maxDispatches, usage.uniform());
    this.ring = new SampleRing(ctx, label, shape.R, this.g.ringSamples, shape.entryWords);
    this.timer = new PassTimer(ctx, label);
    this.layout = createBindGroupLayout(device, spec.table);
  }

  /** A buffer of the sampler, labelled after the kernel. */
  buffer(label: string, bytes: number, use: GPUBufferUsageFlags): GPUBuffer {
    return createBuffer(this.ctx.device, `${this.spec.label} ${label}`, bytes, use);
  }

  /**
   * Compile the entry points (WG_SIZE overridden for `sweeps`) from the files, after the constants
   * (with the shape, key, stream and MAX_WG constants every weight kernel uses), the Step
   * struct, the bindings and the workgroup memory; then bind `buffers`.
   */
  async build(
    files: string[],
    constants: Record<string, WgslConstant>,
    entries: string[],
    buffers: Readonly<Record<B, GPUBuffer>>,
  ): Promise<void> {
    const { step, table, memory } = this.spec;
    const [keyLo, keyHi] = seedKey(this.spec.seed);
    const { prefix, shape } = this.spec;
    const all = {
      [`${prefix}_N`]: { u32: shape.N },
      [`${prefix}_P`]: { u32: shape.P },
      [`${prefix}_R`]: { u32: shape.R },
      [`${prefix}_WG_X`]: { u32: this.g.wgX },
      ...constants,
      KEY_LO: { u32: keyLo },
      KEY_HI: { u32: keyHi },
      STREAM_WEIGHTS_UPDATE: { u32: STREAMS.WEIGHTS_UPDATE },
      MAX_WG: { u32: MAX_WEIGHTS_WG },
    };
    const code = assembleShader(files, all, [step.wgsl(), wgslBindings(table), memory.wgsl]);
    const device = this.ctx.device;
    const layout = device.createPipelineLayout({ bindGroupLayouts: [this.layout] });
    for (const entry of entries) {
      const overrides = entry === 'sweeps' ? { WG_SIZE: this.g.wgSize } : undefined;
      const label = `${this.spec.label} ${entry}`;
      this.pipelines.set(entry, await createComputePipeline(device, label, code, layout, entry, overrides));
    }
    this.bind(buffers);
    await device.queue.onSubmittedWorkDone();
    this.ctx.check();
  }

  /** (Re)bind the sampler's buffers by name (the steps and the ring are the kernel's own). */
  bind(buffers: Readonly<Record<B, GPUBuffer>>): void {
    const all = { ...buffers, step: this.steps, stats: this.ring.stats } as Record<B | 'step' | 'stats', GPUBuffer>;
    this.bindGroup = createBindGroup(this.ctx.device, this.spec.table, this.layout, all);
  }

  pipeline(entry: string): GPUComputePipeline {
    const p = this.pipelines.get(entry);
    if (!p) throw new Error(`${this.spec.label}: no pipeline '${entry}'`);
    return p;
  }

  /** Upload `steps` and encode one pass of `dispatches` sweep dispatches (each followed by `after`). */
  encode(enc: GPUCommandEncoder, steps: Uint32Array<ArrayBuffer>, dispatches: number, run?: WeightsRunPlan<F>): void {
    this.ctx.device.queue.writeBuffer(this.steps, 0, steps);
    const pass = enc.beginComputePass(run?.timed ? this.timer.pass() : {});
    const sweeps = this.pipeline('sweeps');
    for (let k = 0; k < dispatches; k++) {
      pass.setBindGroup(0, this.bindGroup, [k * this.g.stride]);
      pass.setPipeline(sweeps);
      pass.dispatchWorkgroups(this.g.wgX, this.g.wgY, 1);
      run?.after?.(pass);
    }
    pass.end();
  }

  /** Encode and submit the batch after `done` sweeps of the run. */
  private submit(run: WeightsRunPlan<F>, done: number, firstSample: number, index: number) {
    const plan = planBatch(this.g, this.spec.step, run, done);
    const enc = this.ctx.device.createCommandEncoder({ label: `${this.spec.label} batch` });
    this.ring.clear(enc);
    this.encode(enc, plan.steps, plan.dispatches, run);
    this.ring.copyOut(enc, index, plan.samples, run.timed ? this.timer : undefined);
    this.ctx.device.queue.submit([enc.finish()]);
    const data = this.ring.read(index, plan.samples, run.timed);
    return { done, firstSample, sweeps: plan.sweeps, samples: plan.samples, data };
  }

  /**
   * Run the plan's sweeps in batches, handing each ring entry to `entry` in order. Returns the
   * per-replica counters summed over the run, and the timed GPU seconds (when asked for and available).
   */
  async run(
    run: WeightsRunPlan<F>,
    entry: (e: RingEntry) => void,
  ): Promise<{ counters: Float64Array; seconds?: number }> {
    const R = this.ring.replicas;
    const timed = run.timed === true && this.timer.onDevice;
    const counters = new Float64Array(R);
    let seconds = timed ? 0 : undefined;
    const plan = { ...run, timed };
    await runBatches({
      total: run.sweeps,
      submit: (done, firstSample, index) => this.submit(plan, done, firstSample, index),
      consume: (batch, { words, seconds: s }) => {
        for (let r = 0; r < R; r++) counters[r] += words[r];
        if (seconds !== undefined && s !== undefined) seconds += s;
        for (let k = 0; k < batch.samples; k++) {
          for (let r = 0; r < R; r++) {
            entry({ words, at: this.ring.at(k, r), index: (batch.firstSample + k) * R + r, replica: r });
          }
        }
      },
    });
    return { counters, seconds };
  }

  destroy(): void {
    this.steps.destroy();
    this.ring.destroy();
    this.timer.destroy();
  }
}
