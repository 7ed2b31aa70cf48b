/** Run a WGSL counter-based generator on the GPU for n inputs of `words` u32 each (tests of the RNG twins). */
import { expect } from 'vitest';
import { assembleShader, type WgslConstant } from '../../src/gpu/shaders.ts';
import { testGpu } from './gpu.ts';

/**
 * `call` is a WGSL expression of the input words `w(0)` … `w(words − 1)` giving a vec4u; the
 * generator comes from `files` (with `constants` and `generated` declarations). Returns 4 words per input.
 */
export async function gpuGenerator(
  files: string[],
  call: string,
  words: number,
  inputs: Uint32Array,
  constants: Record<string, WgslConstant> = {},
  generated: readonly string[] = [],
): Promise<Uint32Array> {
  const { device, check } = await testGpu();
  const n = inputs.length / words;
  const code =
    assembleShader(files, constants, generated) +
    `
@group(0) @binding(0) var<storage, read> inp: array<u32>;
@group(0) @binding(1) var<storage, read_write> outp: array<vec4u>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let i = id.x;
  if (i >= arrayLength(&outp)) { return; }
  let b = ${words}u * i;
  outp[i] = ${call.replace(/w\((\d+)\)/g, (_, k) => `inp[b + ${k}u]`)};
}`;
  device.pushErrorScope('validation');
  const pipeline = device.createComputePipeline({
    layout: 'auto',
    compute: { module: device.createShaderModule({ code }), entryPoint: 'main' },
  });
  const inBuf = device.createBuffer({
    size: inputs.byteLength,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
  });
  const outBuf = device.createBuffer({ size: n * 16, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const read = device.createBuffer({ size: n * 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(inBuf, 0, inputs);
  const bg = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [
      { binding: 0, resource: { buffer: inBuf } },
      { binding: 1, resource: { buffer: outBuf } },
    ],
  });
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bg);
  pass.dispatchWorkgroups(Math.ceil(n / 64));
  pass.end();
  enc.copyBufferToBuffer(outBuf, 0, read, 0, n * 16);
  device.queue.submit([enc.finish()]);
  const err = await device.popErrorScope();
  expect(err?.message ?? null).toBeNull();
  await read.mapAsync(GPUMapMode.READ);
  const out = new Uint32Array(read.getMappedRange().slice(0));
  read.unmap();
  check();
  return out;
}
