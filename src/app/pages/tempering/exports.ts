/** The tempering page's exports: the curves as CSV (estimates with errors per temperature) and the ladder's state as JSON. */

import type { IsingObservables } from '../../../analysis/index.ts';
import { spinsBase64 } from '../../shared/spin-pixels.ts';
import type { TemperingParams } from './params.ts';

const COLUMNS = ['e', 'c', 'm_abs', 'binder'] as const;

/** One row per ladder temperature: T and each estimate with its error (empty before there is one). */
export function curvesCsv(temperatures: readonly number[], obs: readonly (IsingObservables | null)[]): string {
  const head = ['T', ...COLUMNS.flatMap((c) => [c, `${c}_err`])].join(',');
  const rows = temperatures.map((T, k) => {
    const o = obs[k];
    return [T, ...COLUMNS.flatMap((c): (number | string)[] => (o ? [o[c].mean, o[c].err] : ['', '']))].join(',');
  });
  return `${[head, ...rows].join('\n')}\n`;
}

/** The ladder now: parameters, sweeps, the slot of each replica, and every replica's spins. */
export function ladderJson(
  params: TemperingParams,
  temperatures: readonly number[],
  sweepsDone: number,
  slots: readonly number[],
  spins: Int8Array,
): string {
  return JSON.stringify({
    format: 'ising-webgpu-tempering/1',
    params,
    temperatures,
    sweepsDone,
    slots,
    spins: spinsBase64(spins),
  });
}
