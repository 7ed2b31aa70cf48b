/** `ising selfavg`: sample-to-sample fluctuations of the perceptron free-energy density, exact by enumeration. */

import { MAX_ENUMERATION_N } from '../../models/weights/enumeration.ts';
import { selfAverage } from '../../learning/selfavg.ts';
import { UsageError, type FlagSpecs } from '../args.ts';
import { FLAGS, progressReporter } from '../common.ts';

export const summary =
  'Self-averaging of the binary perceptron: for each N the free-energy density f = -T ln Z/N of --samples ' +
  `teacher datasets (P = round(alpha N)), exact by enumeration (N <= ${MAX_ENUMERATION_N}), its mean and standard ` +
  'deviation, and the exponent a of std ~ N^(-a) (a ~ 1/2 when f self-averages).';

export const flags: FlagSpecs = {
  model: { type: 'string', choices: ['perceptron'], default: 'perceptron', help: 'learning machine' },
  N: { type: 'intList', min: 1, max: MAX_ENUMERATION_N, required: true, help: 'odd sizes, comma-separated', metavar: 'N1,N2,...' },
  samples: { type: 'int', min: 2, max: 100000, default: 64, help: 'datasets per N' },
  T: { type: 'float', above: 0, required: true, help: 'temperature' },
  alpha: { type: 'float', above: 0, default: 1.5, help: 'examples per weight' },
  data: { type: 'string', choices: ['teacher', 'random'], default: 'teacher', help: 'labels' },
  inputs: { type: 'string', choices: ['binary', 'gaussian'], default: 'binary', help: 'input distribution' },
  seed: FLAGS.seed,
  quiet: FLAGS.quiet,
  json: FLAGS.json,
};

export const output =
  'output (--json): {"model","T","alpha","samples","table":[{"N","P","mean","std","std_err","f":[...]}...],' +
  '"exponent":{"a","err"}|null,"method","seconds"}';

export async function selfavg(o: Record<string, unknown>): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  const Ns = o.N as number[];
  for (const N of Ns) if (N % 2 === 0) throw new UsageError(`--N must hold odd sizes for the binary perceptron, got ${N}`);
  if (new Set(Ns).size !== Ns.length) throw new UsageError('--N must not repeat a size');
  const sorted = [...Ns].sort((a, b) => a - b);
  const quiet = o.quiet === true || o.json === true;
  const r = selfAverage({
    Ns: sorted,
    alpha: o.alpha as number,
    T: o.T as number,
    samples: o.samples as number,
    seed: o.seed as number,
    data: o.data as 'teacher' | 'random',
    inputs: o.inputs as 'binary' | 'gaussian',
    onProgress: progressReporter('ising selfavg', !quiet),
  });
  return {
    model: 'perceptron',
    T: o.T,
    alpha: o.alpha,
    samples: o.samples,
    table: r.rows,
    exponent: r.exponent,
    method: 'exact enumeration of every dataset; std over datasets (n - 1); a from a least-squares fit of log std vs log N',
    seconds: (performance.now() - t0) / 1000,
  };
}
