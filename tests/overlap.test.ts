/**
 * The replica overlap of `ising learn`: q = w·w'/N between two independent chains at the same β,
 * and its histogram P(q). For N = 9 the exact ⟨q⟩ = (1/N) Σ_i ⟨w_i⟩² (two independent replicas: the
 * pair distribution factorises) comes from enumerating all 2^9 weight vectors; the sampled ⟨q⟩
 * (overlap_replicas, binned error bar) agrees within 4σ at every T, and P(q) is normalised with one
 * bin per q value and a mean equal to overlap_replicas.
 */
import { describe, expect, it } from 'vitest';
import { parseFlags } from '../src/cli/args.ts';
import * as learnCmd from '../src/cli/commands/learn.ts';
import type { LearnCommandResult } from '../src/cli/commands/learn.ts';
import { generateDataset } from '../src/models/weights/datasets.ts';
import { trainingErrors } from '../src/models/weights/perceptron.ts';
import { overlapHistogram } from '../src/studies/learning/perceptron.ts';
import { learnReport, sparkline } from '../src/cli/reports.ts';

async function learn(argv: string[]): Promise<Record<string, any>> {
  return (await learnCmd.learn(parseFlags('learn', learnCmd.flags, [...argv, '--quiet']))) as Record<string, any>;
}

/** Exact ⟨q⟩ of two independent replicas at β, by enumeration. */
function exactMeanOverlap(N: number, X: Float64Array, y: Float64Array, beta: number): number {
  const m = new Float64Array(N);
  let Z = 0;
  const w = new Int8Array(N);
  for (let s = 0; s < 2 ** N; s++) {
    for (let i = 0; i < N; i++) w[i] = (s >> i) & 1 ? 1 : -1;
    const p = Math.exp(-beta * trainingErrors(w, X, y, N));
    Z += p;
    for (let i = 0; i < N; i++) m[i] += p * w[i];
  }
  let q = 0;
  for (let i = 0; i < N; i++) q += (m[i] / Z) ** 2;
  return q / N;
}

describe('replica overlap q and P(q) of ising learn (N = 9, exact by enumeration)', () => {
  it('⟨q⟩ within 4σ of the exact value at every T; P(q) normalised, one bin per q value, mean = overlap_replicas', async () => {
    const N = 9;
    const seed = 5;
    const r = await learn(
      [
        '--N',
        String(N),
        '--P',
        '9',
        '--Tmin',
        '0.3',
        '--Tmax',
        '3',
        '--K',
        '5',
        '--replicas-per-T',
        '2',
        '--samples',
        '1',
      ].concat(['--sweeps', '20000', '--thermalize', '500', '--seed', String(seed), '--json']),
    );
    const data = generateDataset({ N, P: 9, inputs: 'binary', teacher: 'binary', labels: 'teacher', seed, index: 0 });
    const temps: number[] = r.temperatures;
    const hist = r.overlap_histogram as { edges: number[]; p: number[][] };
    expect(hist.edges.length).toBe(N + 2);
    temps.forEach((T, k) => {
      const exact = exactMeanOverlap(N, data.X, data.y, 1 / T);
      const est = r.overlap_replicas[k] as { mean: number; err: number };
      expect(est.err).toBeGreaterThan(0);
      expect(Math.abs(est.mean - exact), `T = ${T}: ⟨q⟩ ${est.mean} ± ${est.err}, exact ${exact}`).toBeLessThan(
        4 * est.err,
      );
      const p = hist.p[k];
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      const centers = p.map((_, b) => (hist.edges[b] + hist.edges[b + 1]) / 2);
      expect(p.reduce((a, pb, b) => a + pb * centers[b], 0)).toBeCloseTo(est.mean, 9);
    });
    // Cold: concentrated near q = 1 (frozen into the few ground states); hot: near 0.
    expect(r.overlap_replicas[0].mean).toBeGreaterThan(r.overlap_replicas[temps.length - 1].mean + 0.3);
    // The human report: a row per temperature, then P(q) as one bar per bin, per temperature.
    const report = learnReport(r as LearnCommandResult)!.split('\n');
    const pq = report.filter((l) => /^ {2}T = /.test(l));
    expect(pq.length).toBe(temps.length);
    for (const l of pq) expect(l.split('|')[1].length).toBe(N + 1);
    expect(report.filter((l) => /^\s*[\d.]+\s+[\d.]+ ± /.test(l)).length).toBe(temps.length);
  });

  it('sparkline: bar heights relative to the largest bin', () => {
    expect(sparkline([0, 0.5, 1])).toBe(' ▄█');
    expect(sparkline([0, 0])).toBe('  ');
  });

  it('overlapHistogram: one bin per value for N + 1 <= 41, 40 equal bins beyond, q = 1 in the last bin', () => {
    const h = overlapHistogram(3, [[Float64Array.of(-1, -1 / 3, 1 / 3, 1, 1)]]);
    expect(h.edges.map((e) => +e.toFixed(6))).toEqual([-4 / 3, -2 / 3, 0, 2 / 3, 4 / 3].map((e) => +e.toFixed(6)));
    expect(h.p[0]).toEqual([0.2, 0.2, 0.2, 0.4]);
    const big = overlapHistogram(101, [[Float64Array.of(1, -1, 0.01)]]);
    expect(big.edges.length).toBe(41);
    expect(big.p[0][39]).toBeCloseTo(1 / 3, 12);
    expect(big.p[0][0]).toBeCloseTo(1 / 3, 12);
    expect(big.p[0][20]).toBeCloseTo(1 / 3, 12);
  });
});
