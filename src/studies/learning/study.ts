/**
 * The learning study behind `ising learn` (and, later, the learning pages): Boltzmann sampling of
 * a binary perceptron or a linear model on a temperature ladder, with the exact results beside it,
 * or a learning curve over α beside the replica theory. Typed options in, a typed (JSON-ready)
 * result out.
 */

import { binaryPerceptronLearningCurve } from '../../physics/learning-theory.ts';
import type { Estimate } from '../../analysis/types.ts';
import type { LearnRunOptions } from './options.ts';
import { perceptronExactAny, type PerceptronExactResult } from './exact.ts';
import { learnPerceptron, perceptronDatasets, type PerceptronLearnResult } from './perceptron.ts';
import { learnLinear, type LinearLearnResult } from './linear.ts';

export type LearnModelOptions = LearnRunOptions & {
  /** Number of training examples. */
  P: number;
  /** User temperatures, ascending. */
  temperatures: number[];
  exact: boolean;
} & ({ model: 'perceptron'; data: 'teacher' | 'random' } | { model: 'linear'; lambda: number; noise: number });

export type LearnModelResult = { adapter: string } & (
  | (PerceptronLearnResult & { exact: PerceptronExactResult | null })
  | LinearLearnResult
) & { seconds: number };

/** Sampling of one model at one P on a ladder (perceptron: the exact enumeration first, when asked). */
export async function learnModelStudy(o: LearnModelOptions): Promise<LearnModelResult> {
  const t0 = performance.now();
  let result: (PerceptronLearnResult & { exact: PerceptronExactResult | null }) | LinearLearnResult;
  if (o.model === 'perceptron') {
    // Exact results first (a dataset beyond the enumeration's reach fails before sampling): the
    // enumeration of dataset 0, the one learnPerceptron samples with --samples 1.
    const dataset = () => perceptronDatasets(o.N, o.P, o.data, o.inputs, o.seed, 1)[0];
    const exact = o.exact
      ? await perceptronExactAny(dataset(), o.temperatures, { backend: o.backend, device: o.device })
      : null;
    result = { ...(await learnPerceptron(o)), exact };
  } else {
    result = await learnLinear(o);
  }
  const { adapter, ...rest } = result; // adapter first in the JSON
  return { adapter, ...rest, seconds: (performance.now() - t0) / 1000 };
}

export interface LearningCurveOptions extends LearnRunOptions {
  alphas: number[];
  T: number;
  data: 'teacher' | 'random';
}

export interface LearningCurveResult {
  model: 'perceptron';
  N: number;
  T: number;
  alphas: number[];
  /** Examples at each α: round(α N), at least 1. */
  P: number[];
  gen_error: Estimate[];
  theory: number[];
  theory_name: string;
  adapter: string;
  seconds: number;
}

const CURVE_THEORY =
  'binaryPerceptronLearningCurve: binary weights, binary teacher, Gaussian inputs, Gibbs learning at T = 0, N -> infinity (replica symmetric, stable branch; 0 beyond the first-order transition alpha ~ 1.245)';

/** The perceptron's generalisation error over α at one temperature, beside the replica theory. */
export async function learningCurveStudy(o: LearningCurveOptions): Promise<LearningCurveResult> {
  const t0 = performance.now();
  const gen: Estimate[] = [];
  const examples: number[] = [];
  for (let i = 0; i < o.alphas.length; i++) {
    const P = Math.max(1, Math.round(o.alphas[i] * o.N));
    examples.push(P);
    const checkpoint = o.checkpoint && { session: o.checkpoint.session, key: `${o.checkpoint.key}, alpha ${i + 1}` };
    const r = await learnPerceptron({ ...o, P, temperatures: [o.T], onProgress: undefined, checkpoint });
    gen.push(r.gen_error[0]);
    o.onProgress?.(i + 1, o.alphas.length);
  }
  return {
    model: 'perceptron',
    N: o.N,
    T: o.T,
    alphas: o.alphas,
    P: examples,
    gen_error: gen,
    theory: Array.from(binaryPerceptronLearningCurve(o.alphas)),
    theory_name: CURVE_THEORY,
    adapter: 'cpu reference',
    seconds: (performance.now() - t0) / 1000,
  };
}
