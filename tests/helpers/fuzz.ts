/**
 * Flag sets for every `ising` command, for the fuzz test (tests/fuzz.test.ts) and the longer run
 * (scripts/fuzz.ts): a valid arm (tiny sizes, so a case finishes in well under a second) and a
 * hostile arm (a valid case with some flags made huge, tiny, negative, not numbers, empty, missing,
 * unknown or repeated, and files that are folders, missing, FIFOs, devices or garbage). Each case
 * runs in-process through main() with stdout and stderr captured, and its outcome is checked
 * against the CLI's contract (checkOutcome).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { main } from '../../src/cli/main.ts';

/** Files the cases refer to by name ({{sweep}}, {{dir}}, ...), made once per run. */
export interface FuzzFiles {
  root: string;
  sweep: string;
  ladder: string;
  garbage: string;
  empty: string;
  dir: string;
  fifo: string;
}

/** A fresh folder with a valid sweep file (two sizes), a ladder file, garbage, an empty file and a FIFO. */
export async function makeFuzzFiles(): Promise<FuzzFiles> {
  const root = mkdtempSync(join(tmpdir(), 'ising-fuzz-'));
  const files: FuzzFiles = {
    root,
    sweep: join(root, 'sweep.jsonl'),
    ladder: join(root, 'ladder.txt'),
    garbage: join(root, 'garbage.jsonl'),
    empty: join(root, 'empty.jsonl'),
    dir: join(root, 'dir'),
    fifo: join(root, 'fifo'),
  };
  mkdirSync(files.dir);
  writeFileSync(files.ladder, '2.0\n2.3\n2.6\n');
  writeFileSync(files.garbage, '{"job": 1}\n\u0000\u0001not json at all\n');
  writeFileSync(files.empty, '');
  execFileSync('mkfifo', [files.fifo]);
  const sweep = ['sweep', '--L', '4,6', '--seeds', '2', '--Tmin', '2', '--Tmax', '2.6', '--K', '4'];
  const r = await runInProcess([...sweep, '--sweeps', '40', '--thermalize', '4', '--backend', 'cpu', '--quiet'], {
    out: files.sweep,
  });
  if (r.code !== 0) throw new Error(`the fuzz sweep file could not be made: ${r.stderr}`);
  return files;
}

/** What one run of the CLI gave. */
export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
  /** Peak resident memory (MiB), known for a run in a child process only. */
  maxRssMiB?: number;
}

/** Most memory a case may take (issue 14: none exceeds 1 GB before refusing). */
export const MEMORY_BUDGET_MIB = 1024;

const BIN = fileURLToPath(new URL('../../bin/ising.js', import.meta.url));

/**
 * Run `ising argv` in a child process under /usr/bin/time, killed (SIGKILL) after `budget`
 * seconds: catches what an in-process run cannot, a synchronous endless loop and the peak memory.
 * A kill shows as exit -1.
 */
export function runSpawned(argv: readonly string[], budget: number, cwd: string): Promise<Outcome> {
  const env = { ...process.env };
  delete env.ISING_DEBUG;
  const t0 = performance.now();
  // Its own process group, so that a kill reaches node under /usr/bin/time as well.
  const child = spawn('/usr/bin/time', ['-f', 'ising-fuzz-rss %M', process.execPath, BIN, ...argv], {
    cwd,
    env,
    detached: true,
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    process.kill(-(child.pid as number), 'SIGKILL');
  }, budget * 1000);
  return new Promise((done) => {
    child.on('close', (status) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8');
      const rss = /ising-fuzz-rss (\d+)\s*$/.exec(stderr);
      const own = stderr.replace(
        /(Command (exited with non-zero status|terminated by signal) \d+\n)?ising-fuzz-rss \d+\s*$/,
        '',
      );
      done({
        code: killed ? -1 : (status ?? -1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: own,
        seconds: (performance.now() - t0) / 1000,
        maxRssMiB: rss ? Number(rss[1]) / 1024 : undefined,
      });
    });
  });
}

/**
 * Run `main(argv)` with stdout and stderr captured (one case at a time). `extra` adds flags whose
 * values are made here, e.g. a fresh --out path.
 */
