/**
 * What the two weight-replica kernels (shaders/weights/perceptron.wgsl, linear.wgsl) share on the
 * host: one workgroup per replica, a batch = several dispatches in one submission, each reading its
 * Step (8 words: first sweep lo/hi, sweep count, measure_every, measurement phase, first ring
 * sample, then two words of the kernel's own) from a dynamic-offset uniform, and a ring of
 * measurements read back once per batch. Here: the batching knobs and their validation, the sizes
 * derived from the device limits, and the plan of one batch's step entries.
 */

import { GpuLimitError } from '../../gpu/errors.ts';
import { sweepWords } from '../../rng/streams.ts';

/** Words of one Step entry. */
export const STEP_WORDS = 8;
/** Largest workgroup of the weight kernels (size of their reduction arrays). */
export const MAX_WEIGHTS_WG = 256;
const MAX_SWEEPS_PER_BATCH = 4096;
/** About this many example updates (sweeps·N·P) per dispatch, so no dispatch runs for long. */
const WORK_PER_DISPATCH = 2 ** 24;
const RING_BYTES = 8 << 20;

/**
 * Workgroup size for P examples: a power of two ≥ P, between 4 and 64 on a GPU; 4 on a software
 * adapter (SwiftShader runs 4 lanes at a time and pays for every barrier per lane group: the
 * perceptron at N = 101, P = 150 measured 149 sweeps/s with 4 threads against 21 with 64).
 */
export const weightsWorkgroupSize = (P: number, software = false): number =>
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
export function batchGeometry(
  device: GPUDevice,
  isSoftware: boolean,
  shape: { R: number; N: number; P: number; entryWords: number },
  o: WeightsBatchOptions,
  minDispatches = 0,
): BatchGeometry {
  const { R, N, P, entryWords } = shape;
  const lim = device.limits;
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
  const maxSweepsPerBatch = Math.max(
    1,
    Math.min(o.maxSweepsPerBatch ?? MAX_SWEEPS_PER_BATCH, Math.floor(0xffffffff / N)),
  );
  const ringSamples = Math.max(
    1,
    Math.min(maxSweepsPerBatch, o.ringSamples ?? Infinity, Math.floor(RING_BYTES / (4 * entryWords * R))),
  );
  return {
    wgSize: o.workgroupSize ?? weightsWorkgroupSize(P, isSoftware),
    wgX,
    wgY,
    sweepsPerDispatch,
    maxSweepsPerBatch,
    ringSamples,
    stride: Math.max(lim.minUniformBufferOffsetAlignment, STEP_WORDS * 4),
    maxDispatches: Math.max(Math.ceil(maxSweepsPerBatch / sweepsPerDispatch), minDispatches) + 1,
  };
}

/** One submission: its sweeps, the Step entries of its dispatches and the samples it measures. */
export interface BatchPlan {
  sweeps: number;
  dispatches: number;
  samples: number;
  /** Step entries, one per `stride` bytes (dispatches of them). */
  steps: Uint32Array;
}

/**
 * The next batch of a run: `done` of its `total` sweeps are behind, the sampler's absolute sweep
 * count is `sweepsDone`; at most `perBatch` sweeps, no more measurements than the ring holds,
 * `perDispatch` sweeps per dispatch. `words` are the kernel's own Step words 6 and 7.
 */
export function planBatch(
  g: BatchGeometry,
  o: {
    done: number;
    total: number;
    sweepsDone: number;
    measureEvery: number;
    perDispatch: number;
    perBatch: number;
    words: [number, number];
  },
): BatchPlan {
  const { done, measureEvery } = o;
  let n = Math.min(o.total - done, o.perBatch);
  if (measureEvery > 0) n = Math.min(n, (Math.floor(done / measureEvery) + g.ringSamples) * measureEvery - done);
  const steps = new Uint32Array((Math.ceil(n / o.perDispatch) * g.stride) / 4);
  let dispatches = 0;
  let samples = 0;
  for (let t = 0; t < n; t += o.perDispatch) {
    const m = Math.min(o.perDispatch, n - t);
    const [lo, w3] = sweepWords(o.sweepsDone + t, 0, 0);
    const phase = measureEvery > 0 ? (done + t) % measureEvery : 0;
    steps.set([lo, w3 & 0xffff, m, measureEvery, phase, samples, ...o.words], (dispatches * g.stride) / 4);
    if (measureEvery > 0) samples += Math.floor((phase + m) / measureEvery);
    dispatches++;
  }
  return { sweeps: n, dispatches, samples, steps };
}
