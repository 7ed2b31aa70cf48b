/**
 * Exact enumeration of the binary perceptron's 2^N weight vectors on the GPU
 * (shaders/weights/enumerate.wgsl): the density of states g(E) as exact integer counts, equal to
 * enumeratePerceptron's (src/models/weights/enumeration.ts) for binary inputs, for odd N ≤ 24.
 */

import { createComputePipeline, readBuffer, type GpuContext } from '../../gpu/device.ts';
import { assembleShader } from '../../gpu/shaders.ts';
import type { Dataset } from './datasets.ts';
import { checkBinaryInputs } from './gpu-perceptron-sampler.ts';
import { checkPerceptronN } from './perceptron.ts';

export const MAX_GPU_ENUMERATION_N = 24;
/** Most examples (each thread keeps its P fields in a private array). */
export const MAX_GPU_ENUMERATION_P = 1024;
const WG = 64;

export interface GpuPerceptronEnumeration {
  N: number;
  P: number;
  /** g(E), E = 0 … P (exact integers). */
  dos: Float64Array;
  groundEnergy: number;
  groundDegeneracy: number;
}

export async function enumeratePerceptronGpu(ctx: GpuContext, data: Dataset): Promise<GpuPerceptronEnumeration> {
  const { N, P, X, y } = data;
  checkPerceptronN(N);
  if (N > MAX_GPU_ENUMERATION_N) throw new RangeError(`GPU enumeration needs N <= ${MAX_GPU_ENUMERATION_N}, got ${N}`);
  if (P > MAX_GPU_ENUMERATION_P) throw new RangeError(`GPU enumeration needs P <= ${MAX_GPU_ENUMERATION_P}, got ${P}`);
  checkBinaryInputs([data]);
  const device = ctx.device;
  // 2^14 threads (or 2^N when fewer), each walking 2^L vectors.
  const L = Math.max(0, N - 14);
  const threads = 2 ** (N - L);
  const groups = Math.ceil(threads / WG);
  const wgX = Math.min(groups, device.limits.maxComputeWorkgroupsPerDimension);
  const wgY = Math.ceil(groups / wgX);
  const code = assembleShader(['weights/enumerate.wgsl'], {
    EN_N: { u32: N },
    EN_P: { u32: P },
    EN_PA: { u32: Math.max(1, P) },
    EN_L: { u32: L },
    EN_THREADS: { u32: threads },
    EN_WG_X: { u32: wgX },
  });
  const layout = device.createBindGroupLayout({
    label: 'enumeration layout',
    entries: [
      { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
      { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
      { binding: 2, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
    ],
  });
  const pipeline = await createComputePipeline(
    device,
    'perceptron enumeration',
    code,
    device.createPipelineLayout({ bindGroupLayouts: [layout] }),
    'enumerate',
  );
  const U = GPUBufferUsage;
  const make = (label: string, size: number, usage: number): GPUBuffer =>
    device.createBuffer({ label, size: Math.max(16, Math.ceil(size / 4) * 4), usage });
  const xs = make('enumeration inputs', 4 * N * P, U.STORAGE | U.COPY_DST);
  const ys = make('enumeration labels', 4 * P, U.STORAGE | U.COPY_DST);
  const hist = make('enumeration histogram', 4 * (P + 1), U.STORAGE | U.COPY_SRC | U.COPY_DST);
  const staging = make('enumeration staging', 4 * (P + 1), U.MAP_READ | U.COPY_DST);
  try {
    device.queue.writeBuffer(xs, 0, Int32Array.from(X));
    device.queue.writeBuffer(
      ys,
      0,
      Int32Array.from(y, (v) => Math.sign(v)),
    );
    const bindGroup = device.createBindGroup({
      layout,
      entries: [xs, ys, hist].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    const enc = device.createCommandEncoder({ label: 'enumeration' });
    enc.clearBuffer(hist);
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(wgX, wgY, 1);
    pass.end();
    enc.copyBufferToBuffer(hist, 0, staging, 0, 4 * (P + 1));
    device.queue.submit([enc.finish()]);
    const counts = await readBuffer(ctx, staging, 4 * (P + 1));
    const dos = Float64Array.from(counts);
    let total = 0;
    for (const c of dos) total += c;
    if (total !== 2 ** N) throw new Error(`GPU enumeration visited ${total} weight vectors instead of 2^${N}`);
    let groundEnergy = 0;
    while (dos[groundEnergy] === 0) groundEnergy++;
    return { N, P, dos, groundEnergy, groundDegeneracy: dos[groundEnergy] };
  } finally {
    for (const b of [xs, ys, hist, staging]) b.destroy();
  }
}
