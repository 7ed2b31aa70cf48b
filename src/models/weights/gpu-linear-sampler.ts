/**
 * GPU Metropolis sampler of the linear model with squared loss (shaders/weights/linear.wgsl): the
 * f32 twin of CpuLinearSampler (the contract in linear.ts): same config, same Philox words per
 * coordinate, same sweep order, proposal, ΔH and acceptance rule, same tune() schedule, same run()
 * result. Arithmetic is f32 on the GPU, so θ follows the CPU trajectory to ~1e-6 relative while the
 * decisions agree, and a decision can differ only where the acceptance word lies within ~1e-6
 * (relative) of the threshold (see the shader header); averages are then compared statistically.
 *
 * Kernel: one workgroup per replica; one dispatch runs many whole sweeps (the workgroup owns its
 * replica, one barrier per coordinate orders the N sequential updates). A batch is several dispatches
 * in one submission, each reading its step (first sweep, count, measurement phase, first sample slot,
 * flags) from a dynamic-offset uniform; measurements (H and θ per replica) go into a ring read back
 * once per batch, with the per-replica accepted-move counters.
 *
 * Initial θ (zero, given, or WEIGHTS_INIT) and validation are the CPU sampler's own (it is built once
 * on the host for that). Per-slot β and step scale are uploaded at every run(), so tune() updates the
 * scales on the host exactly as the CPU does.
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
import { STREAMS, seedKey, sweepWords } from '../../rng/streams.ts';
import { checkSlots } from '../../params/checks.ts';
import {
  MAX_WEIGHTS_WG,
  STEP_WORDS,
  batchGeometry,
  checkBatchOptions,
  planBatch,
  type BatchGeometry,
  type WeightsBatchOptions,
} from './gpu-batching.ts';
import {
  CpuLinearSampler,
  tuneScales,
  type LinearProblem,
  type LinearRunResult,
  type LinearSamplerConfig,
} from './linear.ts';

export type GpuLinearOptions = WeightsBatchOptions;

export interface LinearRunOptions {
  sweeps: number;
  /** Measure after every measureEvery-th sweep (default 1; 0: never). */
  measureEvery?: number;
  /** Also return θ at every measurement (sampledWeights). */
  recordWeights?: boolean;
}

export interface GpuLinearRunResult extends LinearRunResult {
  /** θ at each measurement when recordWeights, [(k·R + r)·N + i]. */
  sampledWeights?: Float64Array;
}

/** A_ii = Σ_μ x_μi²/N + λ, as CpuLinearSampler computes it. */
export function linearDiagonal(pr: LinearProblem): Float64Array {
  const { N, P, X, lambda } = pr;
  const A = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    let s = lambda;
    for (let m = 0; m < P; m++) s += (X[m * N + i] * X[m * N + i]) / N;
    A[i] = s;
  }
  return A;
}

export class GpuLinearSampler {
  readonly backend = 'gpu' as const;
  readonly N: number;
  readonly P: number;
  readonly replicas: number;
  readonly problem: LinearProblem;
  readonly seed: number;
  temperatures: number[];
  slots: number[];
  /** Step scale per slot (δ_i = scale / √(2β A_ii)), as on the CPU. */
  readonly scale: Float64Array;
  sweepsDone = 0;
  readonly wgSize: number;

  private readonly device: GPUDevice;
  private readonly Adiag: Float64Array;
  private readonly K: number;
  private readonly entryWords: number;
  private readonly g: BatchGeometry;
  private readonly buffers: Record<
    'steps' | 'xt' | 'ys' | 'params' | 'slots' | 'theta' | 'resid' | 'stats' | 'staging',
    GPUBuffer
  >;
  private pipeline!: GPUComputePipeline;
  private bindGroup!: GPUBindGroup;

  /** Build a sampler (validates like the CPU sampler, then checks device limits and compiles the kernel). */
  static async create(
    ctx: GpuContext,
    config: LinearSamplerConfig,
    options: GpuLinearOptions = {},
  ): Promise<GpuLinearSampler> {
    checkBatchOptions(options);
    const cpu = new CpuLinearSampler(config);
    const s = new GpuLinearSampler(ctx, cpu, config.seed ?? 1, options);
    await s.build();
    return s;
  }

