/**
 * GPU binary-perceptron sampler against the CPU reference: bit-identical weights, energies,
 * teacher overlaps and flip counts for binary inputs (several N, P, temperature slots, replicas,
 * datasets, seeds, label kinds), determinism, split runs, and a clear refusal of Gaussian inputs.
 * Runs on SwiftShader when there is no GPU (tests/helpers/gpu.ts).
 */
import { describe, expect, it } from 'vitest';
import { generateDataset, type DatasetSpec } from '../src/models/weights/datasets.ts';
import { CpuPerceptronSampler } from '../src/models/weights/cpu-perceptron-sampler.ts';
import type { PerceptronSamplerConfig } from '../src/models/weights/perceptron-config.ts';
import { GpuPerceptronSampler, type GpuPerceptronOptions } from '../src/models/weights/gpu-perceptron-sampler.ts';
import { enumeratePerceptron } from '../src/models/weights/enumeration.ts';
import { enumeratePerceptronGpu } from '../src/models/weights/gpu-enumeration.ts';
import { testGpu } from './helpers/gpu.ts';
import { expectSameFields } from './helpers/samplers.ts';

function datasets(
  N: number,
  P: number,
  seed: number,
  D: number,
  labels: DatasetSpec['labels'] = 'teacher',
  teacher: DatasetSpec['teacher'] = 'binary',
) {
  return Array.from({ length: D }, (_, index) =>
    generateDataset({ N, P, inputs: 'binary', teacher, labels, seed, index }),
  );
}

async function compare(
  config: PerceptronSamplerConfig,
  runs: { sweeps: number; measureEvery?: number; recordWeights?: boolean; exchange?: boolean }[],
  options: GpuPerceptronOptions = {},
) {
  const ctx = await testGpu();
  const cpu = new CpuPerceptronSampler(config);
  const gpu = await GpuPerceptronSampler.create(ctx, config, options);
  try {
    expect(await gpu.weights()).toEqual(cpu.weights());
    for (const opts of runs) {
      const a = cpu.runSync(opts);
      const b = await gpu.run(opts);
      expectSameFields(b, a, ['samples', 'replicas', 'energy', 'teacherDot', 'flips', 'weights']);
      if (opts.recordWeights) expect(b.sampledWeights).toEqual(a.sampledWeights);
      expect(b.slotsAt).toEqual(a.slotsAt);
      expect(b.swapsAccepted).toEqual(a.swapsAccepted);
      expect(b.swapsAttempted).toEqual(a.swapsAttempted);
      expect(gpu.slots).toEqual(cpu.slots);
      if (opts.exchange && opts.sweeps > 1) {
        // Not a trivial exchange: some swaps accepted, and the slots really moved.
        const acc = a.swapsAccepted!.reduce((x, y) => x + y, 0);
        const att = a.swapsAttempted!.reduce((x, y) => x + y, 0);
        expect(acc).toBeGreaterThan(0);
        expect(acc).toBeLessThan(att);
      }
      // Not a trivial run: something was accepted.
      if (opts.sweeps > 0) expect(b.flips.some((f) => f > 0)).toBe(true);
    }
    expect(await gpu.energies()).toEqual(cpu.energies());
    expect(gpu.sweepsDone).toBe(cpu.sweepsDone);
  } finally {
    gpu.destroy();
  }
}

