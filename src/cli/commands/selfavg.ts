/**
 * `ising selfavg`: sample-to-sample fluctuations of the perceptron free-energy density, exact by
 * enumeration where it reaches and by thermodynamic integration (tempering) beyond.
 */

import { CHECKPOINT_FLAGS } from '../checkpoint.ts';
import { NO_CHECKPOINT, type Checkpointer } from '../../studies/checkpoint.ts';
import { LEARN_T_MAX, LEARN_T_MIN } from '../../studies/learning/options.ts';
import { MAX_ENUMERATION_N } from '../../models/weights/enumeration.ts';
import { MAX_GPU_ENUMERATION_N } from '../../models/weights/gpu-enumeration.ts';
import { LEARN_BACKENDS } from '../../studies/learning/backends.ts';
import { enumerationLimit } from '../../studies/learning/exact.ts';
import { TAIL_BETA_END } from '../../studies/learning/perceptron.ts';
import {
  SELFAVG_TI_SWEEPS,
  SELFAVG_TI_THERMALIZE,
  SELFAVG_TI_CHAINS,
  selfAverage,
  selfAverageMethod,
} from '../../studies/learning/selfavg.ts';
import { defineFlags, UsageError, type ParsedFlags } from '../args.ts';
import { FLAGS, lazyNodeDevice, progressReporter } from '../common.ts';

/** Most datasets one tempering run holds (as `ising learn --samples`). */
const MAX_TI_SAMPLES = 4096;

export const summary =
  'Self-averaging of the binary perceptron: for each N the free-energy density f = -T ln Z/N of --samples ' +
  'datasets (P = round(alpha N)), its mean and standard deviation across datasets, and the exponent a of ' +
  'std ~ N^(-a) (a ~ 1/2 when f self-averages). ln Z is exact by enumeration (--method exact: N <= ' +
  `${MAX_ENUMERATION_N} on the CPU, N <= ${MAX_GPU_ENUMERATION_N} with --backend gpu) or from thermodynamic integration ` +
  `of tempering from beta = 0 (--method ti, any N; ladder from T up to beta = ${TAIL_BETA_END}); --method auto ` +
  '(default) takes exact where the enumeration reaches, else ti.';

export const flags = defineFlags({
  model: { type: 'string', choices: ['perceptron'], default: 'perceptron', help: 'learning machine' },
  N: { type: 'intList', min: 1, max: 4096, required: true, help: 'odd sizes, comma-separated', metavar: 'N1,N2,...' },
  samples: { type: 'int', min: 2, max: 100000, default: 64, help: `datasets per N (ti: at most ${MAX_TI_SAMPLES})` },
  T: { type: 'float', min: LEARN_T_MIN, max: LEARN_T_MAX, required: true, help: 'temperature' },
  alpha: { type: 'float', above: 0, default: 1.5, help: 'examples per weight' },
  data: { type: 'string', choices: ['teacher', 'random'], default: 'teacher', help: 'labels' },
  inputs: { type: 'string', choices: ['binary', 'gaussian'], default: 'binary', help: 'input distribution' },
  method: {
    type: 'string',
    choices: ['auto', 'exact', 'ti'],
    default: 'auto',
    help: 'ln Z by enumeration (exact), thermodynamic integration (ti), or exact where the enumeration reaches, else ti (auto)',
  },
  backend: {
    type: 'string',
    choices: LEARN_BACKENDS,
    default: 'cpu',
    help: `enumeration and tempering backend (gpu: the WGSL sampler and the GPU enumeration, N <= ${MAX_GPU_ENUMERATION_N}, binary inputs)`,
  },
  sweeps: { type: 'int', min: 2, max: 1e9, default: SELFAVG_TI_SWEEPS, help: 'ti: measured sweeps' },
  thermalize: {
    type: 'int',
    min: 0,
    max: 1e9,
    default: SELFAVG_TI_THERMALIZE,
    help: 'ti: sweeps discarded first (with exchanges)',
  },
  chains: {
    type: 'int',
    min: 1,
    max: 64,
    default: SELFAVG_TI_CHAINS,
    help: 'ti: independent tempering chains per dataset (their spread enters the error of f)',
  },
  K: {
    type: 'int',
    min: 2,
    max: 256,
    help: `ti: geometric ladder temperatures from T to 1/${TAIL_BETA_END} (default: per N, ratio 1 + 2.5/sqrt(P) in beta, as ising learn's tail)`,
  },
  seed: FLAGS.seed,
  quiet: FLAGS.quiet,
  json: FLAGS.json,
  ...CHECKPOINT_FLAGS,
});

