/**
 * Monte Carlo against exact results, each within 4 of the estimate's own error bars (binning and
 * jackknife with the autocorrelation time accounted for), at fixed seeds. Replicas are the batch
 * dimension: all temperatures of a lattice run in one GPU sampler, R replicas each.
 */
import { describe, it } from 'vitest';
import { analyzeIsing } from '../src/analysis/index.ts';
import { enumerateTorus, kaufman, spontaneousMagnetization } from '../src/physics/index.ts';
import type { RunResult } from '../src/models/ising/sampler.ts';
import { energyPerSite, type IsingConfig } from '../src/models/ising/config.ts';
import { makeSampler, type Backend } from './helpers/samplers.ts';
import { expectObservablesWithin, expectWithin } from './helpers/stats.ts';

/** Per-slot analysis of a run in which replica r sits in temperature slot r mod K. */
function analyseSlots(run: RunResult, config: IsingConfig & { temperatures: number[] }) {
  const { Lx, Ly, J = 1, h = 0, temperatures } = config;
  const N = Lx * Ly;
  const K = temperatures.length;
  return temperatures.map((T, k) => {
    const energy: Float64Array[] = [];
    const magnetization: Float64Array[] = [];
    for (let r = k; r < run.replicas; r += K) {
      const e = new Float64Array(run.samples);
      const m = new Float64Array(run.samples);
      for (let s = 0; s < run.samples; s++) {
        const i = s * run.replicas + r;
        e[s] = energyPerSite(run.bonds[i], run.magnetization[i], J, h, N);
        m[s] = run.magnetization[i] / N;
      }
      energy.push(e);
      magnetization.push(m);
    }
    return analyzeIsing({ energy, magnetization }, { beta: 1 / T, N });
  });
}

async function simulate(
  backend: Backend,
  config: IsingConfig & { temperatures: number[] },
  thermalize: number,
  sweeps: number,
) {
  const sampler = await makeSampler(backend, config);
  await sampler.run({ sweeps: thermalize, measureEvery: 0 });
  const run = await sampler.run({ sweeps, measureEvery: 1 });
  sampler.destroy();
  return analyseSlots(run, config);
}

describe('Monte Carlo against exact results', () => {
  for (const [L, algorithm] of [
    [6, 'metropolis'],
    [8, 'heatbath'],
  ] as const) {
    it(`${L}x${L} torus, e and c at T = 2.0, Tc, 3.0 against Kaufman (${algorithm}, GPU)`, async () => {
      const temperatures = [2.0, 2.269185314, 3.0];
      const config = { Lx: L, Ly: L, replicas: 3 * 16, temperatures, algorithm, seed: 2024 + L };
      const stats = await simulate('gpu', config, 1000, 6000);
      temperatures.forEach((T, k) => {
        const exact = kaufman(L, L, T);
        expectWithin(`e(T=${T})`, stats[k].e, exact.e);
        expectWithin(`c(T=${T})`, stats[k].c, exact.c);
      });
    });
  }

  it('6x6 torus against Kaufman on the CPU reference too', async () => {
    const temperatures = [2.5];
    const stats = await simulate('cpu', { Lx: 6, Ly: 6, replicas: 8, temperatures, seed: 5 }, 1000, 10000);
    const exact = kaufman(6, 6, 2.5);
    expectWithin('e', stats[0].e, exact.e);
    expectWithin('c', stats[0].c, exact.c);
  });

  for (const backend of ['gpu', 'cpu'] as const) {
    it(`4x4 torus in a field h = 0.3 against enumeration (${backend})`, async () => {
      const T = 2.5;
      const h = 0.3;
      const [s] = await simulate(backend, { Lx: 4, Ly: 4, replicas: 32, temperatures: [T], h, seed: 77 }, 500, 4000);
      const exact = enumerateTorus(4, 4, T, 1, h);
      expectObservablesWithin(s, exact);
    });
  }

  it('|m| well below Tc on a 64x64 lattice against Onsager-Yang (cold start)', async () => {
    const T = 1.8;
    const [s] = await simulate(
      'gpu',
      { Lx: 64, Ly: 64, replicas: 4, temperatures: [T], init: 'cold', seed: 9 },
      200,
      1500,
    );
    expectWithin('|m|', s.m_abs, spontaneousMagnetization(T));
  });
});
