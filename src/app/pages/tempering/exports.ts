/** The tempering page's exports: the curves as CSV (estimates with errors per temperature) and the ladder's state as JSON. */

import type { IsingObservables } from '../../../analysis/index.ts';
import { spinsBase64 } from '../../shared/spin-pixels.ts';
import type { TemperingParams } from './params.ts';

const COLUMNS = ['e', 'c', 'm_abs', 'binder'] as const;

/** One row per ladder temperature: T and each estimate with its error (empty where there is none). */
export function curvesCsv(temperatures: readonly number[], obs: readonly (IsingObservables | null)[]): string {
  const head = ['T', ...COLUMNS.flatMap((c) => [c, `${c}_err`])].join(',');
  const rows = temperatures.map((T, k) => {
    const o = obs[k];
    // Binder's U4 is null where it is 0/0 (every sample at m = 0): empty cells, as before an estimate.
    const cells = (c: (typeof COLUMNS)[number]): (number | string)[] => {
      const x = o?.[c];
      return x ? [x.mean, x.err] : ['', ''];
    };
    return [T, ...COLUMNS.flatMap(cells)].join(',');
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
