/**
 * Property-based fuzzing of the CLI (issue 14): flag sets for every command, valid (tiny sizes) and
 * hostile (huge, tiny, negative, not numbers, empty, missing, unknown, repeated flags; files that are
 * folders, FIFOs, devices, garbage or missing), run in-process through main(). Every outcome must
 * keep the contract of contractBroken (exit 0/2/3, one line on stderr on failure, stdout empty or one
 * JSON object, no NaN or null estimate, within the time budget). Fixed seeds: a failure reproduces;
 * `npx tsx scripts/fuzz.ts --runs N` runs longer, with other seeds.
 */
import { rmSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CpuIsingSampler } from '../src/models/ising/cpu-sampler.ts';
import {
  argvOf,
  CASE_BUDGET_SECONDS,
  contractBroken,
  type FuzzCase,
  type FuzzFiles,
  fuzzArms,
  makeFuzzFiles,
  oddCases,
  runInProcess,
} from './helpers/fuzz.ts';

const { valid, hostile } = fuzzArms();

let files: FuzzFiles;
let n = 0;

const cwd = process.cwd();
beforeAll(async () => {
  files = await makeFuzzFiles();
  process.chdir(files.root); // a relative path a case writes to lands here, not in the repository
}, 60_000);
afterAll(() => {
  process.chdir(cwd);
  rmSync(files.root, { recursive: true, force: true });
});

/** Run a case and fail with its command line and outcome when the contract is broken. */
async function check(c: FuzzCase): Promise<void> {
  const argv = argvOf(c, files, n++);
  const o = await runInProcess(argv);
  const broken = contractBroken(argv, o);
  if (broken) {
    throw new Error(
      `ising ${argv.join(' ')}\n  ${broken} (exit ${o.code}, ${o.seconds.toFixed(2)} s)\n  stderr: ${o.stderr}`,
    );
  }
}

const options = (seed: number, numRuns: number) => ({ seed, numRuns, timeout: CASE_BUDGET_SECONDS * 1000 });

describe('fuzz: the CLI keeps its contract on any flags', () => {
  it('valid flag sets of every command (tiny sizes) succeed or are refused cleanly', async () => {
    await fc.assert(fc.asyncProperty(valid, check), options(20261203, 400));
  }, 120_000);

  it('hostile flag sets and files are refused quickly with one line, never a crash, NaN or hang', async () => {
    await fc.assert(fc.asyncProperty(hostile, check), options(14, 1200));
  }, 120_000);

  it('no command, an unknown command, help', async () => {
    await fc.assert(fc.asyncProperty(oddCases, check), options(1, 12));
  });

  it('an internal error (injected) exits 1 with one line naming it, and the fuzz property catches it', async () => {
    const planted = vi.spyOn(CpuIsingSampler.prototype, 'run').mockRejectedValue(new RangeError('planted invariant'));
    try {
      const argv = ['run', '--L', '4', '--T', '2', '--sweeps', '2', '--thermalize', '0', '--backend', 'cpu', '--quiet'];
      const o = await runInProcess(argv);
      expect(o.code).toBe(1);
      expect(o.stdout).toBe('');
      expect(o.stderr).toBe('ising run: internal error: planted invariant (set ISING_DEBUG=1 for the stack)\n');
      expect(contractBroken(argv, o)).toBe('exit 1');
    } finally {
      planted.mockRestore();
    }
  });
});
