/**
 * The cluster updates against exact results on the CPU twin (bit-identical to the GPU kernels,
 * tests/cluster-identity.test.ts): e and c on 8x8 and 16x16 tori against Kaufman, and every observable
 * of a 4x4 torus in a field against enumeration (Swendsen–Wang), each within 4 of the run's own
 * error bars (binning and jackknife with the autocorrelation time accounted for), at fixed seeds.
 */
import { describe, it } from 'vitest';
import { analyzeIsing, zeroFieldSusceptibility } from '../src/analysis/index.ts';
import type { IsingConfig } from '../src/models/ising/config.ts';
import { CpuIsingSampler } from '../src/models/ising/cpu-sampler.ts';
import { enumerateTorus, kaufman } from '../src/physics/index.ts';
import { isingSlotSeries } from '../src/studies/series.ts';
import { expectObservablesWithin, expectWithin } from './helpers/stats.ts';

/** The series of R replicas at one temperature after `thermalize` unmeasured steps. */
async function series(config: IsingConfig & { temperatures: [number] }, thermalize: number, sweeps: number) {
  const sampler = new CpuIsingSampler(config);
  await sampler.run({ sweeps: thermalize, measureEvery: 0 });
  const run = await sampler.run({ sweeps, measureEvery: 1 });
  const { J = 1, h = 0 } = config;
  return isingSlotSeries(run, 1, { J, h, N: config.Lx * config.Ly })[0];
}

async function simulate(config: IsingConfig & { temperatures: [number] }, thermalize: number, sweeps: number) {
  const N = config.Lx * config.Ly;
  return analyzeIsing(await series(config, thermalize, sweeps), { beta: 1 / config.temperatures[0], N });
}

describe('cluster updates against exact results (CPU twin)', () => {
  // Steps at T = 2.0, Tc, 3.0: a Wolff cluster shrinks with T, so more steps make up a sweep.
  for (const [L, algorithm, steps] of [
    [8, 'swendsen-wang', [4000, 4000, 4000]],
    [8, 'wolff', [12000, 12000, 12000]],
    [16, 'swendsen-wang', [3000, 3000, 3000]],
    [16, 'wolff', [4000, 8000, 24000]],
  ] as const) {
    [2.0, 2.269185314, 3.0].forEach((T, k) => {
      it(`${L}x${L} torus, e and c at T = ${T} against Kaufman (${algorithm})`, async () => {
        const config = { Lx: L, Ly: L, replicas: 8, temperatures: [T] as [number], algorithm, seed: 40 };
        const s = await simulate(config, 500, steps[k]);
        const exact = kaufman(L, L, T);
        expectWithin(`e(T=${T})`, s.e, exact.e);
        expectWithin(`c(T=${T})`, s.c, exact.c);
      });
    });
  }

  for (const J of [1, -1]) {
    it(`4x4 torus in a field h = 0.3, J = ${J}, against enumeration (swendsen-wang)`, async () => {
      const T = 2.5;
      const h = 0.3;
      const config = { Lx: 4, Ly: 4, replicas: 16, J, h, temperatures: [T] as [number], seed: 41 };
      const s = await simulate({ ...config, algorithm: 'swendsen-wang' }, 200, 4000);
      const exact = enumerateTorus(4, 4, T, J, h);
      expectObservablesWithin(s, exact);
    });
  }

  for (const [algorithm, J, steps] of [
    ['swendsen-wang', 1, 3000],
    ['swendsen-wang', -1, 3000],
    ['wolff', 1, 8000],
    ['wolff', -1, 8000],
  ] as const) {
    for (const T of [2.5, 4.0]) {
      it(`4x4, h = 0, T = ${T}, J = ${J}: improved and direct chi = beta N <m^2> against enumeration (${algorithm})`, async () => {
        const config = { Lx: 4, Ly: 4, replicas: 8, J, temperatures: [T] as [number], algorithm, seed: 42 };
        const s = await series(config, 200, steps);
        const chi = zeroFieldSusceptibility(s.magnetization, s.clusterMoments!, 1 / T, 16);
        const exact = (16 * enumerateTorus(4, 4, T, J, 0).m2) / T;
        expectWithin('chi improved', chi.improved, exact);
        expectWithin('chi direct', chi.direct, exact);
      });
    }
  }
});
