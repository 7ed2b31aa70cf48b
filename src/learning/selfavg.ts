/**
 * Self-averaging of the perceptron free energy: for each N, f = −T ln Z/N of `samples` teacher
 * datasets (P = round(α N)), exact by enumeration (N ≤ 20), with its mean and standard deviation
 * across datasets, and the exponent a of std ∝ N^(−a) fitted by least squares in log–log
 * (a ≈ 1/2 for a self-averaging quantity).
 */

import { enumeratePerceptron, logZ, MAX_ENUMERATION_N } from '../models/weights/enumeration.ts';
import type { InputKind } from '../models/weights/datasets.ts';
import { checkPerceptronN } from '../models/weights/perceptron.ts';
import { perceptronDatasets } from './perceptron.ts';
import { powerLawFit } from './estimates.ts';

export interface SelfAverageRow {
  N: number;
  P: number;
  f: number[];
  mean: number;
  std: number;
  /** Standard error of std (≈ std/√(2(n−1)) for a near-Gaussian distribution). */
  std_err: number;
}

export function selfAverage(o: {
  Ns: number[];
  alpha: number;
  T: number;
  samples: number;
  seed: number;
  data: 'teacher' | 'random';
  inputs: InputKind;
  onProgress?: (done: number, total: number) => void;
}): { rows: SelfAverageRow[]; exponent: { a: number; err: number } | null } {
  const rows: SelfAverageRow[] = [];
  let done = 0;
  for (const N of o.Ns) {
    checkPerceptronN(N);
    if (N > MAX_ENUMERATION_N) throw new RangeError(`enumeration needs N <= ${MAX_ENUMERATION_N}, got ${N}`);
    const P = Math.round(o.alpha * N);
    const f = perceptronDatasets(N, P, o.data, o.inputs, o.seed, o.samples).map((d) => (-o.T * logZ(enumeratePerceptron(d), 1 / o.T)) / N);
    const n = f.length;
    const mean = f.reduce((s, v) => s + v, 0) / n;
    const std = n > 1 ? Math.sqrt(f.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0;
    rows.push({ N, P, f, mean, std, std_err: n > 1 ? std / Math.sqrt(2 * (n - 1)) : 0 });
    done++;
    o.onProgress?.(done, o.Ns.length);
  }
  const usable = rows.filter((r) => r.std > 0);
  const exponent =
    usable.length >= 2
      ? (() => {
          const fit = powerLawFit(usable.map((r) => r.N), usable.map((r) => r.std));
          return { a: fit.a, err: fit.aErr };
        })()
      : null;
  return { rows, exponent };
}
