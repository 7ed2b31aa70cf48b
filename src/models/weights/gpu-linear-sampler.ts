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

import { readOnly, storage } from '../../gpu/bindings.ts';
import { checkStorageFits, readBack, usage } from '../../gpu/buffers.ts';
import type { GpuContext } from '../../gpu/device.ts';
import { workgroupMemory } from '../../gpu/workgroup.ts';
import { sweepWords } from '../../rng/streams.ts';
import { checkSlots } from '../../params/checks.ts';
import { checkSweepOptions } from '../run-options.ts';
import type { OwnBuffers, WeightsBatchOptions } from './gpu-weights.ts';
import { MAX_WEIGHTS_WG, WeightsKernel, checkBatchOptions, weightsBindings, weightsStep } from './gpu-weights.ts';
import {
  INITIAL_SCALE,
  initialLinearWeights,
  linearDiagonal,
  resolveLinearConfig,
  tuneScales,
  type LinearProblem,
  type LinearRunResult,
  type LinearSamplerConfig,
  type ResolvedLinearConfig,
} from './linear.ts';

export type GpuLinearOptions = WeightsBatchOptions;

export interface LinearRunOptions {
  sweeps: number;
  /** Measure after every measureEvery-th sweep (default 1; 0: never). */
  measureEvery?: number;
  /** Also return θ at every measurement (sampledWeights). */
  recordWeights?: boolean;
  /** Time the GPU passes with timestamp queries where the device has them (GPU sampler only). */
  timing?: boolean;
}

export interface GpuLinearRunResult extends LinearRunResult {
  /** θ at each measurement when recordWeights, [(k·R + r)·N + i]. */
  sampledWeights?: Float64Array;
  /** GPU time of the run's passes (when asked for and available). */
  gpuSeconds?: number;
}

/** flags bit 0: recompute the residuals from θ at the start of the dispatch. */
const RECOMPUTE_RESIDUALS = 1;
const LINEAR_STEP = weightsStep(['flags']);

/** Ring entry per (sample, replica), 1 + N words: H (f32 bits), theta_0 ... theta_{N-1} (f32 bits). */
const LINEAR_BINDINGS = weightsBindings('linear', LINEAR_STEP, 'f32', {
  /** [0, N): A_ii; [N, N + K): beta of slot k; [N + K + k * N + i]: delta of slot k, coordinate i. */
  params: readOnly('array<f32>'),
  /** Temperature slot of replica r. */
  slots: readOnly('array<u32>'),
  theta: storage('array<f32>'),
  resid: storage('array<f32>'),
});

