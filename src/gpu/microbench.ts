/**
 * Ceilings that the kernel benchmark is read against, measured on the same device in the same
 * run: buffer-copy bandwidth (bytes read plus bytes written per second) and Philox calls per ns.
 */

import { assembleShader } from './shaders.ts';
import type { GpuContext } from './device.ts';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Copy bandwidth in GB/s (read + write bytes) of copyBufferToBuffer, wall-timed over many copies. */
export async function copyBandwidth(ctx: GpuContext, bytes: number, copies = 8, repeats = 3): Promise<number> {
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

/** Philox4x32-10 calls per ns: `threads` threads × `calls` chained calls, GPU-timed where possible. */
export async function philoxRate(ctx: GpuContext, threads: number, calls = 64, repeats = 3): Promise<{ perNs: number; timing: 'timestamp' | 'wall' }> {
  const { device } = ctx;
  const code = assembleShader(['philox.wgsl', 'bench/philox_rate.wgsl'], { CALLS: { u32: calls } });
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
  const wgs = Math.ceil(threads / 256);
  const wx = Math.min(wgs, device.limits.maxComputeWorkgroupsPerDimension);
  const wy = Math.ceil(wgs / wx);
  const sink = device.createBuffer({ size: wx * wy * 256 * 4, usage: GPUBufferUsage.STORAGE });
  const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: sink } }] });
  const querySet = ctx.hasTimestamps ? device.createQuerySet({ type: 'timestamp', count: 2 }) : undefined;
  const resolve = querySet && device.createBuffer({ size: 16, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
  const read = querySet && device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const once = async (): Promise<number> => {
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass(
        querySet ? { timestampWrites: { querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } } : {},
      );
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(wx, wy);
      pass.end();
      if (querySet && resolve && read) {
        enc.resolveQuerySet(querySet, 0, 2, resolve, 0);
        enc.copyBufferToBuffer(resolve, 0, read, 0, 16);
      }
      const t0 = performance.now();
      device.queue.submit([enc.finish()]);
      if (read) {
        await read.mapAsync(GPUMapMode.READ);
        const [b, e] = new BigUint64Array(read.getMappedRange().slice(0));
        read.unmap();
        const ns = Number(e - b);
        if (ns > 0) return ns * 1e-9;
      }
      await device.queue.onSubmittedWorkDone();
      return (performance.now() - t0) / 1000;
    };
    await once();
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) times.push(await once());
    ctx.check();
    return { perNs: (wx * wy * 256 * calls) / median(times) / 1e9, timing: querySet ? 'timestamp' : 'wall' };
  } finally {
    sink.destroy();
    resolve?.destroy();
    read?.destroy();
    querySet?.destroy();
  }
}