describe('weights: GPU perceptron sampler is bit-identical to the CPU reference', () => {
  it('teacher labels, 2 datasets × 3 temperature slots, N = 21, P = 30', async () => {
    await compare({ datasets: datasets(21, 30, 7, 2), temperatures: [0.3, 1, 3], seed: 11 }, [
      { sweeps: 25, measureEvery: 1 },
      { sweeps: 17, measureEvery: 4, recordWeights: true },
    ]);
  });

  it('random labels, N = 15, P = 40, 8 replicas with explicit slots and datasetOf, seed above 2^32', async () => {
    await compare(
      {
        datasets: datasets(15, 40, 3, 3, 'random'),
        temperatures: [0.5, 2],
        replicas: 8,
        datasetOf: [0, 1, 2, 0, 1, 2, 2, 1],
        slots: [1, 0, 1, 0, 0, 1, 1, 0],
        seed: 2 ** 40 + 12345,
      },
      [
        { sweeps: 30, measureEvery: 3 },
        { sweeps: 5, measureEvery: 0 },
      ],
    );
  });

  it('P > workgroup size and N not a multiple of 4 or 32 (N = 37, P = 150), Gaussian teacher', async () => {
    await compare(
      { datasets: datasets(37, 150, 19, 1, 'teacher', 'gaussian'), temperatures: [0.8, 1.6], replicas: 4, seed: 5 },
      [{ sweeps: 8, measureEvery: 2 }],
    );
  });

  it('any workgroup size gives the same integers (1, 8, 64 threads; P = 70 > 64)', async () => {
    for (const workgroupSize of [1, 8, 64]) {
      await compare(
        { datasets: datasets(9, 70, 21, 1), temperatures: [0.7, 1.4], replicas: 3, seed: 8 },
        [{ sweeps: 6, measureEvery: 2 }],
        {
          workgroupSize,
        },
      );
    }
  });

  it('many dispatches per batch, many batches per run, ring smaller than the samples', async () => {
    await compare(
      { datasets: datasets(13, 25, 8, 2, 'random'), temperatures: [0.6, 1.2], seed: 4 },
      [
        { sweeps: 23, measureEvery: 3, recordWeights: true },
        { sweeps: 19, measureEvery: 1 },
        { sweeps: 11, measureEvery: 0 },
      ],
      { sweepsPerDispatch: 3, maxSweepsPerBatch: 7, ringSamples: 2 },
    );
  });

  it('given initial weights, tiny N = 3, P = 5, and setSlots/setTemperatures between runs', async () => {
    const ctx = await testGpu();
    const ds = datasets(3, 5, 2, 1, 'random');
    const init = Int8Array.from([1, -1, 1, -1, -1, -1]);
    const config = { datasets: ds, temperatures: [0.4, 1.5], replicas: 2, init, seed: 9 };
    const cpu = new CpuPerceptronSampler(config);
    const gpu = await GpuPerceptronSampler.create(ctx, config);
    try {
      const check = async (opts: { sweeps: number; measureEvery?: number }) => {
        const a = cpu.runSync(opts);
        const b = await gpu.run(opts);
        expect(b.energy).toEqual(a.energy);
        expect(b.teacherDot).toEqual(a.teacherDot);
        expect(b.flips).toEqual(a.flips);
        expect(b.weights).toEqual(a.weights);
      };
      await check({ sweeps: 20 });
      cpu.setSlots([1, 0]);
      gpu.setSlots([1, 0]);
      await check({ sweeps: 20, measureEvery: 2 });
      cpu.setTemperatures([0.2, 5, 1], [2, 1]);
      gpu.setTemperatures([0.2, 5, 1], [2, 1]);
      await check({ sweeps: 20 });
    } finally {
      gpu.destroy();
    }
  });

  it('is deterministic, and a split run equals an unsplit one', async () => {
    const ctx = await testGpu();
    const config = { datasets: datasets(11, 20, 4, 2, 'random'), temperatures: [1], seed: 77 };
    const a = await GpuPerceptronSampler.create(ctx, config);
    const b = await GpuPerceptronSampler.create(ctx, config);
    try {
      const ra = await a.run({ sweeps: 40 });
      const rb = await b.run({ sweeps: 40 });
      expect(rb).toEqual(ra);
      const c = await GpuPerceptronSampler.create(ctx, config);
      try {
        const c1 = await c.run({ sweeps: 15 });
        const c2 = await c.run({ sweeps: 25 });
        expect(Array.from(c1.energy).concat(Array.from(c2.energy))).toEqual(Array.from(ra.energy));
        expect(c2.weights).toEqual(ra.weights);
      } finally {
        c.destroy();
      }
    } finally {
      a.destroy();
      b.destroy();
    }
  });

  it('replica exchange on the GPU: same slots, swaps and trajectories as the CPU (2 datasets × 2 chains × 5 slots)', async () => {
    const D = 2;
    const K = 5;
    const perT = 2;
    const R = D * perT * K;
    const config: PerceptronSamplerConfig = {
      datasets: datasets(21, 30, 5, D),
      replicas: R,
      datasetOf: Array.from({ length: R }, (_, r) => Math.floor(r / (perT * K))),
      temperatures: [0.4, 0.7, 1.2, 2, 3.5],
      slots: Array.from({ length: R }, (_, r) => (r * 3) % K),
      seed: 21,
    };
    await compare(config, [
      { sweeps: 30, measureEvery: 1, exchange: true },
      { sweeps: 5, measureEvery: 1 },
      { sweeps: 19, measureEvery: 3, exchange: true, recordWeights: true },
    ]);
    // Batches split inside the run (small batches and ring), sweeps starting at an odd number.
    await compare(config, [{ sweeps: 3 }, { sweeps: 23, measureEvery: 2, exchange: true }], {
      maxSweepsPerBatch: 5,
      ringSamples: 2,
    });
  });

  it('refuses exchange when the replicas do not form chains of K slots', async () => {
    const ctx = await testGpu();
    const config: PerceptronSamplerConfig = {
      datasets: datasets(7, 9, 1, 1),
      replicas: 4,
      datasetOf: [0, 0, 0, 0],
      temperatures: [0.5, 1],
      slots: [0, 0, 1, 1],
      seed: 1,
    };
    const gpu = await GpuPerceptronSampler.create(ctx, config);
    try {
      await expect(gpu.run({ sweeps: 1, exchange: true })).rejects.toThrow(/each temperature slot once/);
    } finally {
      gpu.destroy();
    }
    expect(() => new CpuPerceptronSampler(config).runSync({ sweeps: 1, exchange: true })).toThrow(
      /each temperature slot once/,
    );
  });

  it('refuses Gaussian inputs with a clear error', async () => {
    const ctx = await testGpu();
    const g = gaussianInputs(11, 10);
    await expect(GpuPerceptronSampler.create(ctx, { datasets: [g], temperatures: [1] })).rejects.toThrow(
      'bit-identity needs binary inputs; use the CPU sampler',
    );
  });
});

