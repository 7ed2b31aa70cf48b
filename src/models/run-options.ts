/** The run options every sampler (Ising or weights, CPU or GPU) takes, checked in one place. */

export interface SweepOptions {
  sweeps: number;
  /** Measure after every k-th sweep of the run (0: never; default 1). */
  measureEvery?: number;
}

/** Check sweeps and measureEvery; throws RangeError naming the option. */
export function checkSweepOptions(o: SweepOptions): { sweeps: number; measureEvery: number } {
  if (!Number.isInteger(o.sweeps) || o.sweeps < 0)
    throw new RangeError(`sweeps must be an integer >= 0, got ${o.sweeps}`);
  const measureEvery = o.measureEvery ?? 1;
  if (!Number.isInteger(measureEvery) || measureEvery < 0) {
    throw new RangeError(`measureEvery must be an integer >= 0, got ${measureEvery}`);
  }
  return { sweeps: o.sweeps, measureEvery };
}
