/**
 * Ceilings that the kernel benchmark is read against, measured on the same device in the same
 * run: copy bandwidth (bytes read plus bytes written per second, by a compute shader and by
 * copyBufferToBuffer) and Philox4x32-10 calls per ns.
 */

import { bindingTable, createBindGroup, wgslBindings, type BindingTable } from './bindings.ts';
import { bufferLimit, createBuffer } from './buffers.ts';
import type { GpuContext } from './device.ts';
import { THREEFRY_PARITY, THREEFRY_ROTATIONS } from '../rng/threefry.ts';
import { assembleShader, type WgslConstant } from './shaders.ts';
import { PassTimer, measurePass, type PassTime } from './timer.ts';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Threads per workgroup of the probes (a generated WGSL constant). */
const BENCH_WG = 256;

const COPY_BINDINGS = bindingTable('copy probe', 0, {
  src: { kind: 'read-only-storage', type: 'array<vec4u>' },
  dst: { kind: 'storage', type: 'array<vec4u>' },
});

const PHILOX_BINDINGS = bindingTable('philox probe', 0, {
  sink: { kind: 'storage', type: 'array<u32>' },
});

export interface Measured {
  /** Median seconds of one repetition. */
  seconds: number;
  timing: PassTime['timing'];
}

/** A rate and how its time was measured. */
type Timed<K extends string> = Record<K, number> & { timing: Measured['timing'] };

/**
 * Median time of `encode` (one compute pass), after a warm-up, with the pass timer: timestamp
 * queries around the pass where the device has them, else wall time to completion.
 */
async function timeComputePass(
  ctx: GpuContext,
  encode: (pass: GPUComputePassEncoder, enc: GPUCommandEncoder) => void,
  repeats = 3,
): Promise<Measured> {
  const timer = new PassTimer(ctx, 'microbench');
  try {
    await measurePass(ctx, timer, encode);
    const times: PassTime[] = [];
    for (let i = 0; i < repeats; i++) times.push(await measurePass(ctx, timer, encode));
    ctx.check();
    const usedWall = times.some((t) => t.timing === 'wall');
    return { seconds: median(times.map((t) => t.seconds)), timing: usedWall ? 'wall' : 'timestamp' };
  } finally {
    timer.destroy();
  }
}

/** A probe's pipeline and its bind group over `buffers`, with the bindings and BENCH_WG generated. */
function probe<K extends string>(
  device: GPUDevice,
  files: string[],
  table: BindingTable<K>,
  buffers: Record<K, GPUBuffer>,
  constants: Record<string, WgslConstant> = {},
): { pipeline: GPUComputePipeline; bindGroup: GPUBindGroup } {
  const code = assembleShader(files, { ...constants, BENCH_WG: { u32: BENCH_WG } }, [wgslBindings(table)]);
  const pipeline = device.createComputePipeline({
    layout: 'auto',
    compute: { module: device.createShaderModule({ code }), entryPoint: 'main' },
  });
  return { pipeline, bindGroup: createBindGroup(device, table, pipeline.getBindGroupLayout(0), buffers) };
}

/** Copy bandwidth in GB/s (read + write) of a vec4 copy shader over `bytes`, `copies` times per pass. */
export async function shaderCopyBandwidth(ctx: GpuContext, bytes: number, copies = 8): Promise<Timed<'gbPerS'>> {
  const { device } = ctx;
  const size = Math.floor(Math.min(bytes, bufferLimit(device, 'maxStorageBufferBindingSize')) / 16) * 16;
  const src = createBuffer(device, 'copy source', size, GPUBufferUsage.STORAGE);
  const dst = createBuffer(device, 'copy destination', size, GPUBufferUsage.STORAGE);
  try {
    const { pipeline, bindGroup } = probe(device, ['bench/copy.wgsl'], COPY_BINDINGS, { src, dst });
    const groups = Math.min(Math.ceil(size / 16 / BENCH_WG), device.limits.maxComputeWorkgroupsPerDimension);
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
  const size = Math.floor(Math.min(bytes, bufferLimit(device, 'maxBufferSize')) / 16) * 16;
  const src = createBuffer(device, 'copy source', size, GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST);
  const dst = createBuffer(device, 'copy destination', size, GPUBufferUsage.COPY_DST);
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

/** Threefry's parity and rotations as WGSL constants (THREEFRY_PARITY, THREEFRY_R<round><A|B>). */
export const THREEFRY_CONSTANTS: Record<string, WgslConstant> = Object.fromEntries([
  ['THREEFRY_PARITY', { u32: THREEFRY_PARITY }],
  ...THREEFRY_ROTATIONS.flatMap(([a, b], r) => [
    [`THREEFRY_R${r}A`, { u32: a }],
    [`THREEFRY_R${r}B`, { u32: b }],
  ]),
]);

/** Generator calls per ns (four u32 words a call): `threads` threads × `calls` chained calls each. */
export async function generatorRate(
  ctx: GpuContext,
  generator: 'philox' | 'threefry',
  threads: number,
  calls = 64,
): Promise<Timed<'perNs'>> {
  const { device } = ctx;
  const wgs = Math.ceil(threads / BENCH_WG);
  const wx = Math.min(wgs, device.limits.maxComputeWorkgroupsPerDimension);
  const wy = Math.ceil(wgs / wx);
  const sink = createBuffer(device, 'philox sink', wx * wy * BENCH_WG * 4, GPUBufferUsage.STORAGE);
  try {
    const files =
      generator === 'philox'
        ? ['philox.wgsl', 'bench/philox_rate.wgsl']
        : ['threefry.wgsl', 'bench/threefry_rate.wgsl'];
    const constants = { CALLS: { u32: calls }, ...(generator === 'threefry' ? THREEFRY_CONSTANTS : {}) };
    const { pipeline, bindGroup } = probe(device, files, PHILOX_BINDINGS, { sink }, constants);
    const t = await timeComputePass(ctx, (pass) => {
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(wx, wy);
    });
    return { perNs: (wx * wy * BENCH_WG * calls) / t.seconds / 1e9, timing: t.timing };
  } finally {
    sink.destroy();
  }
}
