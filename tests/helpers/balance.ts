/** Visit counts of small tori and their exact probabilities, for the chi-square tests of detailed balance. */
import { expect } from 'vitest';
import type { IsingConfig } from '../../src/models/ising/config.ts';
import type { RunResult } from '../../src/models/ising/sampler.ts';
import { densityOfStates } from '../../src/physics/index.ts';
import { makeSampler, type Backend } from './samplers.ts';

/** Counts of each configuration (bit i = site i up) over all replicas, sampled every `thin` sweeps. */
export async function stateCounts(
  backend: Backend,
  config: IsingConfig,
  thin: number,
  samples = 160,
  thermalize = 60,
): Promise<number[]> {
  const R = config.replicas ?? 1;
  const N = config.Lx * config.Ly;
  const sampler = await makeSampler(backend, config);
  await sampler.run({ sweeps: thermalize, measureEvery: 0 });
  const counts = new Array<number>(2 ** N).fill(0);
  for (let k = 0; k < samples; k++) {
    await sampler.run({ sweeps: thin, measureEvery: 0 });
    const spins = await sampler.spins();
    for (let r = 0; r < R; r++) {
      let index = 0;
      for (let i = 0; i < N; i++) if (spins[r * N + i] > 0) index |= 1 << i;
      counts[index]++;
    }
  }
  sampler.destroy();
  return counts;
}

/** The (bond sum, magnetisation) classes of the 4x4 torus: visits of each in a run, and exact weights. */
export function classesOf4x4(run: RunResult, T: number, J: number, h: number) {
  const dos = densityOfStates(4, 4);
  const key = (b: number, m: number): string => `${b},${m}`;
  const bin = new Map(dos.map((d, i) => [key(d.bonds, d.magnetization), i]));
  const observed = new Array<number>(dos.length).fill(0);
  for (let i = 0; i < run.bonds.length; i++) {
    const j = bin.get(key(run.bonds[i], run.magnetization[i]));
    expect(j, `visited an impossible class ${key(run.bonds[i], run.magnetization[i])}`).toBeDefined();
    observed[j!]++;
  }
  /** Unnormalised Boltzmann weights of the classes at temperature `temp`. */
  const weights = (temp: number = T): number[] => {
    const logw = dos.map((d) => Math.log(d.count) + (J * d.bonds + h * d.magnetization) / temp);
    const top = Math.max(...logw);
    return logw.map((l) => Math.exp(l - top));
  };
  return { observed, weights };
}
