/**
 * The sampler scaffold shared by the Ising and weight samplers: batch planning
 * (sweeps per submission bounded by the u32 counters and the sample ring), the exchange hook and
 * the batch loop that reads batch i back while the device runs batch i + 1.
 */

/** Most bytes of samples held in a GPU ring per batch. */
const RING_BYTES = 8 << 20;

/** Samples a run of `sweeps` takes. */
export const sampleCount = (sweeps: number, measureEvery: number): number =>
  measureEvery > 0 ? Math.floor(sweeps / measureEvery) : 0;

/**
 * Most sweeps per batch: at most `cap`, and few enough that per-replica u32 counters growing by up
 * to `perSweep` a sweep (accepted flips: one per site) stay below 2^32.
 */
export const counterSafeSweeps = (cap: number, perSweep: number): number =>
  Math.max(1, Math.min(cap, Math.floor(0xffffffff / perSweep)));

/** Samples the ring holds per batch: RING_BYTES of entries of `entryWords` words per replica. */
export const ringCapacity = (maxSweeps: number, entryWords: number, R: number, requested = Infinity): number =>
  Math.max(1, Math.min(maxSweeps, requested, Math.floor(RING_BYTES / (4 * entryWords * R))));

/**
 * Sweeps of the batch after `done` of `total`: at most `perBatch`, and no more measurements than
 * the ring's `ringSamples`.
 */
export function batchSweeps(
  done: number,
  total: number,
  perBatch: number,
  measureEvery: number,
  ringSamples: number,
): number {
  const n = Math.min(total - done, perBatch);
  return measureEvery > 0 ? Math.min(n, (Math.floor(done / measureEvery) + ringSamples) * measureEvery - done) : n;
}

/**
 * Replica exchange inside a batch (the Ising sampler's GpuExchange): zeroed before the pass,
 * dispatched after each measurement, its statistics copied to its own staging after the pass.
 */
export interface ExchangeHook {
  clear(enc: GPUCommandEncoder, samples: number): void;
  encode(pass: GPUComputePassEncoder): void;
}

/** A submitted batch: where it starts, its size, and its read-back data to come. */
export interface Batch<T> {
  /** Sweeps of the run done before it, and the run's first sample it holds. */
  done: number;
  firstSample: number;
  sweeps: number;
  samples: number;
  data: Promise<T>;
}

/**
 * Run `total` sweeps in batches. `submit(done, firstSample, index)` plans, encodes and submits one
 * batch (index alternates the staging buffers); `consume` takes its data in order, one batch behind
 * the submissions so the device never waits for the host.
 */
export async function runBatches<T>(o: {
  total: number;
  submit(done: number, firstSample: number, index: number): Batch<T>;
  consume(batch: Batch<T>, data: T): void | Promise<void>;
  onProgress?: (done: number, total: number) => void;
}): Promise<void> {
  let pending: Batch<T> | undefined;
  let done = 0;
  let samples = 0;
  for (let index = 0; done < o.total; index++) {
    const batch = o.submit(done, samples, index);
    // Awaited below; if an earlier batch throws first (a lost device) it must not surface as an
    // unhandled rejection.
    batch.data.catch(() => {});
    if (pending) await o.consume(pending, await pending.data);
    pending = batch;
    done += batch.sweeps;
    samples += batch.samples;
    o.onProgress?.(done, o.total);
  }
  if (pending) await o.consume(pending, await pending.data);
}

/** Threads per workgroup of the exchange kernels (one thread per chain); a generated WGSL constant. */
export const EXCHANGE_WG = 64;
/** Workgroups of an exchange dispatch over `chains` chains. */
export const exchangeGroups = (chains: number): number => Math.ceil(chains / EXCHANGE_WG);
