/**
 * The `ising` command: exact results, Monte Carlo runs, GPU-vs-CPU comparison and benchmarks.
 * Exit codes: 0 success, 1 an internal error (a bug, a lost device, or `compare` found a
 * difference), 2 bad usage, a parameter or file refused, or a device limit; 3 no usable GPU;
 * 143/130 stopped by SIGTERM/SIGINT (with the state checkpointed).
 */

import { formatHelp, parseFlags, UsageError, type FlagSpec, type FlagSpecs, type ParsedFlags } from './args.ts';
import { RecordError } from '../studies/scan/records.ts';
import { fmt } from './common.ts';
import * as benchCmd from './commands/bench.ts';
import * as compareCmd from './commands/compare.ts';
import * as exactCmd from './commands/exact.ts';
import * as runCmd from './commands/run.ts';
import * as temperCmd from './commands/temper.ts';
import * as sweepCmd from './commands/sweep.ts';
import * as mergeCmd from './commands/merge.ts';
import * as fssCmd from './commands/fss.ts';
import * as learnCmd from './commands/learn.ts';
import * as selfavgCmd from './commands/selfavg.ts';
import * as glassCmd from './commands/glass.ts';
import { FileProblem } from '../io/files.ts';
import { GpuDeviceLostError, GpuLimitError, GpuUnavailableError } from '../gpu/errors.ts';
import { nonFinitePath } from './finite.ts';
import { ParameterError } from '../params/errors.ts';
import { fssReport, glassReport, learnReport, selfavgReport } from './reports.ts';
import { withCheckpoint, type CheckpointOptions } from './checkpoint.ts';
import { CheckpointInterrupted, NO_CHECKPOINT, type Checkpointer } from '../studies/checkpoint.ts';

/** One command: its flags, what it does with them, and how its result is shown. */
interface CommandSpec<S extends FlagSpecs, R extends object> {
  summary: string;
  flags: S;
  output: string;
  /** Runs the command; commands with --checkpoint flags get the session of --checkpoint. */
  exec: (o: ParsedFlags<S>, checkpoint: Checkpointer) => Promise<R> | R;
  /** Exit code from the result (compare: 1 when not identical). */
  status?: (r: R) => number;
  /** Usage of the non-flag arguments (files), when the command takes them. */
  positional?: string;
  /** The command's own human-readable report (undefined: the generic key/value rendering). */
  report?: (r: R) => string | undefined;
}

/** A command with its types closed over: the table below holds commands of different flags and results. */
interface Command {
  summary: string;
  flags: FlagSpecs;
  output: string;
  positional?: string;
  /** Parse argv, run, and return what to print and the exit code. */
  invoke: (name: string, argv: readonly string[]) => Promise<{ text: string; code: number }>;
}

/** Tie a command's flag declarations to its exec, status and report (checked against ParsedFlags<S>). */
function defineCommand<S extends FlagSpecs & { json: FlagSpec }, R extends object>(spec: CommandSpec<S, R>): Command {
  return {
    summary: spec.summary,
    flags: spec.flags,
    output: spec.output,
    positional: spec.positional,
    invoke: async (name, argv) => {
      const options = parseFlags(name, spec.flags, argv, spec.positional !== undefined);
      const parsed: { readonly [flag: string]: unknown } = options;
      const result =
        'checkpoint' in spec.flags
          ? await withCheckpoint(name, parsed as CheckpointOptions, async (ck) => spec.exec(options, ck))
          : await spec.exec(options, NO_CHECKPOINT);
      const bad = nonFinitePath(result);
      if (bad !== undefined) throw new InternalError(`${bad} is not finite`);
      const text = parsed.json === true ? JSON.stringify(result) : (spec.report?.(result) ?? humanize(result));
      return { text, code: spec.status?.(result) ?? 0 };
    },
  };
}

const COMMANDS: Record<string, Command> = {
  exact: defineCommand({ ...exactCmd, exec: exactCmd.exact }),
  run: defineCommand({ ...runCmd, exec: runCmd.run }),
  temper: defineCommand({ ...temperCmd, exec: temperCmd.temper }),
  compare: defineCommand({ ...compareCmd, exec: compareCmd.compare, status: (r) => (r.identical ? 0 : 1) }),
  bench: defineCommand({ ...benchCmd, exec: benchCmd.bench }),
  sweep: defineCommand({ ...sweepCmd, exec: sweepCmd.sweep }),
  merge: defineCommand({ ...mergeCmd, exec: mergeCmd.merge, positional: '<files.jsonl…>' }),
  fss: defineCommand({ ...fssCmd, exec: fssCmd.fss, positional: '<sweep.jsonl>', report: fssReport }),
  learn: defineCommand({ ...learnCmd, exec: learnCmd.learn, report: learnReport }),
  selfavg: defineCommand({ ...selfavgCmd, exec: selfavgCmd.selfavg, report: selfavgReport }),
  glass: defineCommand({ ...glassCmd, exec: glassCmd.glass, report: glassReport }),
};

