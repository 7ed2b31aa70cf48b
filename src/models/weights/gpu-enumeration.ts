/**
 * Exact enumeration of the binary perceptron's 2^N weight vectors on the GPU
 * (shaders/weights/enumerate.wgsl): the density of states g(E) as exact integer counts, equal to
 * enumeratePerceptron's (src/models/weights/enumeration.ts) for binary inputs, for odd N ≤ 24.
 */

import { bindingTable, createBindGroup, createBindGroupLayout, wgslBindings } from '../../gpu/bindings.ts';
import { createBuffer, readBack, usage } from '../../gpu/buffers.ts';
import { createComputePipeline, type GpuContext } from '../../gpu/device.ts';
import { assembleShader } from '../../gpu/shaders.ts';
import { workgroupMemory } from '../../gpu/workgroup.ts';
import type { Dataset } from './datasets.ts';
import { checkBinaryInputs } from './gpu-perceptron-sampler.ts';
import { checkPerceptronN } from './perceptron.ts';

export const MAX_GPU_ENUMERATION_N = 24;
/** Most examples (each thread keeps its P fields in a private array). */
export const MAX_GPU_ENUMERATION_P = 1024;
/** Threads per workgroup (a generated WGSL constant). */
const WG = 64;

const ENUMERATION_BINDINGS = bindingTable('enumeration', 0, {
  xs: { kind: 'read-only-storage', type: 'array<i32>' },
  ys: { kind: 'read-only-storage', type: 'array<i32>' },
  hist: { kind: 'storage', type: 'array<atomic<u32>>' },
});

export interface GpuPerceptronEnumeration {
  N: number;
  P: number;
  /** g(E), E = 0 … P (exact integers). */
  dos: Float64Array;
  groundEnergy: number;
  groundDegeneracy: number;
}

/** The enumeration kernel for N weights and P examples: 2^(N−L) threads, each walking 2^L vectors. */
async function enumerationKernel(device: GPUDevice, N: number, P: number) {
  // 2^14 threads (or 2^N when fewer), each walking 2^L vectors.
  const L = Math.max(0, N - 14);
  const threads = 2 ** (N - L);
  const groups = Math.ceil(threads / WG);
  const wgX = Math.min(groups, device.limits.maxComputeWorkgroupsPerDimension);
  const PA = Math.max(1, P);
  const code = assembleShader(
    ['weights/enumerate.wgsl'],
    {
      EN_N: { u32: N },
      EN_P: { u32: P },
      EN_PA: { u32: PA },
      EN_L: { u32: L },
      EN_THREADS: { u32: threads },
      EN_WG_X: { u32: wgX },
      EN_WG: { u32: WG },
    },
    [wgslBindings(ENUMERATION_BINDINGS), workgroupMemory([['whist', 'atomic<u32>', PA + 1]]).wgsl],
  );
  const layout = createBindGroupLayout(device, ENUMERATION_BINDINGS);
  const pipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [layout] });
  const pipeline = await createComputePipeline(device, 'perceptron enumeration', code, pipelineLayout, 'enumerate');
  return { layout, pipeline, workgroups: [wgX, Math.ceil(groups / wgX)] as const };
}

export async function enumeratePerceptronGpu(ctx: GpuContext, data: Dataset): Promise<GpuPerceptronEnumeration> {
  const { N, P, X, y } = data;
  checkPerceptronN(N);
  if (N > MAX_GPU_ENUMERATION_N) throw new RangeError(`GPU enumeration needs N <= ${MAX_GPU_ENUMERATION_N}, got ${N}`);
  if (P > MAX_GPU_ENUMERATION_P) throw new RangeError(`GPU enumeration needs P <= ${MAX_GPU_ENUMERATION_P}, got ${P}`);
  checkBinaryInputs([data]);
  const device = ctx.device;
  const { layout, pipeline, workgroups } = await enumerationKernel(device, N, P);
  const buffers = {
    xs: createBuffer(device, 'enumeration inputs', 4 * N * P, usage.input()),
    ys: createBuffer(device, 'enumeration labels', 4 * P, usage.input()),
    hist: createBuffer(device, 'enumeration histogram', 4 * (P + 1), usage.state()),
  };
  try {
    device.queue.writeBuffer(buffers.xs, 0, Int32Array.from(X));
    device.queue.writeBuffer(
      buffers.ys,
      0,
      Int32Array.from(y, (v) => Math.sign(v)),
    );
    const bindGroup = createBindGroup(device, ENUMERATION_BINDINGS, layout, buffers);
    const counts = await readBack(ctx, buffers.hist, 4 * (P + 1), 0, (enc) => {
      enc.clearBuffer(buffers.hist);
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(workgroups[0], workgroups[1], 1);
      pass.end();
    });
    const dos = Float64Array.from(counts);
    let total = 0;
    for (const c of dos) total += c;
    if (total !== 2 ** N) throw new Error(`GPU enumeration visited ${total} weight vectors instead of 2^${N}`);
    let groundEnergy = 0;
    while (dos[groundEnergy] === 0) groundEnergy++;
    return { N, P, dos, groundEnergy, groundDegeneracy: dos[groundEnergy] };
  } finally {
    for (const b of Object.values(buffers)) b.destroy();
  }
}