export const output =
  'output (--json): {"model","T","alpha","samples","method_requested","backend","table":[{"N","P","method":"exact-cpu"|"exact-gpu"|"ti",' +
  '"f":[...],"f_err":[...]|null,"mean","std","std_err","ti_err"|null,"spread","ti":null|{"ladder","sweeps","thermalize","chains","min_swap_acceptance"}}...],' +
  '"exponent":{"a","err"}|null,"exponent_spread":{"a","err"}|null,"method","seconds"}';

type SelfavgFlags = ParsedFlags<typeof flags>;

/** The sizes, ascending, after the checks that need the method and backend. */
function checkedSizes(o: SelfavgFlags): number[] {
  const Ns = o.N;
  for (const N of Ns)
    if (N % 2 === 0) throw new UsageError(`--N must hold odd sizes for the binary perceptron, got ${N}`);
  if (new Set(Ns).size !== Ns.length) throw new UsageError('--N must not repeat a size');
  const sorted = [...Ns].sort((a, b) => a - b);
  const examples = (N: number) => Math.round(o.alpha * N);
  for (const N of sorted) {
    const limit = enumerationLimit(o.backend, o.inputs, examples(N));
    if (o.method === 'exact' && N > limit) {
      throw new UsageError(
        `--N: --method exact needs N <= ${limit} (CPU enumeration N <= ${MAX_ENUMERATION_N}; --backend gpu with binary inputs: N <= ${MAX_GPU_ENUMERATION_N}), ` +
          `got ${N} (use --method ti or auto)`,
      );
    }
    if (examples(N) < 1) throw new UsageError(`--alpha gives P = 0 examples at N = ${N}`);
  }
  const usesTi = sorted.some((N) => selfAverageMethod(o.method, N, examples(N), o.backend, o.inputs) === 'ti');
  if (usesTi && o.samples > MAX_TI_SAMPLES)
    throw new UsageError(`--samples must be <= ${MAX_TI_SAMPLES} for thermodynamic integration, got ${o.samples}`);
  if (usesTi && o.backend === 'gpu' && o.inputs !== 'binary')
    throw new UsageError('--backend gpu samples binary inputs only (use --inputs binary or --backend cpu)');
  return sorted;
}

/** Progress on stderr, one reporter per label (a label per N and method). */
function progressByLabel(quiet: boolean): (label: string, done: number, total: number) => void {
  const reporters = new Map<string, (done: number, total: number) => void>();
  return (label, done, total) => {
    if (quiet) return;
    let rep = reporters.get(label);
    if (!rep) {
      rep = progressReporter(`ising selfavg (${label})`, true);
      reporters.set(label, rep);
    }
    rep(done, total);
  };
}

export async function selfavg(o: SelfavgFlags, checkpoint: Checkpointer = NO_CHECKPOINT) {
  const t0 = performance.now();
  const sorted = checkedSizes(o);
  const r = await selfAverage({
    Ns: sorted,
    alpha: o.alpha,
    T: o.T,
    samples: o.samples,
    seed: o.seed,
    data: o.data,
    inputs: o.inputs,
    method: o.method,
    backend: o.backend,
    device: lazyNodeDevice(),
    sweeps: o.sweeps,
    thermalize: o.thermalize,
    K: o.K,
    chains: o.chains,
    onProgress: progressByLabel(o.quiet || o.json),
    checkpoint,
  });
  return {
    model: 'perceptron' as const,
    T: o.T,
    alpha: o.alpha,
    samples: o.samples,
    method_requested: o.method,
    backend: o.backend,
    table: r.rows,
    exponent: r.exponent,
    exponent_spread: r.exponent_spread,
    method:
      'f = -T ln Z/N per dataset; ln Z exact by enumeration (exact-cpu, exact-gpu) or by thermodynamic integration from beta = 0 ' +
      '(ti, error bar f_err per dataset, ti_err their mean); std over datasets (n - 1); spread = sqrt(max(0, std^2 - mean(f_err^2))); ' +
      'a from a least-squares fit of log std (exponent) or log spread (exponent_spread) vs log N',
    seconds: (performance.now() - t0) / 1000,
  };
}

/** What `ising selfavg` prints. */
export type SelfavgCommandResult = Awaited<ReturnType<typeof selfavg>>;
