/** Build either backend from one config, for tests that run the same check on GPU and CPU. */
import { expect } from 'vitest';
import { CpuIsingSampler } from '../../src/models/ising/cpu-sampler.ts';
import { GpuIsingSampler } from '../../src/models/ising/gpu-sampler.ts';
import type { IsingSampler } from '../../src/models/ising/sampler.ts';
import type { IsingConfig } from '../../src/models/ising/config.ts';
import { testGpu } from './gpu.ts';

export type Backend = 'gpu' | 'cpu';

export async function makeSampler(backend: Backend, config: IsingConfig): Promise<IsingSampler> {
  return backend === 'gpu' ? GpuIsingSampler.create(await testGpu(), config) : new CpuIsingSampler(config);
}

/** Expect `actual[f]` to equal `expected[f]` for each field (a GPU run's result against the CPU's). */
export function expectSameFields<T extends object>(actual: T, expected: T, fields: readonly (keyof T)[]): void {
  for (const f of fields) expect(actual[f], String(f)).toEqual(expected[f]);
}
