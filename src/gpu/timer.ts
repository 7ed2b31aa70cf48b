/**
 * The one pass timer: timestamp queries around a compute pass when the device has them, the wall
 * clock to completion otherwise. The samplers append the resolved timestamps to a staging buffer
 * they read anyway (no extra map); the microbenchmarks time single passes with measurePass.
 */

import { createBuffer, readBuffer } from './buffers.ts';
import type { GpuContext } from './device.ts';

/** Bytes of two resolved timestamps (begin and end of a pass). */
export const TIMESTAMP_BYTES = 16;

export class PassTimer {
  private readonly querySet?: GPUQuerySet;
  private readonly resolveBuffer?: GPUBuffer;

  constructor(ctx: GpuContext, label: string) {
    if (!ctx.hasTimestamps) return;
    this.querySet = ctx.device.createQuerySet({ label: `${label} pass time`, type: 'timestamp', count: 2 });
    this.resolveBuffer = createBuffer(
      ctx.device,
      `${label} timestamps`,
      TIMESTAMP_BYTES,
      GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
    );
  }

  /** True when passes are timed on the device (else callers use the wall clock). */
  get onDevice(): boolean {
    return this.querySet !== undefined;
  }

  /** The descriptor of a timed compute pass (untimed without timestamp queries). */
  pass(label?: string): GPUComputePassDescriptor {
    const querySet = this.querySet;
    return querySet
      ? { label, timestampWrites: { querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } }
      : { label };
  }

  /** After the pass: resolve its timestamps into `staging` at byte `offset` (8-aligned). */
  resolve(enc: GPUCommandEncoder, staging: GPUBuffer, offset: number): void {
    if (!this.querySet || !this.resolveBuffer) return;
    enc.resolveQuerySet(this.querySet, 0, 2, this.resolveBuffer, 0);
    enc.copyBufferToBuffer(this.resolveBuffer, 0, staging, offset, TIMESTAMP_BYTES);
  }

  /**
   * Seconds between the timestamps read back at byte `offset` of `words`; undefined when the
   * driver reset or reordered them (negative or absurd deltas are dropped).
   */
  static seconds(words: Uint32Array, offset: number): number | undefined {
    const t = offset / 4;
    const ns = (words[t + 3] - words[t + 1]) * 2 ** 32 + (words[t + 2] - words[t]);
    return ns > 0 && ns < 1e12 ? ns * 1e-9 : undefined;
  }

  destroy(): void {
    this.querySet?.destroy();
    this.resolveBuffer?.destroy();
  }
}

/** Seconds of one pass and how they were measured. */
export interface PassTime {
  seconds: number;
  timing: 'timestamp' | 'wall';
}

/**
 * Time one compute pass of `encode`, submitted alone: from the timer's timestamps when it has
 * them and they are sane, else wall time to completion.
 */
export async function measurePass(
  ctx: GpuContext,
  timer: PassTimer,
  encode: (pass: GPUComputePassEncoder, enc: GPUCommandEncoder) => void,
): Promise<PassTime> {
  const { device } = ctx;
  const staging = timer.onDevice
    ? createBuffer(device, 'pass time staging', TIMESTAMP_BYTES, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST)
    : undefined;
  try {
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass(timer.pass());
    encode(pass, enc);
    pass.end();
    if (staging) timer.resolve(enc, staging, 0);
    const t0 = performance.now();
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
    const wall = (performance.now() - t0) / 1000;
    const seconds = staging ? PassTimer.seconds(await readBuffer(ctx, staging, TIMESTAMP_BYTES), 0) : undefined;
    return seconds === undefined ? { seconds: wall, timing: 'wall' } : { seconds, timing: 'timestamp' };
  } finally {
    staging?.destroy();
  }
}
