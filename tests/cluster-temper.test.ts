/**
 * Parallel tempering with cluster updates between exchanges (temperStudy, `ising temper
 * --algorithm`): the GPU run equals the CPU twin's (energies, swaps, round trips), and the energies
 * on an 8x8 ladder agree with Kaufman within 4 of their error bars.
 */
import { describe, expect, it } from 'vitest';
import { kaufman } from '../src/physics/index.ts';
import { temperStudy, type TemperStudyOptions } from '../src/studies/tempering/study.ts';
import { testGpu } from './helpers/gpu.ts';
import { expectSameFields } from './helpers/samplers.ts';
import { expectWithin } from './helpers/stats.ts';

const base: TemperStudyOptions = {
  L: 6,
  ladder: { kind: 'geometric', Tmin: 2.0, Tmax: 3.0, K: 4 },
  replicasPerT: 2,
  sweeps: 150,
  thermalize: 20,
  exchangeEvery: 1,
  tail: 0,
  J: 1,
  seed: 5,
};

describe('tempering with cluster updates', () => {
  for (const algorithm of ['swendsen-wang', 'wolff'] as const) {
    it(`${algorithm}: GPU equals the CPU twin`, async () => {
      const ctx = await testGpu();
      const gpu = await temperStudy({ ...base, algorithm, device: { ctx, kernel: 'checkerboard-u32' } });
      const cpu = await temperStudy({ ...base, algorithm });
      expect(gpu.algorithm).toBe(algorithm);
      expectSameFields(gpu, cpu, ['e', 'm2', 'swap_acceptance', 'round_trips', 'temperatures']);
      expect(gpu.swap_acceptance.every((a) => a > 0)).toBe(true);
    });
  }

  it('swendsen-wang on an 8x8 ladder: e against Kaufman (CPU)', async () => {
    const r = await temperStudy({
      ...base,
      L: 8,
      replicasPerT: 4,
      sweeps: 3000,
      thermalize: 200,
      algorithm: 'swendsen-wang',
    });
    r.temperatures.forEach((T, k) => {
      expectWithin(`e(T=${T.toFixed(3)})`, r.e[k], kaufman(8, 8, T).e);
    });
  });
});
