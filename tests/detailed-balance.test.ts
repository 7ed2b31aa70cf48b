/**
 * Detailed balance in practice: the states visited by the samplers are Boltzmann-distributed.
 * On 2x2 and 4x2 tori every configuration is a bin; on 4x4 the bins are (bond sum,
 * magnetisation) classes. Samples are thinned (every THIN sweeps, many independent replicas) so
 * that they are close to independent, and compared with the exact distribution by a chi-square
 * test at a fixed seed. Each test also checks that the same data reject a wrong temperature, so
 * the test has the power to fail.
 */
import { describe, expect, it } from 'vitest';
import { chiSquareGoodnessOfFit } from '../src/analysis/index.ts';
import { boltzmannProbabilities } from '../src/physics/index.ts';
import { classesOf4x4, stateCounts } from './helpers/balance.ts';
import { makeSampler } from './helpers/samplers.ts';

const T = 2.5;
const H = 0.3;
const THIN = 6;
const P_MIN = 1e-3;

describe('visited states follow the Boltzmann distribution (chi-square, h != 0)', () => {
  for (const backend of ['gpu', 'cpu'] as const) {
    for (const algorithm of ['metropolis', 'heatbath'] as const) {
      for (const [Lx, Ly] of [
        [2, 2],
        [4, 2],
      ] as const) {
        it(`${Lx}x${Ly} torus, every configuration, ${algorithm}, ${backend}`, async () => {
          const seed = backend === 'gpu' ? 11 : 12;
          const config = { Lx, Ly, replicas: 64, temperatures: [T], h: H, algorithm, seed };
          const counts = await stateCounts(backend, config, THIN);
          const fit = chiSquareGoodnessOfFit(counts, Array.from(boltzmannProbabilities(Lx, Ly, T, 1, H)));
          expect(fit.pValue, `chi2 = ${fit.chi2} with ${fit.dof} dof`).toBeGreaterThan(P_MIN);
          const wrong = chiSquareGoodnessOfFit(counts, Array.from(boltzmannProbabilities(Lx, Ly, T * 1.25, 1, H)));
          expect(wrong.pValue).toBeLessThan(1e-6);
        });
      }

      it(`4x4 torus, (bonds, M) classes, ${algorithm}, ${backend}`, async () => {
        const R = 64;
        const sampler = await makeSampler(backend, {
          Lx: 4,
          Ly: 4,
          replicas: R,
          temperatures: [T],
          h: H,
          algorithm,
          seed: backend === 'gpu' ? 21 : 22,
        });
        await sampler.run({ sweeps: 60, measureEvery: 0 });
        const run = await sampler.run({ sweeps: THIN * 300, measureEvery: THIN });
        sampler.destroy();
        const { observed, weights: probs } = classesOf4x4(run, T, 1, H);
        const fit = chiSquareGoodnessOfFit(observed, probs(T));
        expect(fit.pValue, `chi2 = ${fit.chi2} with ${fit.dof} dof`).toBeGreaterThan(P_MIN);
        expect(chiSquareGoodnessOfFit(observed, probs(T * 1.1)).pValue).toBeLessThan(1e-6);
      });
    }
  }
});
