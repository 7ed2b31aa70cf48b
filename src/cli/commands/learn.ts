/**
 * `ising learn`: Boltzmann sampling of learning machines (binary perceptron, linear model) on a
 * temperature ladder: training loss, generalisation error, overlaps, ln Z by thermodynamic
 * integration, optionally beside exact enumeration; `--curve` draws a learning curve beside theory.
 */

import { LEARN_T_MAX, LEARN_T_MIN } from '../../studies/learning/options.ts';
import { geometricLadder } from '../../tempering/ladder.ts';
import { MAX_ENUMERATION_N } from '../../models/weights/enumeration.ts';
import { MAX_GPU_ENUMERATION_N } from '../../models/weights/gpu-enumeration.ts';
import { enumerationLimit, enumerationReach } from '../../studies/learning/exact.ts';
import { LEARN_BACKENDS } from '../../studies/learning/backends.ts';
import {
  learningCurveStudy,
  learnModelStudy,
  type LearningCurveResult,
  type LearnModelResult,
} from '../../studies/learning/study.ts';
import { defineFlags, UsageError, type ParsedFlags } from '../args.ts';
import { FLAGS, lazyNodeDevice, progressReporter } from '../common.ts';
import { CHECKPOINT_FLAGS } from '../checkpoint.ts';
import { NO_CHECKPOINT, type Checkpointer } from '../../studies/checkpoint.ts';

export const summary =
  'Boltzmann sampling of learning machines: binary perceptron (weights +-1, energy = training errors) or the ' +
  'linear model (continuous weights, squared loss + lambda |w|^2), with replica exchange on a ladder. Prints ' +
  'train loss, generalisation error, teacher and replica overlaps, ln Z by thermodynamic integration, and with ' +
  `--exact the enumeration (perceptron, N <= ${MAX_ENUMERATION_N} on the CPU, <= ${MAX_GPU_ENUMERATION_N} with --backend gpu) or Gaussian (linear) results.` +
  ' --curve: a learning curve over --alphas.';

export const flags = defineFlags({
  model: { type: 'string', choices: ['perceptron', 'linear'], default: 'perceptron', help: 'learning machine' },
  N: { type: 'int', min: 1, max: 4096, required: true, help: 'number of weights (odd for the perceptron)' },
  alpha: { type: 'float', above: 0, help: 'examples per weight, P = round(alpha N)' },
  P: { type: 'int', min: 1, max: 1e6, help: 'number of training examples (instead of --alpha)' },
  data: {
    type: 'string',
    choices: ['teacher', 'random'],
    default: 'teacher',
    help: 'labels from a binary teacher or random (perceptron)',
  },
  inputs: { type: 'string', choices: ['binary', 'gaussian'], default: 'binary', help: 'input distribution' },
  T: { type: 'float', min: LEARN_T_MIN, max: LEARN_T_MAX, help: 'one temperature (instead of a ladder)' },
  Tmin: { type: 'float', min: LEARN_T_MIN, max: LEARN_T_MAX, help: 'lowest temperature of the ladder' },
  Tmax: { type: 'float', min: LEARN_T_MIN, max: LEARN_T_MAX, help: 'highest temperature of the ladder' },
  K: { type: 'int', min: 2, max: 256, help: 'number of ladder temperatures (geometric)' },
  'replicas-per-T': {
    type: 'int',
    min: 1,
    max: 256,
    default: 2,
    help: 'independent chains per dataset (>= 2 for overlap_replicas)',
  },
  samples: { type: 'int', min: 1, max: 4096, default: 1, help: 'number of datasets (disorder samples)' },
  sweeps: { type: 'int', min: 2, max: 1e9, default: 20000, help: 'measured sweeps' },
  thermalize: { type: 'int', min: 0, max: 1e9, default: 2000, help: 'sweeps discarded first (with exchanges)' },
  lambda: { type: 'float', min: 0, max: 1e6, default: 0.01, help: 'ridge lambda of the linear model' },
  noise: { type: 'float', min: 0, max: 1e6, default: 0, help: 'label noise sigma of the linear teacher' },
  seed: FLAGS.seed,
  backend: { type: 'string', default: 'cpu', help: `sampler backend (${LEARN_BACKENDS.join(', ')})` },
  exact: {
    type: 'bool',
    help:
      `add exact results (perceptron: enumeration, --samples 1; N <= ${MAX_ENUMERATION_N} on the CPU, N <= ${MAX_GPU_ENUMERATION_N} with --backend gpu ` +
      'and binary inputs, where gen_error is null: the GPU enumeration gives g(E) only)',
  },
  curve: { type: 'bool', help: 'learning curve over --alphas at the lowest temperature (or --T), beside theory' },
  alphas: { type: 'string', help: 'comma-separated alphas for --curve', metavar: 'a1,a2,...' },
  quiet: FLAGS.quiet,
  json: FLAGS.json,
  ...CHECKPOINT_FLAGS,
});

