/**
 * The two tempering chains of the spin-glass page and the pair it shows: sweeps with exchanges
 * inside each chain (none with one temperature), and which replicas hold the coldest slot.
 */

import type { IsingSampler, RunResult } from '../../../models/ising/sampler.ts';
import { temperingPlan } from '../../../studies/tempering/run.ts';
import type { TemperingPlan } from '../../../tempering/exchange.ts';

/** Sweeps with exchanges inside each chain (none with one temperature); the plan follows the ladder. */
export class ChainSweeper {
  private plan: TemperingPlan | undefined;

  constructor(private readonly sampler: IsingSampler) {
    this.plan = this.makePlan();
  }

  private makePlan(): TemperingPlan | undefined {
    return this.sampler.config.temperatures.length > 1 ? temperingPlan(this.sampler, 1) : undefined;
  }

  sweep(sweeps: number): Promise<RunResult> {
    return this.sampler.run({ sweeps, measureEvery: 1, tempering: this.plan });
  }

  setTemperatures(temperatures: number[]): void {
    this.sampler.setParameters({ temperatures });
    this.plan = this.makePlan();
  }
}

/** The replicas at slot 0 of chain 0 and of chain 1 (replicas 0…K−1 and K…2K−1), from every replica's slot. */
export function coldPair(slots: readonly number[]): [number, number] {
  const K = slots.length / 2;
  const a = slots.findIndex((k, r) => r < K && k === 0);
  const b = slots.findIndex((k, r) => r >= K && k === 0);
  return [a, b];
}

/** The overlap q·N of the coldest pair during each measured sweep (from the permutations under tempering). */
export function coldOverlaps(r: RunResult): number[] {
  const out: number[] = [];
  if (!r.overlap) return out;
  for (let t = 0; t < r.samples; t++) {
    const a = r.permutations ? r.permutations[t * r.replicas] : 0;
    out.push(r.overlap[t * r.replicas + a]);
  }
  return out;
}
