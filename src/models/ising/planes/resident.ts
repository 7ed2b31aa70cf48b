/**
 * Host side of the resident kernel (shaders/ising/resident.wgsl): how a batch of sweeps is cut into
 * dispatches, each running whole sweeps of every replica in workgroup memory, and the workgroup
 * memory it needs. With tempering every sweep is its own dispatch, followed by the exchange
 * dispatch (exchanges may happen after any sweep, and the permutation is recorded per sample);
 * without, a dispatch runs up to RESIDENT_MAX_SWEEPS sweeps and measures inside.
 */

import type { ExchangeHook } from '../../../gpu/batches.ts';
import { GpuLimitError } from '../../../gpu/errors.ts';
import { exchangeParity, type TemperingPlan } from '../../../tempering/exchange.ts';
import { N_CLASSES } from '../layout.ts';

/** Most sweeps per dispatch: keeps one dispatch well below a GPU watchdog's limit. */
export const RESIDENT_MAX_SWEEPS = 128;
/** measure_first of a dispatch that measures nothing. */
const NONE = 0xffffffff;

/** One dispatch: the Step fields it needs. */
export interface ResidentDispatch {
  sweep: number;
  sweeps: number;
  sample: number;
  measure_first: number;
  measure_every: number;
  exchange: number;
}

/**
 * The dispatches of n sweeps starting at absolute sweep `sweep`, `done` sweeps into a run that
 * measures every `measureEvery` sweeps (0: never); the run's measured sweeps go to ring slots 0, 1, ….
 */
export function residentDispatches(
  n: number,
  done: number,
  sweep: number,
  measureEvery: number,
  plan?: TemperingPlan,
): { dispatches: ResidentDispatch[]; samples: number } {
  const dispatches: ResidentDispatch[] = [];
  let samples = 0;
  if (plan) {
    for (let t = 0; t < n; t++) {
      const exchange = exchangeParity(sweep + t, plan.every) + 1;
      dispatches.push({ sweep: sweep + t, sweeps: 1, sample: samples++, measure_first: 0, measure_every: 1, exchange });
    }
    return { dispatches, samples };
  }
  const m = measureEvery;
  for (let t = 0; t < n; t += RESIDENT_MAX_SWEEPS) {
    const len = Math.min(RESIDENT_MAX_SWEEPS, n - t);
    // Measured: sweeps u of the batch with (done + u + 1) % m = 0.
    const u0 = m > 0 ? t + ((m - ((done + t + 1) % m)) % m) : Number.POSITIVE_INFINITY;
    const count = u0 < t + len ? Math.floor((t + len - 1 - u0) / m) + 1 : 0;
    const first = count > 0 ? u0 - t : NONE;
    dispatches.push({
      sweep: sweep + t,
      sweeps: len,
      sample: samples,
      measure_first: first,
      measure_every: Math.max(1, m),
      exchange: 0,
    });
    samples += count;
  }
  return { dispatches, samples };
}

/** Encode the dispatches (their Steps at dynamic offsets (i + 1)·stride), each followed by the exchange. */
export function encodeResident(
  pass: GPUComputePassEncoder,
  sweep: GPUComputePipeline,
  bindGroup: GPUBindGroup,
  stride: number,
  replicas: number,
  count: number,
  exchange?: ExchangeHook,
): void {
  for (let i = 0; i < count; i++) {
    pass.setPipeline(sweep);
    pass.setBindGroup(0, bindGroup, [(i + 1) * stride]);
    pass.dispatchWorkgroups(1, replicas, 1);
    exchange?.encode(pass);
  }
}

/** Words of one lattice (both colours) in workgroup memory: the pipeline constant RES_WORDS. */
export const residentWords = (Lx: number, Ly: number): number => (Lx * Ly) / 32;

/** Workgroup memory of the resident kernel: the lattice, the staged thresholds, the three reduction atomics of lattice.wgsl. */
const residentBytes = (Lx: number, Ly: number): number => 4 * (residentWords(Lx, Ly) + N_CLASSES + 3);

/** Whether an Lx×Ly lattice fits one workgroup's memory on this device. */
export const residentFits = (device: GPUDevice, Lx: number, Ly: number): boolean =>
  residentBytes(Lx, Ly) <= device.limits.maxComputeWorkgroupStorageSize;

/** Throws GpuLimitError when an Lx×Ly lattice does not fit one workgroup's memory. */
export function checkResidentFits(device: GPUDevice, Lx: number, Ly: number): void {
  const bytes = residentBytes(Lx, Ly);
  const available = device.limits.maxComputeWorkgroupStorageSize;
  if (bytes > available) {
    const L = Math.floor(Math.sqrt(8 * (available - 4 * (N_CLASSES + 3))));
    throw new GpuLimitError(
      'maxComputeWorkgroupStorageSize',
      bytes,
      available,
      `kernel resident keeps a ${Lx}x${Ly} lattice in workgroup memory: ${bytes} bytes, more than this device's ` +
        `maxComputeWorkgroupStorageSize (${available}); the largest square lattice that fits is about L = ${L}; use kernel msc-planes`,
    );
  }
}