export const output =
  'output (--json): {"model","N","P","temperatures":[...],"train_loss":[{"mean","err"}...],"gen_error":[...],"gen_error_method",' +
  '"overlap_teacher":[...],"overlap_replicas":[...]|null,"overlap_histogram":null|{"edges":[...],"p":[[...] per T]},' +
  '"lnZ":[...],"lnZ_datasets":[[...] per dataset],"lnZ_method","min_energy_found":[...],"swap_acceptance":[...],' +
  '"exact":null|{"lnZ":[...],"train_loss":[...],"gen_error":[...]|null,"gen_error_note"?,"ground_state_energy","ground_state_degeneracy",' +
  '"enumeration":"cpu"|"gpu"},"adapter","seconds"}; ' +
  'with --curve: {"model","N","T","alphas":[...],"P":[...],"gen_error":[{"mean","err"}...],"theory":[...],"theory_name"}';

type LearnFlags = ParsedFlags<typeof flags>;

/** What `ising learn` prints: a run on a ladder, or a learning curve (--curve). */
export type LearnCommandResult = LearnModelResult | LearningCurveResult;

function parseAlphas(raw: string | undefined): number[] {
  if (raw === undefined) throw new UsageError('--alphas is required with --curve');
  const items = raw.split(',');
  const out = items.map((s) => (/^[+]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s.trim()) ? Number(s.trim()) : NaN));
  if (items.length === 0 || out.some((a) => !(a > 0) || !Number.isFinite(a))) {
    throw new UsageError(`--alphas must be a comma-separated list of numbers > 0, got '${raw}'`);
  }
  return out;
}

/** The user temperatures (ascending) from --T or --Tmin/--Tmax/--K. */
function temperaturesOf(o: LearnFlags): number[] {
  const ladder = o.Tmin !== undefined || o.Tmax !== undefined || o.K !== undefined;
  if (o.T !== undefined) {
    if (ladder) throw new UsageError('--T cannot be combined with --Tmin/--Tmax/--K');
    return [o.T];
  }
  if (o.Tmin === undefined) throw new UsageError('--Tmin (with --Tmax and --K) or --T is required');
  if (o.Tmax === undefined) throw new UsageError('--Tmax is required with --Tmin');
  if (o.K === undefined) throw new UsageError('--K is required with --Tmin and --Tmax');
  if (!(o.Tmax > o.Tmin)) throw new UsageError(`--Tmax must be greater than --Tmin (${o.Tmin}), got ${o.Tmax}`);
  return geometricLadder(o.Tmin, o.Tmax, o.K);
}

/** The flag combinations learn refuses, in the order it checks them. */
function checkLearnFlags(o: LearnFlags): void {
  if (!(LEARN_BACKENDS as readonly string[]).includes(o.backend)) {
    throw new UsageError(`--backend must be one of ${LEARN_BACKENDS.join(', ')}, got '${o.backend}'`);
  }
  if (o.model === 'perceptron' && o.N % 2 === 0)
    throw new UsageError(`--N must be odd for the binary perceptron, got ${o.N}`);
  if (!o.curve && o.alpha !== undefined && o.P !== undefined) throw new UsageError('give --alpha or --P, not both');
  if (!o.curve && o.alpha === undefined && o.P === undefined) throw new UsageError('--alpha or --P is required');
  if (o.curve && o.P !== undefined) throw new UsageError('--P cannot be used with --curve (use --alphas)');
}

/** --exact with the perceptron: an enumeration in reach, of one dataset. */
function checkExactFlags(o: LearnFlags): void {
  if (!o.exact || o.model !== 'perceptron') return;
  const P = o.P ?? Math.max(1, Math.round((o.alpha ?? 0) * o.N));
  if (o.N > enumerationLimit(o.backend, o.inputs, P))
    throw new UsageError(`--exact needs --N with ${enumerationReach(o.backend, o.inputs)}, got N = ${o.N}, P = ${P}`);
  if (o.samples !== 1) throw new UsageError(`--exact compares one dataset: --samples must be 1, got ${o.samples}`);
}

export async function learn(o: LearnFlags, checkpoint: Checkpointer = NO_CHECKPOINT): Promise<LearnCommandResult> {
  checkLearnFlags(o);
  const temps = temperaturesOf(o);
  checkExactFlags(o);
  const common = {
    N: o.N,
    inputs: o.inputs,
    perT: o['replicas-per-T'],
    samples: o.samples,
    sweeps: o.sweeps,
    thermalize: o.thermalize,
    seed: o.seed,
    backend: o.backend,
    device: lazyNodeDevice(),
    onProgress: progressReporter('ising learn', !o.quiet),
    checkpoint: { session: checkpoint, key: 'sampling' },
  };
  if (o.curve) {
    if (o.model !== 'perceptron') throw new UsageError('--curve is available for --model perceptron only');
    return learningCurveStudy({ ...common, alphas: parseAlphas(o.alphas), T: temps[0], data: o.data });
  }
  const P = o.P ?? Math.max(1, Math.round((o.alpha ?? 0) * o.N));
  const run = { ...common, P, temperatures: temps, exact: o.exact };
  if (o.model === 'perceptron') return learnModelStudy({ ...run, model: 'perceptron', data: o.data });
  if (o.data !== 'teacher')
    throw new UsageError('--data random is not defined for the linear model (labels come from a linear teacher)');
  return learnModelStudy({ ...run, model: 'linear', lambda: o.lambda, noise: o.noise });
}
