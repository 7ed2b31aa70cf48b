/**
 * The sample ring of a sampler: one storage buffer holding per-replica u32 counters (accepted
 * moves of the batch) followed by `ringSamples` entries of `entryWords` words per replica, and two
 * staging buffers so the host reads batch i while the device fills batch i + 1. A pass timer's
 * timestamps travel in the same staging buffers, after the ring.
 */

import { createBuffer, readBuffer, usage } from './buffers.ts';
import type { GpuContext } from './device.ts';
import { PassTimer, TIMESTAMP_BYTES } from './timer.ts';

export class SampleRing {
  /** Bound to the kernels (counters, then entries). */
  readonly stats: GPUBuffer;
  private readonly staging: [GPUBuffer, GPUBuffer];
  /** Byte offset of the timestamps in a staging buffer. */
  private readonly timeOffset: number;

  constructor(
    private readonly ctx: GpuContext,
    label: string,
    readonly replicas: number,
    readonly ringSamples: number,
    readonly entryWords: number,
  ) {
    const bytes = this.bytes(ringSamples);
    this.timeOffset = Math.ceil(bytes / 8) * 8;
    this.stats = createBuffer(ctx.device, `${label} stats`, bytes, usage.state());
    const size = this.timeOffset + TIMESTAMP_BYTES;
    this.staging = [0, 1].map((i) => createBuffer(ctx.device, `${label} staging ${i}`, size, usage.staging())) as [
      GPUBuffer,
      GPUBuffer,
    ];
  }

  /** Bytes of the counters and `samples` entries. */
  bytes(samples: number): number {
    return 4 * (this.replicas + samples * this.replicas * this.entryWords);
  }

  /** Word of entry (sample k, replica r) in what read() returns. */
  at(k: number, r: number): number {
    return this.replicas + (k * this.replicas + r) * this.entryWords;
  }

  /** Zero the counters (and the first `samples` entries, for kernels that accumulate into them). */
  clear(enc: GPUCommandEncoder, samples = 0): void {
    enc.clearBuffer(this.stats, 0, this.bytes(samples));
  }

  /** After the pass: copy counters and `samples` entries (and the timer's stamps) to staging `index % 2`. */
  copyOut(enc: GPUCommandEncoder, index: number, samples: number, timer?: PassTimer): void {
    const staging = this.staging[index % 2];
    enc.copyBufferToBuffer(this.stats, 0, staging, 0, this.bytes(samples));
    timer?.resolve(enc, staging, this.timeOffset);
  }

  /** Read what copyOut put in staging `index % 2` (submit first). */
  async read(index: number, samples: number, timed = false): Promise<{ words: Uint32Array; seconds?: number }> {
    const bytes = timed ? this.timeOffset + TIMESTAMP_BYTES : this.bytes(samples);
    const words = await readBuffer(this.ctx, this.staging[index % 2], bytes);
    return { words, seconds: timed ? PassTimer.seconds(words, this.timeOffset) : undefined };
  }

  destroy(): void {
    for (const b of [this.stats, ...this.staging]) b.destroy();
  }
}
