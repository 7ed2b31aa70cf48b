/**
 * The golden set: `ising` commands whose output must not change when the code is reorganised.
 * Each case is run as a child process; its output is normalised (timings, adapter names and
 * temporary paths removed) and compared byte for byte with tests/golden/<name>.json.
 * Record anew only for a deliberate change of output: `npx tsx scripts/record-golden.ts`.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { argv, ising } from '../helpers/cli.ts';
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

export const CASES: GoldenCase[] = [
  { name: 'exact-kaufman', commands: [argv('exact --L 16 --T 2.5')] },
  { name: 'exact-enumeration', commands: [argv('exact --L 4 --T 2.5 --h 0.3')] },
  { name: 'exact-chain', commands: [argv('exact --chain 100 --T 1 --h 0.2')] },
  { name: 'exact-text', text: true, commands: [argv('exact --L 4 --Ly 6 --T 2')] },
  {
    name: 'run-cpu',
    commands: [
      argv(
        'run --L 16 --T 2.5 --sweeps 300 --thermalize 50 --replicas 2 --backend cpu --h 0.1 --kernel checkerboard-u32 --quiet',
      ),
    ],
  },
  {
    name: 'run-cpu-heatbath',
    commands: [
      argv(
        'run --L 16 --T 2.5 --sweeps 300 --thermalize 50 --replicas 2 --backend cpu --algorithm heatbath --init cold --kernel checkerboard-u32 --quiet',
      ),
    ],
  },
  {
    name: 'run-gpu-checkerboard-u32',
    commands: [argv('run --L 64 --Ly 8 --T 2.3 --sweeps 60 --thermalize 10 --kernel checkerboard-u32 --quiet')],
  },
  {
    name: 'run-gpu-packed-u8',
    commands: [argv('run --L 64 --Ly 8 --T 2.3 --sweeps 60 --thermalize 10 --kernel packed-u8 --quiet')],
  },
  {
    name: 'run-gpu-msc-4bit',
    commands: [argv('run --L 64 --Ly 8 --T 2.3 --sweeps 60 --thermalize 10 --kernel msc-4bit --quiet')],
  },
  {
    name: 'run-gpu-msc-1bit',
    commands: [argv('run --L 64 --Ly 8 --T 2.3 --sweeps 60 --thermalize 10 --kernel msc-1bit --quiet')],
  },
  {
    name: 'run-gpu-heatbath',
    commands: [
      argv(
        'run --L 16 --T 2.5 --sweeps 300 --thermalize 50 --replicas 2 --algorithm heatbath --J -1 --kernel checkerboard-u32 --quiet',
      ),
    ],
  },
  {
    name: 'run-text',
    text: true,
    commands: [argv('run --L 8 --T 2.5 --sweeps 100 --thermalize 10 --backend cpu --kernel checkerboard-u32 --quiet')],
  },
  {
    name: 'compare-checkerboard-u32',
    commands: [argv('compare --L 64 --sweeps 12 --replicas 2 --h 0.2 --kernel checkerboard-u32 --quiet')],
  },
  {
    name: 'compare-packed-u8',
    commands: [argv('compare --L 64 --sweeps 12 --replicas 2 --h 0.2 --kernel packed-u8 --quiet')],
  },
  {
    name: 'compare-msc-4bit',
    commands: [argv('compare --L 64 --sweeps 12 --replicas 2 --h 0.2 --kernel msc-4bit --quiet')],
  },
  {
    name: 'compare-msc-1bit',
    commands: [argv('compare --L 64 --sweeps 12 --replicas 2 --h 0.2 --kernel msc-1bit --quiet')],
  },
  {
    name: 'temper-cpu',
    commands: [
      argv(
        'temper --L 8 --Tmin 1.8 --Tmax 3 --K 6 --sweeps 300 --thermalize 50 --backend cpu --kernel checkerboard-u32 --quiet',
      ),
    ],
  },
  {
    name: 'temper-gpu-adaptive',
    commands: [
      argv(
        'temper --L 8 --Tmin 1.8 --Tmax 3 --K 6 --sweeps 300 --thermalize 50 --ladder adaptive --replicas-per-T 2 --kernel checkerboard-u32 --quiet',
      ),
    ],
  },
  {
    name: 'temper-gpu-packed',
    commands: [
      argv(
        'temper --L 8 --Tmin 1.8 --Tmax 3 --K 6 --sweeps 300 --thermalize 50 --kernel packed-u8 --exchange-every 2 --tail 3 --quiet',
      ),
    ],
  },
  {
    name: 'learn-perceptron-cpu',
    commands: [
      argv(
        'learn --model perceptron --N 9 --alpha 1.5 --Tmin 0.3 --Tmax 3 --K 4 --sweeps 300 --thermalize 50 --exact --quiet',
      ),
    ],
  },
  {
    name: 'learn-perceptron-gpu',
    commands: [
      argv(
        'learn --model perceptron --N 9 --alpha 1.5 --Tmin 0.3 --Tmax 3 --K 4 --sweeps 300 --thermalize 50 --exact --backend gpu --quiet',
      ),
    ],
  },
  {
    name: 'learn-perceptron-text',
    text: true,
    commands: [
      argv(
        'learn --model perceptron --N 9 --alpha 1.5 --Tmin 0.3 --Tmax 3 --K 4 --sweeps 300 --thermalize 50 --exact --samples 1 --quiet',
      ),
    ],
  },
  {
    name: 'learn-random-gaussian',
    commands: [
      argv(
        'learn --model perceptron --N 9 --alpha 1.5 --Tmin 0.3 --Tmax 3 --K 4 --sweeps 300 --thermalize 50 --data random --inputs gaussian --samples 2 --quiet',
      ),
    ],
  },
  {
    name: 'learn-linear-cpu',
    commands: [
      argv(
        'learn --model linear --N 6 --alpha 2 --Tmin 0.1 --Tmax 2 --K 4 --sweeps 300 --thermalize 50 --exact --noise 0.1 --quiet',
      ),
    ],
  },
  {
    name: 'learn-linear-gpu',
    commands: [
      argv(
        'learn --model linear --N 6 --alpha 2 --Tmin 0.1 --Tmax 2 --K 4 --sweeps 300 --thermalize 50 --exact --backend gpu --quiet',
      ),
    ],
  },
  {
    name: 'learn-curve',
    commands: [
      argv('learn --model perceptron --N 11 --curve --alphas 0.5,1 --T 0.5 --sweeps 200 --thermalize 50 --quiet'),
    ],
  },
  { name: 'selfavg-exact', commands: [argv('selfavg --N 5,7 --samples 4 --T 1 --quiet')] },
  {
    name: 'selfavg-ti',
    commands: [argv('selfavg --N 9 --samples 2 --T 1 --method ti --sweeps 100 --thermalize 20 --quiet')],
  },
  { name: 'selfavg-text', text: true, commands: [argv('selfavg --N 5,7,9 --samples 4 --T 1 --quiet')] },
  {
    name: 'sweep-merge-fss',
    svgs: true,
    commands: [
      argv(
        'sweep --L 4,8 --seeds 2 --Tmin 2 --Tmax 2.6 --K 4 --sweeps 200 --shard 0/2 --out {tmp}/a.jsonl --kernel checkerboard-u32 --quiet',
      ),
      argv(
        'sweep --L 4,8 --seeds 2 --Tmin 2 --Tmax 2.6 --K 4 --sweeps 200 --shard 1/2 --out {tmp}/b.jsonl --backend cpu --kernel checkerboard-u32 --quiet',
      ),
      argv('merge {tmp}/a.jsonl {tmp}/b.jsonl --out {tmp}/all.jsonl --quiet'),
      argv('fss {tmp}/all.jsonl --quiet'),
    ],
  },
  {
    // --kernel auto (the default): the GPU picks a bit-plane kernel for 16x16 and the CPU reference
    // follows the same mapping, so both give the same numbers.
    name: 'run-auto',
    commands: [
      argv('run --L 16 --Ly 12 --T 2.3 --sweeps 200 --thermalize 20 --replicas 2 --h 0.1 --quiet'),
      argv('run --L 16 --Ly 12 --T 2.3 --sweeps 200 --thermalize 20 --replicas 2 --h 0.1 --backend cpu --quiet'),
    ],
  },
  {
    name: 'bench-fields',
    commands: [
      argv(
        'bench --L 64 --sweeps 2 --repeats 1 --cpu-L 16 --weights 9,18,16 --temper-L 16 --temper-K 4 --temper-chains 2 --quiet',
      ),
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
