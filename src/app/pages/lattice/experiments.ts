/**
 * The lattice page's one-click experiments (also URLs: #exp=quench …), without the DOM: what each
 * sets up, the schedule of T or h it follows, and what it measures for its plot.
 *
 * - quench: a hot (random) lattice dropped below Tc; domains coarsen, their size ℓ ≈ 4/(e − e_eq)
 *   (walls of broken bonds, 2 per site per unit of 1/ℓ, each costing 2 in e) grows like √t.
 * - critical: sit at Tc; m wanders between the ordered states (its time series).
 * - heat: from ordered at T = 1.5, T rises in steps through Tc; each plateau's mean e and |m|
 *   (second half, after relaxing) against Onsager's e(T) and the spontaneous m(T).
 * - hysteresis: below Tc, h runs a triangle +1 → −1 → +1; m(h) traces the loop.
 */

import { TC } from '../../../physics/constants.ts';
import type { Algorithm } from '../../../models/ising/config.ts';
import type { InitName } from './params.ts';

export const EXPERIMENT_NAMES = ['quench', 'critical', 'heat', 'hysteresis'] as const;
export type ExperimentName = (typeof EXPERIMENT_NAMES)[number];

export interface Experiment {
  title: string;
  /** One sentence: what happens and what to look at. */
  text: string;
  /**
   * The state it starts from (the lattice is reset), and its algorithm: the others follow the local
   * (single-spin) dynamics, so they take Metropolis when a cluster update was chosen.
   */
  setup: { T: number; h: number; init: InitName; alg?: Algorithm };
}

/** T steps of the heating run: plateaus of `plateau` sweeps from T0 to T1 by dT. */
export const HEAT = { T0: 1.5, T1: 3.5, dT: 0.1, plateau: 200 } as const;
/** The field cycle: at temperature T, h from +amplitude to −amplitude and back in `period` sweeps. */
export const CYCLE = { T: 1.8, amplitude: 1, period: 800 } as const;
/** The quench's temperature (well below Tc, domains still fluctuate). */
const QUENCH_T = 1.5;

export const EXPERIMENTS: Record<ExperimentName, Experiment> = {
  quench: {
    title: 'Quench',
    text: `A random (infinitely hot) lattice is dropped to T = ${QUENCH_T}, below Tc: domains of aligned spins grow and merge, their size ℓ growing like √t (dashed).`,
    setup: { T: QUENCH_T, h: 0, init: 'hot' },
  },
  critical: {
    title: 'Sit at Tc',
    text: 'At T = Tc clusters of every size flicker at once, from single spins to the whole lattice, and the magnetisation m wanders between up and down (Swendsen–Wang updates, which do not slow down at Tc).',
    setup: { T: TC, h: 0, init: 'hot', alg: 'swendsen-wang' },
  },
  heat: {
    title: 'Heat through Tc',
    text: `From ordered at T = ${HEAT.T0}, T rises by ${HEAT.dT} every ${HEAT.plateau} sweeps to ${HEAT.T1}: |m| melts near Tc, and the measured e and |m| (dots) follow Onsager’s exact curves (lines).`,
    setup: { T: HEAT.T0, h: 0, init: 'cold' },
  },
  hysteresis: {
    title: 'Field cycle',
    text: `Below Tc (T = ${CYCLE.T}) the field h runs from +${CYCLE.amplitude} to −${CYCLE.amplitude} and back every ${CYCLE.period} sweeps: m lags behind h and traces a hysteresis loop.`,
    setup: { T: CYCLE.T, h: CYCLE.amplitude, init: 'cold' },
  },
};

export function isExperiment(name: string): name is ExperimentName {
  return (EXPERIMENT_NAMES as readonly string[]).includes(name);
}

/** Number of plateaus of the heating run. */
export const HEAT_STEPS = Math.round((HEAT.T1 - HEAT.T0) / HEAT.dT) + 1;

/** The plateau holding sweep `sweep` (the last one after the run). */
export function heatStep(sweep: number): number {
  return Math.min(HEAT_STEPS - 1, Math.floor(sweep / HEAT.plateau));
}

/** The temperature of the heating run at sweep `sweep`. */
export function heatTemperature(sweep: number): number {
  return Number((HEAT.T0 + heatStep(sweep) * HEAT.dT).toFixed(6));
}

/** The field of the cycle at sweep `sweep`: a triangle wave starting at +amplitude. */
export function cycleField(sweep: number): number {
  const u = (sweep % CYCLE.period) / CYCLE.period;
  return CYCLE.amplitude * (u < 0.5 ? 1 - 4 * u : 4 * u - 3);
}

/** Domain size from the energy above equilibrium (NaN when there is no excess). */
export function domainLength(e: number, eEquilibrium: number): number {
  const excess = e - eEquilibrium;
  return excess > 0 ? 4 / excess : NaN;
}

/** Per plateau of the heating run: means of e and |m| over its second half (the first relaxes). */
export class PlateauMeans {
  private readonly sums = Array.from({ length: HEAT_STEPS }, () => ({ n: 0, e: 0, m: 0 }));

  /** A measurement after sweep `sweep` (sweeps done). */
  add(sweep: number, e: number, mAbs: number): void {
    const inPlateau = (sweep - 1) % HEAT.plateau;
    if (sweep < 1 || sweep > HEAT_STEPS * HEAT.plateau || inPlateau < HEAT.plateau / 2) return;
    const s = this.sums[heatStep(sweep - 1)];
    s.n++;
    s.e += e;
    s.m += mAbs;
  }

  /** Temperatures with at least one measurement, and their means. */
  points(): { T: number[]; e: number[]; m: number[] } {
    const out = { T: [] as number[], e: [] as number[], m: [] as number[] };
    this.sums.forEach((s, k) => {
      if (!s.n) return;
      out.T.push(Number((HEAT.T0 + k * HEAT.dT).toFixed(6)));
      out.e.push(s.e / s.n);
      out.m.push(s.m / s.n);
    });
    return out;
  }
}
