/** Visit counts of every configuration of a small torus, for the chi-square tests of detailed balance. */
import type { IsingConfig } from '../../src/models/ising/config.ts';
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
