/**
 * The golden set: `ising` commands whose output must not change when the code is reorganised.
 * Each case is run as a child process; its output is normalised (timings, adapter names and
 * temporary paths removed) and compared byte for byte with tests/golden/<name>.json.
 * Record anew only for a deliberate change of output: `npx tsx scripts/record-golden.ts`.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { ising } from '../helpers/cli.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GoldenCase {
  name: string;
  /** Commands run in order in one temporary folder (`{tmp}` in an argument is replaced by it). */
  commands: string[][];
  /** Text output (no --json): the report as printed, timing lines dropped. */
  text?: boolean;
  /** SVG files of the temporary folder to fingerprint after the commands. */
  svgs?: boolean;
}

const Q = ['--quiet'];
const SMALL_RUN = ['--L', '16', '--T', '2.5', '--sweeps', '300', '--thermalize', '50', '--replicas', '2'];
const LADDER = ['--L', '8', '--Tmin', '1.8', '--Tmax', '3', '--K', '6', '--sweeps', '300', '--thermalize', '50'];
const PERCEPTRON = ['--model', 'perceptron', '--N', '9', '--alpha', '1.5', '--Tmin', '0.3', '--Tmax', '3', '--K', '4'];
const LINEAR = ['--model', 'linear', '--N', '6', '--alpha', '2', '--Tmin', '0.1', '--Tmax', '2', '--K', '4'];
const SHORT = ['--sweeps', '300', '--thermalize', '50'];
const KERNELS = ['checkerboard-u32', 'packed-u8', 'msc-4bit', 'msc-1bit'];
const SWEEP = ['--L', '4,8', '--seeds', '2', '--Tmin', '2', '--Tmax', '2.6', '--K', '4', '--sweeps', '200'];

export const CASES: GoldenCase[] = [
  { name: 'exact-kaufman', commands: [['exact', '--L', '16', '--T', '2.5']] },
  { name: 'exact-enumeration', commands: [['exact', '--L', '4', '--T', '2.5', '--h', '0.3']] },
  { name: 'exact-chain', commands: [['exact', '--chain', '100', '--T', '1', '--h', '0.2']] },
  { name: 'exact-text', text: true, commands: [['exact', '--L', '4', '--Ly', '6', '--T', '2']] },
  { name: 'run-cpu', commands: [['run', ...SMALL_RUN, '--backend', 'cpu', '--h', '0.1', ...Q]] },
  {
    name: 'run-cpu-heatbath',
    commands: [['run', ...SMALL_RUN, '--backend', 'cpu', '--algorithm', 'heatbath', '--init', 'cold', ...Q]],
  },
  ...KERNELS.map((k) => ({
    name: `run-gpu-${k}`,
    commands: [
      ['run', '--L', '64', '--Ly', '8', '--T', '2.3', '--sweeps', '60', '--thermalize', '10', '--kernel', k, ...Q],
    ],
  })),
  { name: 'run-gpu-heatbath', commands: [['run', ...SMALL_RUN, '--algorithm', 'heatbath', '--J', '-1', ...Q]] },
  {
    name: 'run-text',
    text: true,
    commands: [['run', '--L', '8', '--T', '2.5', '--sweeps', '100', '--thermalize', '10', '--backend', 'cpu', ...Q]],
  },
  ...KERNELS.map((k) => ({
    name: `compare-${k}`,
    commands: [['compare', '--L', '64', '--sweeps', '12', '--replicas', '2', '--h', '0.2', '--kernel', k, ...Q]],
  })),
  { name: 'temper-cpu', commands: [['temper', ...LADDER, '--backend', 'cpu', ...Q]] },
  {
    name: 'temper-gpu-adaptive',
    commands: [['temper', ...LADDER, '--ladder', 'adaptive', '--replicas-per-T', '2', ...Q]],
  },
  {
    name: 'temper-gpu-packed',
    commands: [['temper', ...LADDER, '--kernel', 'packed-u8', '--exchange-every', '2', '--tail', '3', ...Q]],
  },
  { name: 'learn-perceptron-cpu', commands: [['learn', ...PERCEPTRON, ...SHORT, '--exact', ...Q]] },
  { name: 'learn-perceptron-gpu', commands: [['learn', ...PERCEPTRON, ...SHORT, '--exact', '--backend', 'gpu', ...Q]] },
  {
    name: 'learn-perceptron-text',
    text: true,
    commands: [['learn', ...PERCEPTRON, ...SHORT, '--exact', '--samples', '1', ...Q]],
  },
  {
    name: 'learn-random-gaussian',
    commands: [['learn', ...PERCEPTRON, ...SHORT, '--data', 'random', '--inputs', 'gaussian', '--samples', '2', ...Q]],
  },
  { name: 'learn-linear-cpu', commands: [['learn', ...LINEAR, ...SHORT, '--exact', '--noise', '0.1', ...Q]] },
  { name: 'learn-linear-gpu', commands: [['learn', ...LINEAR, ...SHORT, '--exact', '--backend', 'gpu', ...Q]] },
  {
    name: 'learn-curve',
    commands: [
      [
        'learn',
        '--model',
        'perceptron',
        '--N',
        '11',
        '--curve',
        '--alphas',
        '0.5,1',
        '--T',
        '0.5',
        '--sweeps',
        '200',
        '--thermalize',
        '50',
        ...Q,
      ],
    ],
  },
  { name: 'selfavg-exact', commands: [['selfavg', '--N', '5,7', '--samples', '4', '--T', '1', ...Q]] },
  {
    name: 'selfavg-ti',
    commands: [
      [
        'selfavg',
        '--N',
        '9',
        '--samples',
        '2',
        '--T',
        '1',
        '--method',
        'ti',
        '--sweeps',
        '100',
        '--thermalize',
        '20',
        ...Q,
      ],
    ],
  },
  { name: 'selfavg-text', text: true, commands: [['selfavg', '--N', '5,7,9', '--samples', '4', '--T', '1', ...Q]] },
  {
    name: 'sweep-merge-fss',
    svgs: true,
    commands: [
      ['sweep', ...SWEEP, '--shard', '0/2', '--out', '{tmp}/a.jsonl', ...Q],
      ['sweep', ...SWEEP, '--shard', '1/2', '--out', '{tmp}/b.jsonl', '--backend', 'cpu', ...Q],
      ['merge', '{tmp}/a.jsonl', '{tmp}/b.jsonl', '--out', '{tmp}/all.jsonl', ...Q],
      ['fss', '{tmp}/all.jsonl', ...Q],
    ],
  },
  {
    name: 'bench-fields',
    commands: [
      ['bench', '--L', '64', '--sweeps', '2', '--repeats', '1', '--cpu-L', '16', '--weights', '9,18,16', ...Q],
    ],
  },
];

