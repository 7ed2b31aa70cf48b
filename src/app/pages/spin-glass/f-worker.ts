/// <reference lib="webworker" />
/** Exact free energy per site of small ±J samples (enumeration of all 2^N states), off the page's thread. */

import { seededCouplings } from '../../../models/ising/couplings.ts';
import { glassLnZ } from '../../../physics/glass-enumeration.ts';
import { serveWorker } from '../../shared/worker-channel.ts';
import { GLASS_P } from './runner.ts';

/** Sample `sample` of `seed` on an Lx × Ly torus, f at temperature T. */
export interface ToFreeEnergyWorker {
  Lx: number;
  Ly: number;
  seed: number;
  sample: number;
  T: number;
}

serveWorker(async ({ Lx, Ly, seed, sample, T }: ToFreeEnergyWorker) => {
  const f = (-T * glassLnZ(seededCouplings(Lx, Ly, GLASS_P, seed, sample), T)) / (Lx * Ly);
  return { reply: { f } };
});
