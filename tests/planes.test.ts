/**
 * Bit-plane decisions (kernels msc-planes and resident): the plane ↔ Philox mapping of
 * src/rng/planes.ts, and the kernels against the CPU reference that follows it, bit for bit —
 * on lattices whose rows are shorter than a word, non-power-of-two sides, J < 0, h ≠ 0, both
 * algorithms, replicas in different slots, odd sweep starts, the 2^32 sweep carry, ties U = t.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CpuIsingSampler } from '../src/models/ising/cpu-sampler.ts';
import { GpuIsingSampler } from '../src/models/ising/gpu-sampler.ts';
import type { IsingConfig } from '../src/models/ising/config.ts';
import { planesHalfSweep } from '../src/models/ising/planes/cpu-planes.ts';
import { residentDispatches } from '../src/models/ising/planes/resident.ts';
import { autoKernel, PLANES_WORDS_PER_THREAD } from '../src/models/ising/kernels.ts';
import { N_CLASSES } from '../src/models/ising/layout.ts';
import type { IsingSampler, RunResult } from '../src/models/ising/sampler.ts';
import { ParameterError } from '../src/params/errors.ts';
import { philox4x32 } from '../src/rng/philox.ts';
import { laneUniforms, planeGroup, transposePlanes, wordPlanes } from '../src/rng/planes.ts';
import { STREAMS, seedKey } from '../src/rng/streams.ts';
import { testGpu } from './helpers/gpu.ts';

const KERNELS = ['msc-planes', 'resident'] as const;
type PlaneKernel = (typeof KERNELS)[number];

const made: IsingSampler[] = [];
afterAll(() => made.forEach((s) => s.destroy()));

async function pair(config: IsingConfig, kernel: PlaneKernel): Promise<[GpuIsingSampler, CpuIsingSampler]> {
  const gpu = await GpuIsingSampler.create(await testGpu(), config, { kernel });
  const cpu = new CpuIsingSampler(config, { kernel });
  made.push(gpu, cpu);
  return [gpu, cpu];
}

function expectSameRun(g: RunResult, c: RunResult): void {
  expect(g.bonds).toEqual(c.bonds);
  expect(g.magnetization).toEqual(c.magnetization);
  expect(g.flips).toEqual(c.flips);
}

describe('the plane mapping', () => {
  it('plane group g of word w is Philox of (8w + g, replica, sweep, ISING_PLANES | colour | sweep_hi)', () => {
    const key = seedKey(2 ** 35 + 9);
    const sweep = 2 ** 32 * 3 + 17;
    const c3 = ((STREAMS.ISING_PLANES << 24) | (1 << 16) | 3) >>> 0;
    expect(planeGroup(key, 5, sweep, 1, 7, 6)).toEqual(philox4x32(8 * 7 + 6, 5, 17, c3, key[0], key[1]));
    expect(STREAMS.ISING_PLANES).toBe(8); // 6 and 7 are the cluster updates on main (issue 12)
  });

  it("lane j's uniform is bit j of planes 0..31, plane 0 the most significant", () => {
    const planes = new Uint32Array(32);
    planes[0] = 1 << 3; // lane 3: top bit
    planes[31] = (1 << 3) | 1; // lane 3 and lane 0: bottom bit
    planes[4] = 0x80000000; // lane 31: bit 27
    const u = laneUniforms(planes);
    expect(u[3]).toBe(0x80000001);
    expect(u[0]).toBe(1);
    expect(u[31]).toBe(1 << 27);
    expect(u[1]).toBe(0);
    // The CPU reference's transpose gives the same uniforms, lane j in entry 31 - j.
    const words = wordPlanes(seedKey(5), 1, 2, 1, 3);
    const t = transposePlanes(Uint32Array.from(words));
    expect(Array.from({ length: 32 }, (_, j) => t[31 - j])).toEqual(Array.from(laneUniforms(words)));
  });

  it('the resident kernel measures the same sweeps as a run does, across dispatches', () => {
    for (const [n, done, m] of [
      [300, 0, 7],
      [300, 5, 7],
      [129, 0, 1],
      [50, 3, 0],
    ]) {
      const { dispatches, samples } = residentDispatches(n, done, 1000, m);
      const measured: number[] = [];
      for (const d of dispatches) {
        for (let t = d.measure_first; t < d.sweeps; t += d.measure_every) measured.push(d.sweep - 1000 + t);
      }
      const expected = Array.from({ length: n }, (_, t) => t).filter((t) => m > 0 && (done + t + 1) % m === 0);
      expect(measured).toEqual(expected);
      expect(samples).toBe(expected.length);
      expect(dispatches.reduce((s, d) => s + d.sweeps, 0)).toBe(n);
    }
  });
});

const cases: (IsingConfig & { name: string; sweeps: number })[] = [
  {
    name: '8x8 heat-bath, h = 0.5 (one word per colour, 4 rows per word)',
    Lx: 8,
    Ly: 8,
    replicas: 2,
    temperatures: [1.2, 3],
    h: 0.5,
    algorithm: 'heatbath',
    seed: 3,
    sweeps: 200,
  },
  {
    name: '2x32 antiferromagnet J = -1, h = 0.2 (rows of one site)',
    Lx: 2,
    Ly: 32,
    replicas: 1,
    temperatures: [2],
    J: -1,
    h: 0.2,
    seed: 4,
    sweeps: 200,
  },
  {
    name: '16x12 Metropolis, 3 replicas in slots 2, 0, 1 (non-power-of-two side)',
    Lx: 16,
    Ly: 12,
    replicas: 3,
    temperatures: [1.6, 2.269, 4],
    slots: [2, 0, 1],
    seed: 2 ** 40 + 1,
    sweeps: 150,
  },
  {
    name: '192x4 heat-bath, J = -0.8, h = -0.3, cold start (three words per row)',
    Lx: 192,
    Ly: 4,
    replicas: 2,
    temperatures: [1.5, 2.5],
    J: -0.8,
    h: -0.3,
    algorithm: 'heatbath',
    init: 'cold',
    seed: 9,
    sweeps: 60,
  },
];

for (const kernel of KERNELS) {
  describe(`${kernel} equals the CPU reference with the plane mapping`, () => {
    for (const { name, sweeps, ...config } of cases) {
      it(name, async () => {
        const [gpu, cpu] = await pair(config, kernel);
        expect(await gpu.spins()).toEqual(await cpu.spins());
        // An odd number of unmeasured sweeps first, so the measured run starts at an odd sweep.
        expectSameRun(await gpu.run({ sweeps: 13, measureEvery: 0 }), await cpu.run({ sweeps: 13, measureEvery: 0 }));
        const g = await gpu.run({ sweeps, measureEvery: 3 });
        expectSameRun(g, await cpu.run({ sweeps, measureEvery: 3 }));
        expect(await gpu.spins()).toEqual(await cpu.spins());
        expect(await gpu.observe()).toEqual(await cpu.observe());
        expect(g.flips.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      });
    }

    // msc-planes gives each 256-thread workgroup 256 * PLANES_WORDS_PER_THREAD words of a colour:
    // 65/64 of that is a full workgroup and a second that owns 1/64 of one (4 threads). resident
    // keeps the lattice in one workgroup, so it gets the 320x208 whose words fit there.
    const Ly = kernel === 'resident' ? 208 : 52 * PLANES_WORDS_PER_THREAD;
    const where = kernel === 'resident' ? 'in one workgroup' : 'over two workgroups, the second one mostly empty';
    it(`320x${Ly}: ${5 * Ly} words per colour ${where}`, async () => {
      const config = { Lx: 320, Ly, replicas: 2, temperatures: [2.1, 2.4], seed: 31 };
      const [gpu, cpu] = await pair(config, kernel);
      expectSameRun(await gpu.run({ sweeps: 5, measureEvery: 2 }), await cpu.run({ sweeps: 5, measureEvery: 2 }));
      expect(await gpu.spins()).toEqual(await cpu.spins());
    });

    it('across the 2^32 sweep carry, with sparse measurements over several dispatches', async () => {
      const config = { Lx: 16, Ly: 8, replicas: 2, temperatures: [2.2, 2.6], h: 0.1, seed: 12 };
      const [gpu, cpu] = await pair(config, kernel);
      const state = { spins: await cpu.spins(), sweepsDone: 2 ** 32 - 150 };
      gpu.restore(state);
      cpu.restore(state);
      expectSameRun(await gpu.run({ sweeps: 300, measureEvery: 7 }), await cpu.run({ sweeps: 300, measureEvery: 7 }));
      expect(await gpu.spins()).toEqual(await cpu.spins());
    });

    it('refuses a lattice whose rows do not align with 32-site words, naming Lx', async () => {
      const ctx = await testGpu();
      for (const [Lx, Ly] of [
        [24, 8],
        [8, 4],
      ]) {
        const config = { Lx, Ly, temperatures: [2] };
        await expect(GpuIsingSampler.create(ctx, config, { kernel })).rejects.toThrow(ParameterError);
        expect(() => new CpuIsingSampler(config, { kernel })).toThrow(/Lx.*for kernel/);
      }
    });
  });
}

describe('ties: U = t does not flip, U = t − 1 does (all 32 planes compared)', () => {
  for (const kernel of KERNELS) {
    it(kernel, async () => {
      // 8x8, all up: colour 0 is one word whose 32 lanes are in class (up, 4 up neighbours).
      const config = { Lx: 8, Ly: 8, temperatures: [2], init: 'cold' as const, seed: 77 };
      const key = seedKey(77);
      const u = laneUniforms(wordPlanes(key, 0, 0, 0, 0));
      const order = Array.from(u.keys()).sort((a, b) => u[a] - u[b]);
      const tie = order[16]; // t = U of this lane: the lanes below it flip, it and those above do not
      const tables = new Uint32Array(N_CLASSES).fill(0);
      tables.fill(u[tie]);
      const gpu = await GpuIsingSampler.create(await testGpu(), config, { kernel });
      made.push(gpu);
      const buffers = (gpu as unknown as { buffers: { thresholds: GPUBuffer } }).buffers;
      (await testGpu()).device.queue.writeBuffer(buffers.thresholds, 0, tables);
      await gpu.run({ sweeps: 1, measureEvery: 0 });
      const lattice = new Uint8Array(64).fill(1);
      planesHalfSweep({ lattice, Lx: 8, Ly: 8, slots: [0], tables, key, replicaBase: 0 }, 0, 0, new Float64Array(1));
      // Colour 0 by the definition: lane j (site n = j: x = 2(j % 4) + ((j >> 2) & 1), y = j >> 2) flips iff U_j < t.
      for (let j = 0; j < 32; j++) {
        const y = j >> 2;
        const x = 2 * (j % 4) + (y & 1);
        expect(lattice[y * 8 + x], `lane ${j}`).toBe(u[j] < u[tie] ? 0 : 1);
      }
      planesHalfSweep({ lattice, Lx: 8, Ly: 8, slots: [0], tables, key, replicaBase: 0 }, 0, 1, new Float64Array(1));
      expect(await gpu.spins()).toEqual(Int8Array.from(lattice, (s) => 2 * s - 1));
    });
  }
});

describe('--kernel auto', () => {
  it('picks resident, msc-planes, then the densest per-site packing that suits Lx', () => {
    expect(autoKernel(16, 16, true)).toBe('resident');
    expect(autoKernel(128, 128, true)).toBe('resident');
    expect(autoKernel(16, 16, false)).toBe('msc-planes'); // does not fit the device's workgroup memory
    expect(autoKernel(256, 256, true)).toBe('msc-planes'); // beyond 128² sites
    expect(autoKernel(8, 4)).toBe('packed-u8'); // 16 sites per colour: no whole 32-site word
    expect(autoKernel(48, 48)).toBe('msc-4bit'); // Lx/2 = 24 neither divides 32 nor is a multiple of it
    expect(autoKernel(40, 40)).toBe('packed-u8');
    expect(autoKernel(12, 12)).toBe('checkerboard-u32');
  });

  it('the GPU and the CPU reference with auto follow the same trajectory, and the sampler says which kernel', async () => {
    const config = { Lx: 16, Ly: 12, replicas: 2, temperatures: [2.3], h: 0.1, seed: 4 };
    const gpu = await GpuIsingSampler.create(await testGpu(), config, { kernel: 'auto' });
    const cpu = new CpuIsingSampler(config, { kernel: 'auto' });
    made.push(gpu, cpu);
    expect(gpu.kernel.name).toBe('resident'); // every WebGPU device has >= 16 KiB of workgroup memory
    expect(cpu.decisions).toBe('planes');
    expectSameRun(await gpu.run({ sweeps: 40 }), await cpu.run({ sweeps: 40 }));
  });
});
