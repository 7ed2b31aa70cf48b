/**
 * The `ising` command: exact results, Monte Carlo runs, GPU-vs-CPU comparison and benchmarks.
 * Exit codes: 0 success, 1 failure (or `compare` found a difference), 2 bad usage or a parameter
 * out of range, 3 no usable GPU.
 */

import { formatHelp, parseFlags, UsageError, type FlagSpecs } from './args.ts';
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
import { GpuLimitError, GpuUnavailableError } from '../gpu/errors.ts';
import { ParameterError } from '../params/errors.ts';
import { learnReport, selfavgReport } from './reports.ts';

interface Command {
  summary: string;
  flags: FlagSpecs;
  output: string;
  exec: (o: Record<string, unknown>) => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** Exit code from the result (compare: 1 when not identical). */
  status?: (r: Record<string, unknown>) => number;
  /** Usage of the non-flag arguments (files), when the command takes them. */
  positional?: string;
  /** The command's own human-readable report (undefined: the generic key/value rendering). */
  report?: (r: Record<string, any>) => string | undefined;
}

const COMMANDS: Record<string, Command> = {
  exact: { ...exactCmd, exec: exactCmd.exact },
  run: { ...runCmd, exec: runCmd.run },
  temper: { ...temperCmd, exec: temperCmd.temper },
  compare: { ...compareCmd, exec: compareCmd.compare, status: (r) => (r.identical ? 0 : 1) },
  bench: { ...benchCmd, exec: benchCmd.bench },
  sweep: { ...sweepCmd, exec: sweepCmd.sweep },
  merge: { ...mergeCmd, exec: mergeCmd.merge, positional: '<files.jsonl…>' },
  fss: { ...fssCmd, exec: fssCmd.fss, positional: '<sweep.jsonl>' },
  learn: { ...learnCmd, exec: learnCmd.learn, report: learnReport },
  selfavg: { ...selfavgCmd, exec: selfavgCmd.selfavg, report: selfavgReport },
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
  sweep     temper for every L x seed as resumable, shardable jobs (--shard i/n), one JSON line each
  merge     combine sweep shard files into one, sorted by job, checking for conflicts
  fss       finite-size scaling of a sweep: c and chi peaks, Binder crossings, SVG plots
  learn     Boltzmann sampling of a perceptron or linear model: losses, overlaps, ln Z (--exact, --curve)
  selfavg   sample-to-sample spread of the perceptron free energy vs N (enumeration; TI beyond its reach)

Every command takes --json (one JSON object on stdout) and --help.
The GPU: ISING_ADAPTER=auto|hardware|software (or --adapter) picks a Vulkan GPU or SwiftShader.
`;

/** Human-readable rendering of a result object. */
function humanize(result: Record<string, unknown>): string {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(result)) {
    if (v && typeof v === 'object' && 'mean' in (v as object) && 'err' in (v as object)) {
      const e = v as { mean: number; err: number };
      lines.push(`${k.padEnd(22)} ${fmt(e.mean, 8)} ± ${fmt(e.err, 2)}`);
    } else if (typeof v === 'number') {
      lines.push(`${k.padEnd(22)} ${Number.isInteger(v) ? v : fmt(v, 8)}`);
    } else {
      lines.push(`${k.padEnd(22)} ${JSON.stringify(v)}`);
    }
  }
  return lines.join('\n');
}

/** Run the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) {
    process.stderr.write(TOP_HELP);
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
    const options = parseFlags(name, cmd.flags, rest, cmd.positional !== undefined);
    const result = await cmd.exec(options);
    process.stdout.write(
      options.json ? `${JSON.stringify(result)}\n` : `${cmd.report?.(result) ?? humanize(result)}\n`,
    );
    return cmd.status?.(result) ?? 0;
  } catch (e) {
    const err = e as Error;
    let code = 1;
    if (err instanceof UsageError || err instanceof ParameterError || err instanceof GpuLimitError) code = 2;
    else if (err instanceof GpuUnavailableError) code = 3;
    else if (err instanceof RangeError) code = 2;
    process.stderr.write(`ising ${name}: ${err.message}\n`);
    if (process.env.ISING_DEBUG && err.stack) process.stderr.write(`${err.stack}\n`);
    return code;
  }
}
