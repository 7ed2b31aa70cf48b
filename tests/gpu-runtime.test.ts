/** The GPU runtime's failure modes: clear, typed errors rather than crashes or silent clamps. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ising } from './helpers/cli.ts';
import { openNodeDevice } from '../src/gpu/node.ts';
import { GpuDeviceLostError, GpuLimitError, GpuUnavailableError } from '../src/gpu/errors.ts';
import { allocating, bufferLimit, SWIFTSHADER_MAX_BUFFER } from '../src/gpu/buffers.ts';
import { assembleShader } from '../src/gpu/shaders.ts';
import { checkLatticeFits, GpuIsingSampler } from '../src/models/ising/gpu-sampler.ts';
import { ParameterError } from '../src/params/errors.ts';
import { KERNELS } from '../src/models/ising/kernels.ts';
import { testGpu } from './helpers/gpu.ts';

describe('GPU runtime', () => {
  it('opens a device and names its adapter', async () => {
    const ctx = await testGpu();
    expect(ctx.adapterName.length).toBeGreaterThan(0);
    expect(ctx.device.limits.maxStorageBufferBindingSize).toBe(ctx.adapter.limits.maxStorageBufferBindingSize);
  });

  it('a lattice over a storage limit is refused, naming the limit and the largest L that fits', () => {
    // 2^24 bytes hold exactly 2048² u32 spins.
    const fake = { limits: { maxStorageBufferBindingSize: 2 ** 24, maxBufferSize: 2 ** 30 } } as unknown as GPUDevice;
    expect(() => checkLatticeFits(fake, 2048, 2048, 1)).not.toThrow();
    expect(() => checkLatticeFits(fake, 2050, 2050, 1)).toThrow(GpuLimitError);
    expect(() => checkLatticeFits(fake, 2050, 2050, 1)).toThrow(
      /needs 16810000 bytes .* maxStorageBufferBindingSize is 16777216; the largest square lattice that fits is L = 2048 with 1 replica/,
    );
    expect(() => checkLatticeFits(fake, 1024, 1024, 5)).toThrow(
      /largest square lattice that fits is L = 914 with 5 replica/,
    );
    // 1 bit per spin: 2^24 bytes hold 11585² spins; msc-1bit needs Lx a multiple of 64 → 11584.
    expect(() => checkLatticeFits(fake, 11648, 11648, 1, KERNELS['msc-1bit'])).toThrow(
      /with kernel msc-1bit.*L = 11584 with 1 replica/,
    );
    expect(() => checkLatticeFits(fake, 11584, 11584, 1, KERNELS['msc-1bit'])).not.toThrow();
    const small = { limits: { maxStorageBufferBindingSize: 2 ** 30, maxBufferSize: 2 ** 20 } } as unknown as GPUDevice;
    expect(() => checkLatticeFits(small, 1024, 1024, 1)).toThrow(/maxBufferSize is 1048576; .* L = 512/);
  });

  it('the real device refuses an over-large lattice before allocating', async () => {
    const ctx = await testGpu();
    const L = 2 * Math.ceil(Math.sqrt(ctx.device.limits.maxStorageBufferBindingSize / 4) / 2) + 2;
    await expect(GpuIsingSampler.create(ctx, { Lx: L, Ly: L, temperatures: [2] })).rejects.toThrow(GpuLimitError);
  });

  it('SwiftShader: buffers are capped at what it really allocates (1023 MiB), below its advertised 1 GiB', async () => {
    const ctx = await openNodeDevice('software');
    expect(ctx.device.limits.maxBufferSize).toBeGreaterThan(SWIFTSHADER_MAX_BUFFER);
    expect(bufferLimit(ctx.device, 'maxBufferSize')).toBe(SWIFTSHADER_MAX_BUFFER);
    // 16384² u32 spins are exactly 1 GiB: within the advertised limit, beyond what SwiftShader allocates.
    await expect(GpuIsingSampler.create(ctx, { Lx: 16384, Ly: 16384, temperatures: [2] })).rejects.toThrow(
      /needs 1073741824 bytes .*\(as allocated by this driver\) is 1072693248/,
    );
    // What the cap prevents: a 1 GiB buffer passes validation, then SwiftShader cannot allocate it.
    const made = allocating(
      ctx.device,
      'a 1 GiB buffer',
      () => ctx.device.createBuffer({ size: 2 ** 30, usage: GPUBufferUsage.STORAGE }),
      (b) => b.destroy(),
    );
    await expect(made).rejects.toThrow(/^the GPU ran out of memory allocating a 1 GiB buffer \(vkAllocateMemory/);
    ctx.destroy();
  });

  it('a buffer the device cannot allocate is a GpuLimitError, and what was made is released', async () => {
    const scopes: string[] = [];
    const refusing = {
      pushErrorScope: (kind: string) => scopes.push(kind),
      popErrorScope: async () => ({ message: 'vkAllocateMemory failed with VK_ERROR_OUT_OF_DEVICE_MEMORY\n - more' }),
    } as unknown as GPUDevice;
    let released = false;
    const made = allocating(
      refusing,
      'the lattice',
      () => 'buffers',
      () => {
        released = true;
      },
    );
    await expect(made).rejects.toThrow(GpuLimitError);
    await expect(made).rejects.toThrow(
      /^the GPU ran out of memory allocating the lattice \(vkAllocateMemory failed with VK_ERROR_OUT_OF_DEVICE_MEMORY\);/,
    );
    expect(scopes).toEqual(['out-of-memory']);
    expect(released).toBe(true);
  });

  it('bad parameters name the parameter', async () => {
    const ctx = await testGpu();
    await expect(GpuIsingSampler.create(ctx, { Lx: 7, Ly: 8, temperatures: [2] })).rejects.toThrow(
      /Lx must be an even integer/,
    );
    await expect(GpuIsingSampler.create(ctx, { Lx: 8, Ly: 8, temperatures: [0] })).rejects.toThrow(ParameterError);
    await expect(GpuIsingSampler.create(ctx, { Lx: 8, Ly: 8, temperatures: [2], replicas: 0 })).rejects.toThrow(
      /replicas/,
    );
    await expect(GpuIsingSampler.create(ctx, { Lx: 8, Ly: 8, temperatures: [2], seed: -3 })).rejects.toThrow(/seed/);
  });

  it('a destroyed device is reported as such, not swallowed', async () => {
    const ctx = await openNodeDevice();
    const sampler = await GpuIsingSampler.create(ctx, { Lx: 8, Ly: 8, temperatures: [2] });
    ctx.destroy();
    await expect(sampler.run({ sweeps: 3 })).rejects.toThrow(GpuDeviceLostError);
  });

  it('asking for hardware where there is none fails with a hint', async () => {
    const hadIcds = process.env.VK_ICD_FILENAMES;
    try {
      await openNodeDevice('hardware');
      // A machine with a real GPU gets here: then the adapter must not be a software one.
    } catch (e) {
      expect(e).toBeInstanceOf(GpuUnavailableError);
      expect((e as Error).message).toMatch(/hardware/);
    } finally {
      process.env.VK_ICD_FILENAMES = hadIcds;
      process.env.VK_DRIVER_FILES = hadIcds;
    }
  });

  it('driver manifests that cannot work are skipped quietly: exit 3 naming why, no loader noise', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ising-icd-'));
    const bogus = join(dir, 'bogus.json');
    writeFileSync(
      bogus,
      JSON.stringify({ file_format_version: '1.0.0', ICD: { library_path: '/nonexistent/libvk.so' } }),
    );
    try {
      for (const [manifest, why] of [
        [bogus, /the driver library \/nonexistent\/libvk.so of .*bogus.json does not exist/],
        [join(dir, 'missing.json'), /missing.json: cannot read/],
      ] as const) {
        const r = await ising(['run', '--L', '8', '--T', '2', '--sweeps', '2', '--json'], 30_000, {
          VK_ICD_FILENAMES: manifest,
        });
        expect(r.code, r.stderr).toBe(3);
        expect(r.stdout).toBe('');
        expect(r.stderr.trim().split('\n')).toHaveLength(1); // no "Warning: loader_..." lines before it
        expect(r.stderr).toMatch(why);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shader assembly names a missing file and generates typed constants', () => {
    expect(() => assembleShader(['nope.wgsl'])).toThrow(/shaders\/nope\.wgsl not found/);
    const code = assembleShader(['philox.wgsl'], { A: { u32: 3 }, B: { i32: -2 }, C: { f32: 0.5 } });
    expect(code).toContain('const A: u32 = 3u;');
    expect(code).toContain('const B: i32 = -2i;');
    expect(code).toMatch(/const C: f32 = 5\.0+e-1f;/);
    expect(() => assembleShader([], { D: { u32: -1 } })).toThrow(/not a u32/);
  });
});
