/**
 * The one way GPU buffers are made, checked against the storage limits and read back. Every
 * sampler, renderer and microbenchmark goes through these, so a label, a size rule or a lost-device
 * message is fixed in one place.
 */

import type { GpuContext } from './device.ts';
import { GpuLimitError } from './errors.ts';

/** A labelled buffer of at least `bytes` (rounded up to whole words, 16 bytes at least). */
export function createBuffer(device: GPUDevice, label: string, bytes: number, usage: GPUBufferUsageFlags): GPUBuffer {
  return device.createBuffer({ label, size: Math.max(16, Math.ceil(bytes / 4) * 4), usage });
}

/** Usages of the buffers the samplers make. */
export const usage = {
  uniform: (): number => GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
  /** Written by the host, read by kernels. */
  input: (): number => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
  /** Written by kernels and copied out (or in). */
  state: (): number => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
  staging: (): number => GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
};

/** SwiftShader advertises 1 GiB buffers but fails to allocate one of exactly 1 GiB; 1023 MiB works. */
export const SWIFTSHADER_MAX_BUFFER = 1023 * 2 ** 20;

/** Per-buffer caps below the advertised limits, for drivers that allocate less than they advertise. */
const allocationCaps = new WeakMap<GPUDevice, number>();

/** Buffers on `device` hold at most `bytes` (the limit checks use it in place of larger advertised limits). */
export function capAllocations(device: GPUDevice, bytes: number): void {
  allocationCaps.set(device, bytes);
}

/** A buffer-size limit of the device, lowered to what its driver really allocates. */
export function bufferLimit(device: GPUDevice, limit: 'maxStorageBufferBindingSize' | 'maxBufferSize'): number {
  return Math.min(device.limits[limit], allocationCaps.get(device) ?? Number.POSITIVE_INFINITY);
}

/**
 * Throws GpuLimitError when one buffer of `bytes` exceeds maxStorageBufferBindingSize or
 * maxBufferSize (or what the driver really allocates, when less); `message(limit, available)`
 * says what needs the bytes and what would fit.
 */
export function checkStorageFits(
  device: GPUDevice,
  bytes: number,
  message: (limit: string, available: number) => string,
): void {
  for (const limit of ['maxStorageBufferBindingSize', 'maxBufferSize'] as const) {
    const available = bufferLimit(device, limit);
    const name = available < device.limits[limit] ? `${limit} (as allocated by this driver)` : limit;
    if (bytes > available) throw new GpuLimitError(name, bytes, available, message(name, available));
  }
}

/** The GpuLimitError of buffers the device could not allocate (an out-of-memory error). */
export function outOfMemory(error: GPUError, what: string): GpuLimitError {
  return new GpuLimitError(
    'device memory',
    Number.NaN,
    Number.NaN,
    `the GPU ran out of memory allocating ${what} (${error.message.split('\n')[0]}); ` +
      'use a smaller lattice, fewer replicas or a kernel with fewer bits per spin',
  );
}

/**
 * Build something that creates buffers (a sampler) inside an out-of-memory error scope: a buffer
 * the device cannot allocate becomes a GpuLimitError (exit 2), as the limit checks do up front,
 * after `destroy` has released what was made.
 */
export async function allocating<T>(
  device: GPUDevice,
  what: string,
  make: () => T,
  destroy: (made: T) => void,
): Promise<T> {
  device.pushErrorScope('out-of-memory');
  let made: T;
  try {
    made = make();
  } catch (e) {
    await device.popErrorScope();
    throw e;
  }
  const error = await device.popErrorScope();
  if (error) {
    destroy(made);
    throw outOfMemory(error, what);
  }
  return made;
}

/**
 * Map `bytes` of a MAP_READ buffer and copy them out, turning a lost device into a typed error:
 * a failed map is usually a lost device, so device.lost gets a moment to say so.
 */
export async function readBuffer(ctx: GpuContext, buffer: GPUBuffer, bytes: number): Promise<Uint32Array> {
  try {
    await buffer.mapAsync(GPUMapMode.READ, 0, bytes);
  } catch (e) {
    await Promise.race([ctx.lost, new Promise((resolve) => setTimeout(resolve, 200))]);
    ctx.check();
    throw e;
  }
  const copy = new Uint32Array(buffer.getMappedRange(0, bytes).slice(0));
  buffer.unmap();
  ctx.check();
  return copy;
}

/**
 * Copy `bytes` of `source` (from `offset`) to a staging buffer and read them: `encode` may add
 * work before the copy (in the same submission). A temporary staging buffer is made and destroyed.
 */
export async function readBack(
  ctx: GpuContext,
  source: GPUBuffer,
  bytes: number,
  offset = 0,
  encode?: (enc: GPUCommandEncoder) => void,
): Promise<Uint32Array> {
  const staging = createBuffer(ctx.device, `${source.label} readback`, bytes, usage.staging());
  try {
    const enc = ctx.device.createCommandEncoder({ label: `${source.label} readback` });
    encode?.(enc);
    enc.copyBufferToBuffer(source, offset, staging, 0, Math.ceil(bytes / 4) * 4);
    ctx.device.queue.submit([enc.finish()]);
    return await readBuffer(ctx, staging, Math.ceil(bytes / 4) * 4);
  } finally {
    staging.destroy();
  }
}