/** Keys that hold timings, machine names or speeds: removed before comparing. */
const VOLATILE =
  /seconds|_ns$|per_s$|_ms$|gbytes|fraction_of|speedup|timing|adapter|^host$|^finished$|exchange_cost|gpu_vs_cpu/;
/** Paths whose values are grown until a time is reached (bench's weight samplers). */
const VOLATILE_PATH = /^weights\.[a-z_]+\.sweeps$/;

function stripVolatile(v: unknown, path = ''): unknown {
  if (Array.isArray(v)) return v.map((x) => stripVolatile(x, path));
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const p = path ? `${path}.${k}` : k;
    if (!VOLATILE.test(k) && !VOLATILE_PATH.test(p)) out[k] = stripVolatile(x, p);
  }
  return out;
}

/** One command's output made comparable: JSON re-serialised without volatile keys, or text lines. */
export function normalise(stdout: string, text: boolean, tmp: string): unknown {
  const s = stdout.split(tmp).join('{tmp}');
  if (text) return s.split('\n').filter((l) => !/seconds|flips_per_ns|timing|adapter|^[\d.e+-]+ s$/.test(l));
  // JSON Lines (sweep --out is not printed; each command prints one object) or one object.
  return stripVolatile(JSON.parse(s));
}

/** The SVG files of a folder, as SHA-256 fingerprints by name. */
export function svgFingerprints(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).sort()) {
    if (f.endsWith('.svg'))
      out[f] = createHash('sha256')
        .update(readFileSync(join(dir, f)))
        .digest('hex');
  }
  return out;
}

/** Command lines with `{tmp}` filled in, `--json` added unless the case is text. */
export function argvOf(c: GoldenCase, cmd: string[], tmp: string): string[] {
  const args = cmd.map((a) => a.split('{tmp}').join(tmp));
  return c.text || args.includes('--json') ? args : [...args, '--json'];
}

export function withTmp<T>(fn: (tmp: string) => Promise<T>): Promise<T> {
  const tmp = mkdtempSync(join(tmpdir(), 'ising-golden-'));
  return fn(tmp).finally(() => rmSync(tmp, { recursive: true, force: true }));
}

export interface GoldenOutput {
  outputs: unknown[];
  svgs?: Record<string, string>;
}

/** Run a case's commands; any non-zero exit is an error naming the command. */
export function runCase(c: GoldenCase): Promise<GoldenOutput> {
  return withTmp(async (tmp) => {
    const outputs: unknown[] = [];
    for (const cmd of c.commands) {
      const argv = argvOf(c, cmd, tmp);
      const r = await ising(argv, 120_000);
      if (r.code !== 0) throw new Error(`ising ${argv.join(' ')} exited ${r.code}: ${r.stderr}`);
      outputs.push(normalise(r.stdout, c.text === true, tmp));
    }
    return c.svgs ? { outputs, svgs: svgFingerprints(tmp) } : { outputs };
  });
}

export const goldenFile = (name: string): string => join(import.meta.dirname, `${name}.json`);
