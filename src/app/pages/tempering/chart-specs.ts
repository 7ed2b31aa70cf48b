/** What the tempering page plots: e, c, |m| and U4 against T, each with its exact curves. */

import { TC } from '../../../physics/constants.ts';
import { kaufman } from '../../../physics/kaufman.ts';
import { onsagerEnergy, spontaneousMagnetization } from '../../../physics/onsager.ts';
import type { ChartSpec } from './charts.ts';

/** Colour of the Monte Carlo points. */
export const MC_COLOR = '#ffb020';

/** The four charts at lattice size L: Monte Carlo points against Onsager (L = ∞) and Kaufman (this L). */
export function chartSpecs(L: number): ChartSpec[] {
  const exactL = (T: number): { e: number; c: number } => kaufman(L, L, T);
  const mc = { label: `MC, L = ${L}`, color: MC_COLOR };
  return [
    {
      id: 'plot-e',
      title: 'energy per site e(T)',
      mc,
      exact: [
        { label: 'Onsager, L = ∞', color: '#7f8fa6', dash: [6, 4], f: (T) => onsagerEnergy(T) },
        { label: `Kaufman, L = ${L}`, color: '#4fc3f7', f: (T) => exactL(T).e },
      ],
    },
    {
      id: 'plot-c',
      title: 'specific heat per site c(T)',
      mc,
      exact: [{ label: `Kaufman, L = ${L}`, color: '#4fc3f7', f: (T) => exactL(T).c }],
      include: [0],
    },
    {
      id: 'plot-m',
      title: 'magnetisation per site <|m|>(T)',
      mc,
      exact: [{ label: 'spontaneous, L = ∞', color: '#7f8fa6', dash: [6, 4], f: (T) => spontaneousMagnetization(T) }],
      include: [0, 1],
    },
    {
      id: 'plot-u4',
      title: 'Binder cumulant U4(T)',
      mc,
      exact: [
        { label: 'L = ∞: 2/3 below Tc, 0 above', color: '#7f8fa6', dash: [6, 4], f: (T) => (T < TC ? 2 / 3 : 0) },
      ],
      include: [0, 2 / 3],
    },
  ];
}
