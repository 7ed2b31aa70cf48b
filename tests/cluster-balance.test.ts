/**
 * Detailed balance of the cluster updates, GPU and CPU: every configuration of 2x2 and 4x2 tori is
 * a bin (on 4x4 the (bond sum, M) classes), and the visit counts of Swendsen–Wang (h = 0 and h ≠ 0, J = ±1) and Wolff (h = 0, J = ±1) are
 * compared with the exact Boltzmann distribution by chi-square at a fixed seed. The same data must
 * reject a wrong temperature, so each test has the power to fail.
 */
import { describe, expect, it } from 'vitest';
import { chiSquareGoodnessOfFit } from '../src/analysis/index.ts';
import type { ClusterAlgorithm } from '../src/models/ising/config.ts';
import { boltzmannProbabilities } from '../src/physics/index.ts';
import { classesOf4x4, stateCounts } from './helpers/balance.ts';
import { makeSampler, type Backend } from './helpers/samplers.ts';

const T = 2.5;
const P_MIN = 1e-3;

const cases: { algorithm: ClusterAlgorithm; J: number; h: number }[] = [
  { algorithm: 'swendsen-wang', J: 1, h: 0 },
  { algorithm: 'swendsen-wang', J: 1, h: 0.3 },
  { algorithm: 'swendsen-wang', J: -1, h: 0.3 },
  { algorithm: 'wolff', J: 1, h: 0 },
  { algorithm: 'wolff', J: -1, h: 0 },
];

describe('cluster updates visit states with Boltzmann weights (chi-square)', () => {
  for (const backend of ['gpu', 'cpu'] as Backend[]) {
    for (const { algorithm, J, h } of cases) {
      for (const [Lx, Ly] of [
        [2, 2],
        [4, 2],
      ] as const) {
        it(`${Lx}x${Ly}, ${algorithm}, J = ${J}, h = ${h}, ${backend}`, async () => {
          const config = {
            Lx,
            Ly,
            replicas: 64,
            temperatures: [T],
            J,
            h,
            algorithm,
            seed: backend === 'gpu' ? 32 : 31,
          };
          // A Wolff step flips one cluster: thin by more steps than a Swendsen–Wang sweep.
          const counts = await stateCounts(backend, config, algorithm === 'wolff' ? 4 : 2);
          const fit = chiSquareGoodnessOfFit(counts, Array.from(boltzmannProbabilities(Lx, Ly, T, J, h)));
          expect(fit.pValue, `chi2 = ${fit.chi2} with ${fit.dof} dof`).toBeGreaterThan(P_MIN);
          const wrong = chiSquareGoodnessOfFit(counts, Array.from(boltzmannProbabilities(Lx, Ly, T * 1.25, J, h)));
          expect(wrong.pValue).toBeLessThan(1e-6);
        });
      }
    }
  }

  for (const backend of ['gpu', 'cpu'] as Backend[]) {
    for (const { algorithm, J, h } of [cases[1], cases[2], cases[3]]) {
      it(`4x4 (bonds, M) classes, ${algorithm}, J = ${J}, h = ${h}, ${backend}`, async () => {
        const config = { Lx: 4, Ly: 4, replicas: 32, temperatures: [T], J, h, algorithm, seed: 33 };
        const sampler = await makeSampler(backend, config);
        await sampler.run({ sweeps: 20, measureEvery: 0 });
        const run = await sampler.run({ sweeps: 600, measureEvery: algorithm === 'wolff' ? 4 : 2 });
        sampler.destroy();
        const { observed, weights } = classesOf4x4(run, T, J, h);
        const fit = chiSquareGoodnessOfFit(observed, weights());
        expect(fit.pValue, `chi2 = ${fit.chi2} with ${fit.dof} dof`).toBeGreaterThan(P_MIN);
        expect(chiSquareGoodnessOfFit(observed, weights(T * 1.1)).pValue).toBeLessThan(1e-6);
      });
    }
  }
});