  private constructor(
    readonly ctx: GpuContext,
    cpu: CpuLinearSampler,
    seed: number,
    options: GpuLinearOptions,
  ) {
    const device = (this.device = ctx.device);
    const { N, P, replicas: R } = cpu;
    const pr = cpu.problem;
    this.N = N;
    this.P = P;
    this.replicas = R;
    this.problem = pr;
    this.seed = seed;
    this.temperatures = [...cpu.temperatures];
    this.slots = [...cpu.slots];
    this.K = this.temperatures.length;
    this.scale = Float64Array.from(cpu.scale);
    if (pr.X.length !== N * P || pr.y.length !== P)
      throw new RangeError(`problem arrays must have X: N·P = ${N * P} and y: P = ${P} entries`);
    for (const [name, a] of [
      ['X', pr.X],
      ['y', pr.y],
    ] as const) {
      if (!a.every(Number.isFinite)) throw new RangeError(`problem ${name} has a non-finite entry`);
    }
    this.Adiag = linearDiagonal(pr);
    const bad = this.Adiag.findIndex((a) => !(a > 0));
    if (bad >= 0) {
      throw new RangeError(
        `A_${bad}${bad} = Σ_μ x_μi²/N + λ must be > 0 (coordinate ${bad} has no data and λ = 0: the Gibbs measure is improper)`,
      );
    }
    this.entryWords = 1 + N;

    const lim = device.limits;
    const wgBytes = 4 * (3 * N + 2 * MAX_WEIGHTS_WG);
    if (wgBytes > lim.maxComputeWorkgroupStorageSize) {
      const maxN = Math.floor((lim.maxComputeWorkgroupStorageSize / 4 - 2 * MAX_WEIGHTS_WG) / 3);
      throw new GpuLimitError(
        'maxComputeWorkgroupStorageSize',
        wgBytes,
        lim.maxComputeWorkgroupStorageSize,
        `N = ${N} weights need ${wgBytes} bytes of workgroup memory, more than this device's maxComputeWorkgroupStorageSize ` +
          `(${lim.maxComputeWorkgroupStorageSize}, which fits N <= ${maxN}); use the CPU sampler`,
      );
    }
    const g = (this.g = batchGeometry(device, ctx.isSoftware, { R, N, P, entryWords: this.entryWords }, options));
    this.wgSize = g.wgSize;
    const statsBytes = 4 * (R + g.ringSamples * R * this.entryWords);
    const sizes: [string, number][] = [
      [`the inputs (N·P = ${N}·${P} f32)`, 4 * N * P],
      [`the residuals (R·P = ${R}·${P} f32)`, 4 * R * P],
      [`the weights (R·N = ${R}·${N} f32)`, 4 * R * N],
      [`the measurement ring (R·(N + 1) = ${R}·${N + 1} words per sample)`, statsBytes],
    ];
    for (const [what, bytes] of sizes) {
      for (const limit of ['maxStorageBufferBindingSize', 'maxBufferSize'] as const) {
        if (bytes > lim[limit]) {
          throw new GpuLimitError(
            limit,
            bytes,
            lim[limit],
            `${what} need ${bytes} bytes, more than this device's ${limit} (${lim[limit]}); use the CPU sampler`,
          );
        }
      }
    }

    const U = GPUBufferUsage;
    const make = (label: string, size: number, usage: number): GPUBuffer =>
      device.createBuffer({ label, size: Math.max(16, Math.ceil(size / 4) * 4), usage });
    this.buffers = {
      steps: make('linear steps', g.stride * g.maxDispatches, U.UNIFORM | U.COPY_DST),
      xt: make('linear inputs', 4 * N * P, U.STORAGE | U.COPY_DST),
      ys: make('linear labels', 4 * P, U.STORAGE | U.COPY_DST),
      params: make('linear params', 4 * (N + this.K + this.K * N), U.STORAGE | U.COPY_DST),
      slots: make('linear slots', 4 * R, U.STORAGE | U.COPY_DST),
      theta: make('linear weights', 4 * R * N, U.STORAGE | U.COPY_SRC | U.COPY_DST),
      resid: make('linear residuals', 4 * R * P, U.STORAGE | U.COPY_DST),
      stats: make('linear stats', statsBytes, U.STORAGE | U.COPY_SRC | U.COPY_DST),
      staging: make('linear staging', Math.max(statsBytes, 4 * R * N), U.MAP_READ | U.COPY_DST),
    };
    const xt = new Float32Array(N * P);
    for (let m = 0; m < P; m++) for (let i = 0; i < N; i++) xt[i * P + m] = pr.X[m * N + i];
    const q = device.queue;
    q.writeBuffer(this.buffers.xt, 0, xt);
    q.writeBuffer(this.buffers.ys, 0, Float32Array.from(pr.y));
    this.writeSlots();
    this.writeWeights(cpu.weights());
  }

