/**
 * Ceilings that the kernel benchmark is read against, measured on the same device in the same
 * run: copy bandwidth (bytes read plus bytes written per second, by a compute shader and by
 * copyBufferToBuffer) and Philox4x32-10 calls per ns.
 */

import { assembleShader } from './shaders.ts';
import type { GpuContext } from './device.ts';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export interface Measured {
  /** Median seconds of one repetition. */
  seconds: number;
  timing: 'timestamp' | 'wall';
}

/**
 * Median time of `encode` (one compute pass), after a warm-up: from timestamp queries around
 * the pass where the device has them, else wall time to completion.
 */
export async function timeComputePass(
  ctx: GpuContext,
  encode: (pass: GPUComputePassEncoder, enc: GPUCommandEncoder) => void,
  repeats = 3,
): Promise<Measured> {
  const { device } = ctx;
  const querySet = ctx.hasTimestamps ? device.createQuerySet({ type: 'timestamp', count: 2 }) : undefined;
  const resolve =
    querySet && device.createBuffer({ size: 16, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
  const read = querySet && device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  let usedWall = !querySet;
  try {
    const once = async (): Promise<number> => {
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass(
        querySet ? { timestampWrites: { querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } } : {},
      );
      encode(pass, enc);
      pass.end();
      if (querySet && resolve && read) {
        enc.resolveQuerySet(querySet, 0, 2, resolve, 0);
        enc.copyBufferToBuffer(resolve, 0, read, 0, 16);
      }
      const t0 = performance.now();
      device.queue.submit([enc.finish()]);
      await device.queue.onSubmittedWorkDone();
      const wall = (performance.now() - t0) / 1000;
      if (read) {
        await read.mapAsync(GPUMapMode.READ);
        const [b, e] = new BigUint64Array(read.getMappedRange().slice(0));
        read.unmap();
        const ns = Number(e - b);
        if (ns > 0) return ns * 1e-9;
      }
      usedWall = true; // a missing or absurd timestamp: fall back to the wall clock
      return wall;
    };
    await once();
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) times.push(await once());
    ctx.check();
    return { seconds: median(times), timing: usedWall ? 'wall' : 'timestamp' };
  } finally {
    resolve?.destroy();
    read?.destroy();
    querySet?.destroy();
  }
}

function computePipeline(device: GPUDevice, code: string): GPUComputePipeline {
  return device.createComputePipeline({
    layout: 'auto',
    compute: { module: device.createShaderModule({ code }), entryPoint: 'main' },
  });
}

/** Copy bandwidth in GB/s (read + write) of a vec4 copy shader over `bytes`, `copies` times per pass. */
export async function shaderCopyBandwidth(
  ctx: GpuContext,
  bytes: number,
  copies = 8,
): Promise<{ gbPerS: number; timing: Measured['timing'] }> {
  const { device } = ctx;
  const size = Math.floor(Math.min(bytes, device.limits.maxStorageBufferBindingSize) / 16) * 16;
  const src = device.createBuffer({ size, usage: GPUBufferUsage.STORAGE });
  const dst = device.createBuffer({ size, usage: GPUBufferUsage.STORAGE });
  try {
    const pipeline = computePipeline(device, assembleShader(['bench/copy.wgsl']));
    const bindGroup = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: src } },
        { binding: 1, resource: { buffer: dst } },
      ],
    });
    const groups = Math.min(Math.ceil(size / 16 / 256), device.limits.maxComputeWorkgroupsPerDimension);
    const t = await timeComputePass(ctx, (pass) => {
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      for (let i = 0; i < copies; i++) pass.dispatchWorkgroups(groups);
    });
    return { gbPerS: (2 * size * copies) / t.seconds / 1e9, timing: t.timing };
  } finally {
    src.destroy();
    dst.destroy();
  }
}

/** Copy bandwidth in GB/s (read + write) of copyBufferToBuffer, wall-timed over many copies. */
export async function bufferCopyBandwidth(ctx: GpuContext, bytes: number, copies = 8, repeats = 3): Promise<number> {
  const { device } = ctx;
  const size = Math.floor(Math.min(bytes, device.limits.maxBufferSize) / 16) * 16;
  const src = device.createBuffer({ size, usage: GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
  const dst = device.createBuffer({ size, usage: GPUBufferUsage.COPY_DST });
  try {
    const once = async (): Promise<number> => {
      const enc = device.createCommandEncoder();
      for (let i = 0; i < copies; i++) enc.copyBufferToBuffer(src, 0, dst, 0, size);
      const t0 = performance.now();
      device.queue.submit([enc.finish()]);
      await device.queue.onSubmittedWorkDone();
      return (performance.now() - t0) / 1000;
    };
    await once(); // warm-up (first touch of the pages)
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) times.push(await once());
    ctx.check();
    return (2 * size * copies) / median(times) / 1e9;
  } finally {
    src.destroy();
    dst.destroy();
  }
}

/** Philox4x32-10 calls per ns: `threads` threads × `calls` chained calls each. */
export async function philoxRate(
  ctx: GpuContext,
  threads: number,
  calls = 64,
): Promise<{ perNs: number; timing: Measured['timing'] }> {
  const { device } = ctx;
  const pipeline = computePipeline(
    device,
    assembleShader(['philox.wgsl', 'bench/philox_rate.wgsl'], { CALLS: { u32: calls } }),
  );
  const wgs = Math.ceil(threads / 256);
  const wx = Math.min(wgs, device.limits.maxComputeWorkgroupsPerDimension);
  const wy = Math.ceil(wgs / wx);
  const sink = device.createBuffer({ size: wx * wy * 256 * 4, usage: GPUBufferUsage.STORAGE });
  try {
    const bindGroup = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [{ binding: 0, resource: { buffer: sink } }],
    });
    const t = await timeComputePass(ctx, (pass) => {
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(wx, wy);
    });
    return { perNs: (wx * wy * 256 * calls) / t.seconds / 1e9, timing: t.timing };
  } finally {
    sink.destroy();
  }
}
