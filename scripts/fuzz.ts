/**
 * The long fuzz run of the CLI (the suite's tests/fuzz.test.ts runs a fixed few hundred cases):
 * `npx tsx scripts/fuzz.ts [--runs N] [--seed S] [--arm valid|hostile|both] [--commands run,temper,...] [--spawn]`.
 * Every command by default, bench included. Prints each broken case with its command line and the
 * seconds per command; exits 1 when a case broke the contract (tests/helpers/fuzz.ts).
 */
import { rmSync } from 'node:fs';
import fc from 'fast-check';
import {
  argvOf,
  contractBroken,
  type FuzzCase,
  fuzzArms,
  makeFuzzFiles,
  MAX_BUDGET_SECONDS,
  budgetOf,
  runSpawned,
  MODELS,
  runInProcess,
} from '../tests/helpers/fuzz.ts';

/** The script's own output: a case that runs past its budget still has stderr captured. */
const say = process.stderr.write.bind(process.stderr);

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const runs = Number(option('runs', '500'));
const seed = Number(option('seed', String(Date.now() % 2 ** 31)));
const arm = option('arm', 'both');
const commands = option('commands', Object.keys(MODELS).join(',')).split(',');
const spawn = process.argv.includes('--spawn');
if (!Number.isInteger(runs) || runs < 1 || !['valid', 'hostile', 'both'].includes(arm)) {
  say('usage: npx tsx scripts/fuzz.ts [--runs N] [--seed S] [--arm valid|hostile|both] [--commands a,b] [--spawn]\n');
  process.exit(2);
}
const unknown = commands.filter((c) => !(c in MODELS));
if (unknown.length > 0) {
  say(`unknown commands: ${unknown.join(', ')} (have: ${Object.keys(MODELS).join(', ')})\n`);
  process.exit(2);
}

const files = await makeFuzzFiles();
const cwd = process.cwd();
process.chdir(files.root); // a relative path a case writes to lands here, not in the repository
const { valid, hostile } = fuzzArms(commands);
const cases = arm === 'valid' ? valid : arm === 'hostile' ? hostile : fc.oneof(valid, hostile);
const seconds = new Map<string, { n: number; total: number; max: number; ok: number }>();
let n = 0;
let broken = 0;

const result = await fc.check(
  fc.asyncProperty(cases, async (c: FuzzCase) => {
    const argv = argvOf(c, files, n++);
    if (process.env.FUZZ_VERBOSE) say(`> ising ${argv.join(' ')}\n`);
    // --spawn: each case in a child process, killed past its budget, its peak memory measured.
    const o = spawn ? await runSpawned(argv, budgetOf(argv) + 5, files.root) : await runInProcess(argv);
    const s = seconds.get(c.command) ?? { n: 0, total: 0, max: 0, ok: 0 };
    const ok = s.ok + (o.code === 0 ? 1 : 0);
    seconds.set(c.command, { n: s.n + 1, total: s.total + o.seconds, max: Math.max(s.max, o.seconds), ok });
    if (process.env.FUZZ_VERBOSE)
      say(`${o.code} ${o.seconds.toFixed(2)}s ising ${argv.join(' ')}\n  ${o.stderr.trim()}\n`);
    const why = contractBroken(argv, o);
    if (why) {
      broken++;
      say(`BROKEN (${why}, exit ${o.code}): ising ${argv.join(' ')}\n  ${o.stderr.trim()}\n`);
    }
    return why === undefined;
  }),
  { numRuns: runs, seed, timeout: MAX_BUDGET_SECONDS * 1000, endOnFailure: true },
);
process.chdir(cwd);
rmSync(files.root, { recursive: true, force: true });
for (const [command, s] of [...seconds].sort()) {
  say(
    `${command.padEnd(8)} ${String(s.n).padStart(5)} cases (${s.ok} exit 0), ${(s.total / s.n).toFixed(2)} s mean, ${s.max.toFixed(2)} s max\n`,
  );
}
say(
  `seed ${seed}, ${result.numRuns} cases, ${broken} broken${result.failed ? `: ${fc.defaultReportMessage(result)}` : ''}\n`,
);
process.exit(result.failed ? 1 : 0);