type LinearBuffer = OwnBuffers<typeof LINEAR_BINDINGS>;

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

  readonly ctx: GpuContext;
  private readonly device: GPUDevice;
  private readonly Adiag: Float64Array;
  private readonly buffers: Record<LinearBuffer, GPUBuffer>;
  private readonly kernel: WeightsKernel<LinearBuffer, 'flags'>;
  /** Temperatures (the params buffer is sized for them). */
  private readonly K: number;

  /** Build a sampler (validates like the CPU sampler, then checks device limits and compiles the kernel). */
  static async create(
    ctx: GpuContext,
    config: LinearSamplerConfig,
    options: GpuLinearOptions = {},
  ): Promise<GpuLinearSampler> {
    checkBatchOptions(options);
    const sampler = new GpuLinearSampler(ctx, resolveLinearConfig(config), options);
    await sampler.build();
    return sampler;
  }

  private constructor(ctx: GpuContext, c: ResolvedLinearConfig, options: GpuLinearOptions) {
    this.ctx = ctx;
    const device = ctx.device;
    this.device = device;
    const pr = c.problem;
    const { N, P } = pr;
    const R = c.replicas;
    this.N = N;
    this.P = P;
    this.replicas = R;
    this.problem = pr;
    this.seed = c.seed;
    this.temperatures = c.temperatures;
    this.slots = c.slots;
    this.K = this.temperatures.length;
    this.scale = new Float64Array(this.K).fill(INITIAL_SCALE);
    this.Adiag = checkProblem(pr);
    const entryWords = 1 + N;
    const maxN = Math.floor((device.limits.maxComputeWorkgroupStorageSize / 4 - 2 * MAX_WEIGHTS_WG) / 3);
    // Workgroup memory: θ, the proposals z, the accept words, the two halves of the reduction array.
    const memory = workgroupMemory([
      ['th', 'f32', N],
      ['zsh', 'f32', N],
      ['ush', 'u32', N],
      ['red', 'Red', 2 * MAX_WEIGHTS_WG],
    ]);
    const table = LINEAR_BINDINGS;
    const spec = {
      label: 'linear',
      prefix: 'LN',
      table,
      step: LINEAR_STEP,
      memory,
      shape: { R, N, P, entryWords },
      seed: c.seed,
    };
    const kernel = new WeightsKernel(ctx, { ...spec, memoryHint: `, which fits N <= ${maxN}` }, options);
    this.kernel = kernel;
    this.wgSize = kernel.g.wgSize;
    this.checkSizes(kernel.g.ringSamples);
    this.buffers = {
      xt: kernel.buffer('inputs', 4 * N * P, usage.input()),
      ys: kernel.buffer('labels', 4 * P, usage.input()),
      params: kernel.buffer('params', 4 * (N + this.K + this.K * N), usage.input()),
      slots: kernel.buffer('slots', 4 * R, usage.input()),
      theta: kernel.buffer('weights', 4 * R * N, usage.state()),
      resid: kernel.buffer('residuals', 4 * R * P, usage.input()),
    };
    const xt = new Float32Array(N * P);
    for (let m = 0; m < P; m++) for (let i = 0; i < N; i++) xt[i * P + m] = pr.X[m * N + i];
    device.queue.writeBuffer(this.buffers.xt, 0, xt);
    device.queue.writeBuffer(this.buffers.ys, 0, Float32Array.from(pr.y));
    this.writeSlots();
    this.writeWeights(initialLinearWeights(c));
  }

  /** Throws GpuLimitError when a buffer exceeds the device's storage limits. */
  private checkSizes(ringSamples: number): void {
    const { N, P, replicas: R } = this;
    const sizes: [string, number][] = [
      [`the inputs (N·P = ${N}·${P} f32)`, 4 * N * P],
      [`the residuals (R·P = ${R}·${P} f32)`, 4 * R * P],
      [`the weights (R·N = ${R}·${N} f32)`, 4 * R * N],
      [`the measurement ring (R·(N + 1) = ${R}·${N + 1} words per sample)`, 4 * (R + ringSamples * R * (N + 1))],
    ];
    for (const [what, bytes] of sizes) {
      checkStorageFits(
        this.device,
        bytes,
        (limit, available) =>
          `${what} need ${bytes} bytes, more than this device's ${limit} (${available}); use the CPU sampler`,
      );
    }
  }

  private async build(): Promise<void> {
    const constants = {
      LN_K: { u32: this.K },
      LN_INV_SQRT_N: { f32: 1 / Math.sqrt(this.N) },
      LN_LAMBDA: { f32: this.problem.lambda },
    };
    const files = ['philox.wgsl', 'weights/reduce.wgsl', 'weights/linear.wgsl'];
    await this.kernel.build(files, constants, ['sweeps'], this.buffers);
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

  /** Advance `sweeps` sweeps, measuring H (and θ if recordWeights) after every measureEvery-th (default 1; 0: never). */
  async run(options: LinearRunOptions): Promise<GpuLinearRunResult> {
    const { sweeps, measureEvery } = checkSweepOptions(options);
    sweepWords(this.sweepsDone + sweeps, 0, 0); // throws past the 48-bit sweep counter
    const { N, replicas: R } = this;
    const samples = measureEvery > 0 ? Math.floor(sweeps / measureEvery) : 0;
    const energy = new Float64Array(samples * R);
    const sampledWeights = options.recordWeights ? new Float64Array(samples * R * N) : undefined;
    if (sweeps > 0) this.writeParams();
    const g = this.kernel.g;
    const { counters, seconds } = await this.kernel.run(
      {
        sweeps,
        measureEvery,
        firstSweep: this.sweepsDone,
        perDispatch: g.sweepsPerDispatch,
        perBatch: g.maxSweepsPerBatch,
        own: { flags: 0 },
        timed: options.timing,
      },
      ({ words, at, index }) => {
        const f32 = new Float32Array(words.buffer, words.byteOffset, words.length);
        energy[index] = f32[at];
        if (sampledWeights) for (let i = 0; i < N; i++) sampledWeights[index * N + i] = f32[at + 1 + i];
      },
    );
    this.sweepsDone += sweeps;
    const result: GpuLinearRunResult = {
      sweeps,
      samples,
      replicas: R,
      energy,
      accepted: counters,
      proposed: sweeps * N,
    };
    if (sampledWeights) result.sampledWeights = sampledWeights;
    if (seconds !== undefined) result.gpuSeconds = seconds;
    return result;
  }

  /** Recompute every replica's residuals from θ on the GPU (a dispatch of zero sweeps). */
  private recomputeResiduals(): void {
    const step = LINEAR_STEP.pack({
      sweep_lo: 0,
      sweep_hi: 0,
      count: 0,
      measure_every: 0,
      phase: 0,
      sample_base: 0,
      flags: RECOMPUTE_RESIDUALS,
    });
    const enc = this.device.createCommandEncoder({ label: 'linear residuals' });
    this.kernel.encode(enc, step, 1);
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
    const words = await readBack(this.ctx, this.buffers.theta, 4 * this.replicas * this.N);
    return Float64Array.from(new Float32Array(words.buffer));
  }

  /** Reassign temperature slots. */
  setSlots(slots: readonly number[]): void {
    this.slots = checkSlots(slots, this.replicas, this.temperatures.length);
    this.writeSlots();
  }

  destroy(): void {
    for (const b of Object.values<GPUBuffer>(this.buffers)) b.destroy();
    this.kernel.destroy();
  }
}

/** A_ii of the problem after checking its arrays (the GPU needs finite inputs and a proper measure). */
function checkProblem(pr: LinearProblem): Float64Array {
  const { N, P } = pr;
  if (pr.X.length !== N * P || pr.y.length !== P)
    throw new RangeError(`problem arrays must have X: N·P = ${N * P} and y: P = ${P} entries`);
  for (const [name, a] of [
    ['X', pr.X],
    ['y', pr.y],
  ] as const) {
    if (!a.every(Number.isFinite)) throw new RangeError(`problem ${name} has a non-finite entry`);
  }
  const A = linearDiagonal(pr);
  const bad = A.findIndex((a) => !(a > 0));
  if (bad >= 0) {
    throw new RangeError(
      `A_${bad}${bad} = Σ_μ x_μi²/N + λ must be > 0 (coordinate ${bad} has no data and λ = 0: the Gibbs measure is improper)`,
    );
  }
  return A;
}