export async function runInProcess(argv: readonly string[], extra: Record<string, string> = {}): Promise<Outcome> {
  const args = [...argv, ...Object.entries(extra).flatMap(([k, v]) => [`--${k}`, v])];
  const out: string[] = [];
  const err: string[] = [];
  const { stdout, stderr } = process;
  const realOut = stdout.write;
  const realErr = stderr.write;
  const capture = (sink: string[]) =>
    ((chunk: string | Uint8Array) => {
      sink.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof stdout.write;
  stdout.write = capture(out);
  stderr.write = capture(err);
  const debug = process.env.ISING_DEBUG;
  delete process.env.ISING_DEBUG;
  const t0 = performance.now();
  try {
    const code = await main(args);
    return { code, stdout: out.join(''), stderr: err.join(''), seconds: (performance.now() - t0) / 1000 };
  } finally {
    stdout.write = realOut;
    stderr.write = realErr;
    if (debug !== undefined) process.env.ISING_DEBUG = debug;
  }
}

type Values = fc.Arbitrary<string>;
type Args = fc.Arbitrary<string[]>;

/** One command's valid arm: its flags (files as {{name}}), fresh outputs, how often it is drawn. */
interface CommandModel {
  args: Args;
  /** Flags naming a fresh output path (file or folder) for each case. */
  outputs?: Record<string, 'file' | 'dir'>;
  /** GPU-only and slow commands are drawn rarely. */
  weight: number;
}

const v = (...values: string[]): Values => fc.constantFrom(...values);
const pairs = (r: Record<string, Values>, optional: boolean): Args =>
  fc
    .tuple(...Object.entries(r).map(([k, a]) => (optional ? fc.option(a, { nil: undefined }) : a).map((x) => [k, x])))
    .map((kv) => kv.flatMap(([k, x]) => (x === undefined ? [] : [`--${k}`, x as string])));
/** Flags always given. */
const req = (r: Record<string, Values>): Args => pairs(r, false);
/** Flags each given or not. */
const opt = (r: Record<string, Values>): Args => pairs(r, true);
/** Boolean flags each given or not. */
const sw = (...names: string[]): Args => fc.subarray(names.map((n) => `--${n}`));
const cat = (...parts: Args[]): Args => fc.tuple(...parts).map((ps) => ps.flat());
const one = (...parts: Args[]): Args => fc.oneof(...parts);

const SEEDS = v('0', '1', '12345', '9007199254740991');
/** Sizes each kernel accepts: msc-4bit words hold 8 columns, msc-1bit 32, in pairs. */
const GPU_LATTICE = req({ backend: v('gpu'), adapter: v('software') }).chain((gpu) =>
  fc
    .constantFrom(['checkerboard-u32', '8'], ['packed-u8', '8'], ['msc-4bit', '16'], ['msc-1bit', '64'])
    .map(([kernel, L]) => [...gpu, '--kernel', kernel, '--L', L]),
);

/** The commands, with tiny valid values (sizes and sweeps always given: their defaults run for minutes). */
export const MODELS: Record<string, CommandModel> = {
  exact: {
    args: cat(
      req({ T: v('0.5', '1', '2.269', '5') }),
      one(
        cat(req({ L: v('2', '4') }), opt({ Ly: v('2', '4'), h: v('0', '0.3') })),
        cat(req({ L: v('6', '16') }), opt({ Ly: v('6', '8') })),
        req({ chain: v('2', '10') }),
      ),
      opt({ J: v('1', '-1', '0.5') }),
    ),
    weight: 3,
  },
  run: {
    args: cat(
      req({ T: v('0.5', '2', '2.269', '5'), sweeps: v('2', '5', '20'), thermalize: v('0', '3') }),
      opt({
        J: v('1', '-1', '0.5', '0'),
        h: v('0', '0.1', '-0.3'),
        replicas: v('1', '2', '3'),
        algorithm: v('metropolis', 'heatbath'),
        init: v('hot', 'cold'),
        seed: SEEDS,
      }),
      fc.oneof(
        { arbitrary: cat(req({ backend: v('cpu'), L: v('2', '4', '6', '8') }), opt({ Ly: v('2', '4') })), weight: 5 },
        { arbitrary: GPU_LATTICE, weight: 1 },
      ),
    ),
    weight: 5,
  },
  temper: {
    args: cat(
      req({
        L: v('2', '4', '6'),
        Tmin: v('1.5', '2'),
        Tmax: v('2.5', '3'),
        K: v('2', '3', '4'),
        sweeps: v('16', '20', '30'),
        thermalize: v('0', '5'),
        backend: v('cpu'),
      }),
      opt({
        ladder: v('geometric', 'linear', 'adaptive', '{{ladder}}'),
        'replicas-per-T': v('1', '2'),
        'exchange-every': v('1', '2'),
        tail: v('0', '2'),
        J: v('1', '-1'),
        seed: SEEDS,
      }),
    ),
    weight: 4,
  },
  sweep: {
    args: cat(
      req({
        L: v('4', '4,6', '2,4'),
        seeds: v('1', '2'),
        Tmin: v('2'),
        Tmax: v('2.6'),
        K: v('3', '4'),
        sweeps: v('16', '20'),
        thermalize: v('0', '4'),
        backend: v('cpu'),
      }),
      opt({ shard: v('0/2', '1/2', '0/1'), ladder: v('geometric', 'linear'), seed: SEEDS, tail: v('0', '2') }),
    ),
    outputs: { out: 'file' },
    weight: 3,
  },
  merge: {
    args: cat(fc.constantFrom(['{{sweep}}'], ['{{sweep}}', '{{sweep}}'], []), opt({ in: v('{{sweep}}') })),
    outputs: { out: 'file' },
    weight: 2,
  },
  fss: { args: fc.constant(['{{sweep}}']), outputs: { 'out-dir': 'dir' }, weight: 2 },
  learn: {
    args: cat(
      req({ N: v('1', '3', '5', '7'), sweeps: v('2', '10', '30'), thermalize: v('0', '5') }),
      opt({ 'replicas-per-T': v('1', '2'), seed: SEEDS, inputs: v('binary', 'gaussian') }),
      one(
        cat(
          one(req({ alpha: v('0.5', '1', '2') }), req({ P: v('1', '3', '5') })),
          one(req({ T: v('0.5', '1', '2') }), req({ Tmin: v('0.5'), Tmax: v('2'), K: v('2', '3') })),
          one(
            cat(req({ model: v('perceptron') }), opt({ data: v('teacher', 'random'), samples: v('1', '2') })),
            cat(
              req({ model: v('linear') }),
              opt({ lambda: v('0.01', '1'), noise: v('0', '0.5'), samples: v('1', '2') }),
            ),
          ),
          sw('exact'),
        ),
        cat(
          req({ alphas: v('0.5,1', '2'), T: v('1') }),
          fc.constant(['--curve']),
          opt({ data: v('teacher', 'random') }),
        ),
      ),
    ),
    weight: 4,
  },
  selfavg: {
    args: cat(
      req({
        N: v('3', '5', '3,5'),
        samples: v('2', '3'),
        T: v('0.5', '1'),
        sweeps: v('20', '50'),
        thermalize: v('0', '10'),
      }),
      opt({
        method: v('auto', 'exact', 'ti'),
        chains: v('1', '2'),
        K: v('2', '3'),
        alpha: v('0.5', '1.5'),
        data: v('teacher', 'random'),
        inputs: v('binary', 'gaussian'),
        seed: SEEDS,
      }),
    ),
    weight: 3,
  },
  compare: {
    args: cat(
      req({ L: v('16', '32'), sweeps: v('2', '3'), adapter: v('software') }),
      opt({
        kernel: v('checkerboard-u32', 'packed-u8', 'msc-4bit'),
        T: v('1', '2.269'),
        h: v('0', '0.2'),
        replicas: v('1', '2'),
        algorithm: v('metropolis', 'heatbath'),
        init: v('hot', 'cold'),
      }),
    ),
    weight: 1,
  },
  bench: {
    args: req({
      L: v('16'),
      kernels: v('checkerboard-u32'),
      sweeps: v('2'),
      repeats: v('1'),
      'cpu-L': v('8'),
      adapter: v('software'),
    }),
    weight: 1,
  },
};

/** A case: a command, its arguments (files by {{name}}), and fresh outputs to add. */
export interface FuzzCase {
  command: string;
  args: string[];
  outputs: Record<string, 'file' | 'dir'>;
  hostile: boolean;
}

/** The valid arm of one command: its flags, --quiet (but for exact) and mostly --json. */
function validCase(command: string): fc.Arbitrary<FuzzCase> {
  const m = MODELS[command];
  return fc.tuple(m.args, fc.integer({ min: 0, max: 9 })).map(([flags, roll]) => {
    const args = [...flags];
    // --quiet: on failure the one line on stderr is then the message alone, without progress lines.
    if (command !== 'exact') args.push('--quiet');
    if (roll < 8) args.push('--json');
    return { command, args, outputs: { ...(m.outputs ?? {}) }, hostile: false };
  });
}

/** Values no flag should take quietly: out of range, not numbers, empty, absurd. */
const HOSTILE_VALUES = v(
  '1e308',
  '-1e308',
  '1e-300',
  '-1',
  '0',
  '1.5',
  '2.5e9',
  '9007199254740993',
  'NaN',
  'Infinity',
  'abc',
  '',
  '0x10',
  ' 4',
  '4,,6',
  '1,2,3,4,5,6,7,8,9,10,11',
);

/** Files no command should hang on, read without bound, or crash on. */
const HOSTILE_FILES = v(
  '{{dir}}',
  '{{fifo}}',
  '{{garbage}}',
  '{{empty}}',
  '/dev/zero',
  '/dev/full',
  '/proc/nonexistent/x',
  '/nonexistent/dir/x.jsonl',
  '',
);

const FILE_FLAGS = new Set(['ladder', 'out', 'in', 'out-dir']);
/** Flags whose defaults are legal but run for seconds to minutes (20000 sweeps): never dropped. */
const LONG_DEFAULTS = new Set(['sweeps', 'thermalize']);

/** One hostile change to a valid case. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('value' as const), index: fc.nat(), value: HOSTILE_VALUES }),
  fc.record({ kind: fc.constant('file' as const), index: fc.nat(), value: HOSTILE_FILES }),
  fc.record({ kind: fc.constant('drop' as const), index: fc.nat(), value: fc.constant('') }),
  fc.record({ kind: fc.constant('unknown' as const), index: fc.nat(), value: v('--bogus', '--L=', '-x', '--') }),
  fc.record({ kind: fc.constant('repeat' as const), index: fc.nat(), value: fc.constant('') }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

/** The flag positions (index of the --name) in args. */
const flagPositions = (args: string[]) => args.flatMap((a, i) => (a.startsWith('--') ? [i] : []));

function applyMutation(c: FuzzCase, mu: Mutation): FuzzCase {
  const args = [...c.args];
  const outputs = { ...c.outputs };
  const flags = flagPositions(args);
  const takesValue = (i: number) => i + 1 < args.length && !args[i + 1].startsWith('--');
  const at = flags.length > 0 ? flags[mu.index % flags.length] : -1;
  // File flags get hostile files only: a value like 'abc' would be a file in the working directory.
  if (mu.kind === 'value' && at >= 0 && takesValue(at) && !FILE_FLAGS.has(args[at].slice(2))) args[at + 1] = mu.value;
  else if (mu.kind === 'file') {
    // A file flag or positional argument gets the hostile file; a fresh output may be replaced too.
    const fileAt = args.findIndex((a, i) => FILE_FLAGS.has(a.slice(2)) && takesValue(i));
    if (fileAt >= 0) args[fileAt + 1] = mu.value;
    else if (args.length > 0 && !args[0].startsWith('--')) args[0] = mu.value;
    else {
      const out = Object.keys(outputs)[mu.index % Math.max(1, Object.keys(outputs).length)];
      if (out !== undefined) {
        delete outputs[out];
        args.push(`--${out}`, mu.value);
      }
    }
  } else if (mu.kind === 'drop' && at >= 0 && !LONG_DEFAULTS.has(args[at].slice(2)))
    args.splice(at, takesValue(at) ? 2 : 1);
  else if (mu.kind === 'unknown')
    args.splice(at >= 0 ? at : args.length, 0, mu.value); // before a flag, never between it and its value
  else if (mu.kind === 'repeat' && at >= 0) args.push(...args.slice(at, takesValue(at) ? at + 2 : at + 1));
  return { ...c, args, outputs, hostile: true };
}

/** The commands of the test in the suite: all but bench, whose microbenchmarks alone take seconds. */
export const SUITE_COMMANDS = Object.keys(MODELS).filter((name) => name !== 'bench');

/** The two arms over `commands`: valid cases drawn by weight, and valid cases with one to three hostile changes. */
export function fuzzArms(commands: readonly string[] = SUITE_COMMANDS): {
  valid: fc.Arbitrary<FuzzCase>;
  hostile: fc.Arbitrary<FuzzCase>;
} {
  const valid = fc.oneof(...commands.map((name) => ({ arbitrary: validCase(name), weight: MODELS[name].weight })));
  const hostile = fc
    .tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([c, ms]) => ms.reduce(applyMutation, c));
  return { valid, hostile };
}

/** Cases that are not about flags: no command, an unknown one, help. */
export const oddCases: fc.Arbitrary<FuzzCase> = fc
  .constantFrom<string[]>([], ['frobnicate'], ['--help'], ['run', '--help'], ['temper', '-h'], ['--json'])
  .map((args) => ({ command: '', args: [...args], outputs: {}, hostile: true }));

/** The argv of a case: files filled in, fresh outputs under `root/cases/<n>`. */
export function argvOf(c: FuzzCase, files: FuzzFiles, n: number): string[] {
  const fill = (a: string) => a.replace(/\{\{(\w+)\}\}/g, (_, k: keyof FuzzFiles) => files[k]);
  const args = c.args.map(fill);
  const dir = join(files.root, 'cases', String(n));
  mkdirSync(dir, { recursive: true });
  for (const [flag, kind] of Object.entries(c.outputs))
    args.push(`--${flag}`, join(dir, kind === 'dir' ? 'plots' : 'out.jsonl'));
  return c.command ? [c.command, ...args] : args;
}

/** Seconds a case may take: valid cases are tiny; a refusal must be quick (issue 14: no hang past 10 s). */
export const CASE_BUDGET_SECONDS = 10;
/** bench's microbenchmarks alone take about 5 s, more on a loaded machine (it is not in the suite's test). */
const BENCH_BUDGET_SECONDS = 60;

/** The budget of a case, by its command. */
export const budgetOf = (argv: readonly string[]): number =>
  argv[0] === 'bench' ? BENCH_BUDGET_SECONDS : CASE_BUDGET_SECONDS;

/** The longest budget of any case (fast-check's timeout of a run that includes bench). */
export const MAX_BUDGET_SECONDS = BENCH_BUDGET_SECONDS;

/**
 * Why an outcome breaks the CLI's contract (undefined when it keeps it): exit 0, 2 or 3 (1 is an
 * internal error); on failure one line on stderr and nothing on stdout; on success with --json
 * exactly one JSON object with no null estimate; no NaN or Infinity printed; within the budget.
 */
export function contractBroken(argv: readonly string[], o: Outcome): string | undefined {
  if (![0, 2, 3].includes(o.code)) return `exit ${o.code}`;
  if (o.seconds > budgetOf(argv)) return `took ${o.seconds.toFixed(1)} s`;
  if ((o.maxRssMiB ?? 0) > MEMORY_BUDGET_MIB) return `took ${o.maxRssMiB?.toFixed(0)} MiB`;
  if (o.code !== 0) {
    if (o.stdout !== '') return 'output on stdout with a failure';
    const lines = o.stderr.trimEnd().split('\n');
    // Without --quiet (a hostile case may drop it), progress lines may come first: the message is the last.
    const quiet = argv.includes('--quiet') || argv[0] === 'exact';
    if (lines.at(-1) === '' || (quiet && lines.length !== 1)) return `${lines.length} lines on stderr with a failure`;
    return undefined;
  }
  const help = argv.includes('--help') || argv.includes('-h') || argv[0] === 'help';
  if (!help && argv.includes('--json')) {
    if (!/^\{.*\}\n$/s.test(o.stdout) || o.stdout.indexOf('\n') !== o.stdout.length - 1)
      return 'stdout is not one JSON object on one line';
    let parsed: unknown;
    try {
      parsed = JSON.parse(o.stdout);
    } catch {
      return 'stdout is not JSON';
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'stdout is not a JSON object';
    if (/"mean":null/.test(o.stdout)) return 'an estimate with a null mean';
  }
  if (/\bNaN\b|Infinity/.test(o.stdout)) return 'NaN or Infinity printed';
  return undefined;
}