  private async build(): Promise<void> {
    const device = this.device;
    const layout = stepBindGroupLayout(device, 'linear layout', STEP_WORDS * 4, [
      'read-only-storage',
      'read-only-storage',
      'read-only-storage',
      'read-only-storage',
      'storage',
      'storage',
      'storage',
    ]);
    const [keyLo, keyHi] = seedKey(this.seed);
    const code = assembleShader(['philox.wgsl', 'weights/reduce.wgsl', 'weights/linear.wgsl'], {
      LN_N: { u32: this.N },
      LN_P: { u32: this.P },
      LN_R: { u32: this.replicas },
      LN_K: { u32: this.K },
      LN_WG_X: { u32: this.g.wgX },
      LN_INV_SQRT_N: { f32: 1 / Math.sqrt(this.N) },
      LN_LAMBDA: { f32: this.problem.lambda },
      KEY_LO: { u32: keyLo },
      KEY_HI: { u32: keyHi },
      STREAM_WEIGHTS_UPDATE: { u32: STREAMS.WEIGHTS_UPDATE },
      MAX_WG: { u32: MAX_WEIGHTS_WG },
    });
    const pipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [layout] });
    this.pipeline = await createComputePipeline(device, 'linear sweeps', code, pipelineLayout, 'sweeps', {
      WG_SIZE: this.wgSize,
    });
    const b = this.buffers;
    const order = [b.xt, b.ys, b.params, b.slots, b.theta, b.resid, b.stats];
    this.bindGroup = stepBindGroup(device, 'linear bind group', layout, b.steps, STEP_WORDS * 4, order);
    await device.queue.onSubmittedWorkDone();
    this.ctx.check();
  }

  private writeSlots(): void {
    this.device.queue.writeBuffer(this.buffers.slots, 0, Uint32Array.from(this.slots));
  }

  /** A_ii, β per slot and δ per (slot, coordinate), computed in float64 and rounded to f32. */
  private writeParams(): void {
    const { N, K } = this;
    if (this.temperatures.length !== K) {
      throw new RangeError(`the sampler was built for ${K} temperatures, got ${this.temperatures.length}`);
    }
    const p = new Float32Array(N + K + K * N);
    p.set(this.Adiag, 0);
    for (let k = 0; k < K; k++) {
      const beta = 1 / this.temperatures[k];
      p[N + k] = beta;
      for (let i = 0; i < N; i++) p[N + K + k * N + i] = this.scale[k] / Math.sqrt(2 * beta * this.Adiag[i]);
    }
    if (!p.every(Number.isFinite)) throw new RangeError('temperatures and step scales must give finite β and δ');
    this.device.queue.writeBuffer(this.buffers.params, 0, p);
  }

  /** Upload θ (R×N, rounded to f32) and its residuals (computed in float64 from the f32 values). */
  private writeWeights(theta: Float64Array): void {
    const { N, P, replicas: R } = this;
    const { X, y } = this.problem;
    const t32 = Float32Array.from(theta);
    const s = 1 / Math.sqrt(N);
    const resid = new Float32Array(R * P);
    for (let r = 0; r < R; r++) {
      for (let m = 0; m < P; m++) {
        let h = 0;
        for (let i = 0; i < N; i++) h += t32[r * N + i] * X[m * N + i];
        resid[r * P + m] = h * s - y[m];
      }
    }
    this.device.queue.writeBuffer(this.buffers.theta, 0, t32);
    this.device.queue.writeBuffer(this.buffers.resid, 0, resid);
  }

  private mapRead(bytes: number): Promise<Uint32Array> {
    return readBuffer(this.ctx, this.buffers.staging, bytes);
  }

  /** Advance `sweeps` sweeps, measuring H (and θ if recordWeights) after every measureEvery-th (default 1; 0: never). */
  async run(options: LinearRunOptions): Promise<GpuLinearRunResult> {
    const { sweeps } = options;
    const measureEvery = options.measureEvery ?? 1;
    if (!Number.isInteger(sweeps) || sweeps < 0) throw new RangeError(`sweeps must be an integer >= 0, got ${sweeps}`);
    if (!Number.isInteger(measureEvery) || measureEvery < 0)
      throw new RangeError('measureEvery must be an integer >= 0');
    sweepWords(this.sweepsDone + sweeps, 0, 0); // throws past the 48-bit sweep counter
    const { N, replicas: R, entryWords } = this;
    const samples = measureEvery > 0 ? Math.floor(sweeps / measureEvery) : 0;
    const energy = new Float64Array(samples * R);
    const accepted = new Float64Array(R);
    const sampledWeights = options.recordWeights ? new Float64Array(samples * R * N) : undefined;
    if (sweeps > 0) this.writeParams();
    let done = 0;
    let samplesDone = 0;
    const g = this.g;
    while (done < sweeps) {
      const plan = planBatch(g, {
        done,
        total: sweeps,
        sweepsDone: this.sweepsDone,
        measureEvery,
        perDispatch: g.sweepsPerDispatch,
        perBatch: g.maxSweepsPerBatch,
        words: [0, 0],
      });
      const { sweeps: n, dispatches, samples: count } = plan;
      const bytes = 4 * (R + count * R * entryWords);
      const enc = this.device.createCommandEncoder({ label: 'linear batch' });
      enc.clearBuffer(this.buffers.stats, 0, 4 * R);
      this.encode(enc, plan.steps, dispatches);
      enc.copyBufferToBuffer(this.buffers.stats, 0, this.buffers.staging, 0, bytes);
      this.device.queue.submit([enc.finish()]);
      const words = await this.mapRead(bytes);
      const f32 = new Float32Array(words.buffer);
      for (let r = 0; r < R; r++) accepted[r] += words[r];
      for (let k = 0; k < count; k++) {
        for (let r = 0; r < R; r++) {
          const at = R + (k * R + r) * entryWords;
          const idx = (samplesDone + k) * R + r;
          energy[idx] = f32[at];
          if (sampledWeights) for (let i = 0; i < N; i++) sampledWeights[idx * N + i] = f32[at + 1 + i];
        }
      }
      done += n;
      samplesDone += count;
      this.sweepsDone += n;
    }
    const result: GpuLinearRunResult = { sweeps, samples, replicas: R, energy, accepted, proposed: sweeps * N };
    if (sampledWeights) result.sampledWeights = sampledWeights;
    return result;
  }

  private encode(enc: GPUCommandEncoder, steps: Uint32Array, dispatches: number): void {
    const g = this.g;
    this.device.queue.writeBuffer(this.buffers.steps, 0, steps);
    const pass = enc.beginComputePass();
    pass.setPipeline(this.pipeline);
    for (let k = 0; k < dispatches; k++) {
      pass.setBindGroup(0, this.bindGroup, [k * g.stride]);
      pass.dispatchWorkgroups(g.wgX, g.wgY, 1);
    }
    pass.end();
  }

  /** Recompute every replica's residuals from θ on the GPU (a dispatch of zero sweeps). */
  private recomputeResiduals(): void {
    // Step: zero sweeps, flags = 1 (recompute).
    const steps = Uint32Array.of(0, 0, 0, 0, 0, 0, 1, 0);
    const enc = this.device.createCommandEncoder({ label: 'linear residuals' });
    this.encode(enc, steps, 1);
    this.device.queue.submit([enc.finish()]);
  }

  /**
   * Thermalise while tuning the step scale per slot, as CpuLinearSampler.tune: `blocks` blocks of
   * `sweepsPerBlock` sweeps, after each scale ← scale · clamp(a/0.45, 1/2, 2), a the block's acceptance
   * of the slot (from the GPU's accepted-move counters). Returns the acceptance of each slot in the last block.
   */
  async tune(blocks = 20, sweepsPerBlock = 20): Promise<Float64Array> {
    const K = this.temperatures.length;
    const rate = new Float64Array(K);
    for (let b = 0; b < blocks; b++) {
      const res = await this.run({ sweeps: sweepsPerBlock, measureEvery: 0 });
      tuneScales(this.scale, this.slots, res, rate);
    }
    this.recomputeResiduals();
    return rate;
  }

  /** Current θ (f32 values), replica-major R×N. */
  async weights(): Promise<Float64Array> {
    const bytes = 4 * this.replicas * this.N;
    const enc = this.device.createCommandEncoder();
    enc.copyBufferToBuffer(this.buffers.theta, 0, this.buffers.staging, 0, bytes);
    this.device.queue.submit([enc.finish()]);
    return Float64Array.from(new Float32Array((await this.mapRead(bytes)).buffer));
  }

  /** Reassign temperature slots. */
  setSlots(slots: readonly number[]): void {
    this.slots = checkSlots(slots, this.replicas, this.temperatures.length);
    this.writeSlots();
  }

  destroy(): void {
    for (const b of Object.values(this.buffers)) b.destroy();
  }
}