/** A dataset with Gaussian inputs (which the GPU perceptron must refuse). */
const gaussianInputs = (N: number, P: number) =>
  generateDataset({ N, P, inputs: 'gaussian', teacher: 'binary', labels: 'teacher', seed: 1, index: 0 });

describe('weights: GPU enumeration of all 2^N binary weight vectors', () => {
  it('gives the same exact g(E) as the CPU enumeration (N = 15 teacher and random labels, N = 5, N = 19 with 32-step Gray walks)', async () => {
    const ctx = await testGpu();
    for (const [N, P, labels] of [
      [15, 20, 'random'],
      [15, 9, 'teacher'],
      [5, 7, 'teacher'],
      [19, 25, 'random'],
    ] as const) {
      const data = generateDataset({ N, P, inputs: 'binary', teacher: 'binary', labels, seed: 13, index: 1 });
      const cpu = enumeratePerceptron(data);
      const gpu = await enumeratePerceptronGpu(ctx, data);
      expect(gpu.dos).toEqual(cpu.dos);
      expect(gpu.groundEnergy).toBe(cpu.groundEnergy);
      expect(gpu.groundDegeneracy).toBe(cpu.groundDegeneracy);
    }
  });

  it('refuses Gaussian inputs and N > 24', async () => {
    const ctx = await testGpu();
    const g = gaussianInputs(7, 5);
    await expect(enumeratePerceptronGpu(ctx, g)).rejects.toThrow(
      'bit-identity needs binary inputs; use the CPU sampler',
    );
    const big = generateDataset({
      N: 25,
      P: 1,
      inputs: 'binary',
      teacher: 'binary',
      labels: 'teacher',
      seed: 1,
      index: 0,
    });
    await expect(enumeratePerceptronGpu(ctx, big)).rejects.toThrow('N <= 24');
  });
});