const TOP_HELP = `usage: ising <command> [flags]

GPU Monte Carlo of the 2D Ising model (WebGPU through Dawn in Node), with a bit-identical CPU
reference and exact results.

commands:
  exact     exact ln Z, f, e, c (Kaufman torus, enumeration, 1D transfer matrix)
  run       Monte Carlo at one temperature with error bars
  temper    parallel tempering on a ladder: e, c, ln Z/N per temperature, swaps, round trips
  compare   GPU kernels vs the CPU reference, bit for bit
  bench     spin updates per ns of the GPU kernel and the CPU reference
  sweep     temper for every L x seed (--p: glass for every L x disorder sample) as resumable, shardable jobs, one JSON line each
  merge     combine sweep shard files into one, sorted by job, checking for conflicts
  fss       finite-size scaling of a sweep: c and chi peaks, Binder crossings, SVG plots
  learn     Boltzmann sampling of a perceptron or linear model: losses, overlaps, ln Z (--exact, --curve)
  selfavg   sample-to-sample spread of the perceptron free energy vs N (enumeration; TI beyond its reach)
  glass     Edwards-Anderson ±J spin glass: samples x real replicas, overlaps q^2 q^4, g, chi_SG, ground states (--from: of a sweep --p)

Every command takes --json (one JSON object on stdout) and --help.
The GPU: ISING_ADAPTER=auto|hardware|software (or --adapter) picks a Vulkan GPU or SwiftShader.
`;

const isEstimate = (v: unknown): v is { mean: number; err: number } =>
  typeof v === 'object' && v !== null && 'mean' in v && 'err' in v;

/** Human-readable rendering of a result object. */
function humanize(result: object): string {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(result)) {
    if (isEstimate(v)) {
      lines.push(`${k.padEnd(22)} ${fmt(v.mean, 8)} ± ${fmt(v.err, 2)}`);
    } else if (typeof v === 'number') {
      lines.push(`${k.padEnd(22)} ${Number.isInteger(v) ? v : fmt(v, 8)}`);
    } else {
      lines.push(`${k.padEnd(22)} ${JSON.stringify(v)}`);
    }
  }
  return lines.join('\n');
}

/** A failed invariant found by the CLI itself (a result that is not finite). */
class InternalError extends Error {
  override name = 'InternalError';
}

/** Errors that mean bad input (exit 2): flags, parameters out of range, files, sweep records, GPU limits. */
const usageLike = (err: Error): boolean =>
  err instanceof UsageError ||
  err instanceof FileProblem ||
  err instanceof ParameterError ||
  err instanceof RecordError ||
  err instanceof GpuLimitError;

/**
 * Exit code and one-line message of a failure. Bad input is 2, no GPU 3; anything else is a bug
 * (or a lost device) and exits 1: an invariant that user input can reach must be a ParameterError.
 */
function failure(err: Error): { code: number; message: string } {
  const oneLine = err.message.replace(/\s*\n\s*/g, ' ');
  if (err instanceof CheckpointInterrupted) return { code: err.exitCode, message: oneLine };
  if (usageLike(err)) return { code: 2, message: oneLine };
  if (err instanceof GpuUnavailableError) return { code: 3, message: oneLine };
  if (err instanceof GpuDeviceLostError) return { code: 1, message: oneLine };
  const debug = process.env.ISING_DEBUG ? '' : ' (set ISING_DEBUG=1 for the stack)';
  return { code: 1, message: `internal error: ${oneLine}${debug}` };
}

/** Run the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) {
    process.stderr.write(`ising: no command given (commands: ${Object.keys(COMMANDS).join(', ')}; see ising --help)\n`);
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(TOP_HELP);
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    process.stderr.write(`ising: unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(', ')})\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(formatHelp(name, cmd.summary, cmd.flags, cmd.output, cmd.positional));
    return 0;
  }
  try {
    const { text, code } = await cmd.invoke(name, rest);
    process.stdout.write(`${text}\n`);
    return code;
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    const { code, message } = failure(err);
    process.stderr.write(`ising ${name}: ${message}\n`);
    if (process.env.ISING_DEBUG && err.stack) process.stderr.write(`${err.stack}\n`);
    return code;
  }
}
