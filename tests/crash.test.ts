/**
 * Crash consistency: long commands run with --checkpoint are killed (SIGKILL, at random points
 * after a checkpoint exists) and rerun until they finish; the final JSON must equal an
 * uninterrupted run's byte for byte, timing fields excepted. SIGTERM must save and exit 143.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { argv, BIN, ising, ROOT } from './helpers/cli.ts';
import { mulberry32 } from './helpers/prng.ts';

/** The JSON of a run without its timing fields, as text. */
function withoutTiming(stdout: string): string {
  const o = JSON.parse(stdout);
  for (const k of ['seconds', 'flips_per_ns']) delete o[k];
  return JSON.stringify(o);
}

interface Attempt {
  /** Milliseconds from the signal to the exit (NaN when the run finished first). */
  stopMs: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Start `ising args`; once `file` exists (a checkpoint was written), wait `delayMs` more and send
 * `signal`. A run that finishes first is returned as it is.
 */
function runAndSignal(args: readonly string[], file: string, delayMs: number, signal: NodeJS.Signals) {
  return new Promise<Attempt>((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    let sentAt = Number.NaN;
    const poll = setInterval(() => {
      if (!fs.existsSync(file)) return;
      clearInterval(poll);
      setTimeout(() => {
        sentAt = performance.now();
        child.kill(signal);
      }, delayMs);
    }, 20);
    child.on('close', (code, sig) => {
      clearInterval(poll);
      done({ stopMs: performance.now() - sentAt, code, signal: sig, stdout, stderr });
    });
  });
}

/** Kill the command up to `kills` times at random points, then let it finish; returns its stdout. */
async function killAndResume(args: readonly string[], kills: number, seed: number) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ising-crash-')), 'run.ckpt');
  const withCkpt = [...args, '--checkpoint', file, '--checkpoint-every', '1'];
  const random = mulberry32(seed);
  let resumedMidTask = 0;
  for (let k = 0; k < kills; k++) {
    const a = await runAndSignal(withCkpt, file, 50 + 700 * random(), 'SIGKILL');
    if (/resuming from .* in progress/.test(a.stderr)) resumedMidTask++;
    if (a.code === 0) return { stdout: a.stdout, resumedMidTask, file };
    expect(a.signal, a.stderr).toBe('SIGKILL');
  }
  const last = await ising(withCkpt, 120_000);
  expect(last.code, last.stderr).toBe(0);
  if (/resuming from .* in progress/.test(last.stderr)) resumedMidTask++;
  expect(fs.existsSync(file)).toBe(false); // a finished run removes its checkpoint
  return { stdout: last.stdout, resumedMidTask, file };
}

const CASES: [string, string, number][] = [
  [
    'temper (CPU, adaptive ladder)',
    'temper --L 16 --Tmin 2 --Tmax 3 --K 6 --ladder adaptive --sweeps 30000 --thermalize 2000 --backend cpu',
    3,
  ],
  ['temper (GPU)', 'temper --L 8 --Tmin 2 --Tmax 3 --K 4 --sweeps 6000 --thermalize 500 --backend gpu', 2],
  ['run (CPU)', 'run --L 32 --T 2.3 --sweeps 30000 --thermalize 3000 --replicas 4 --backend cpu', 2],
  [
    'learn (perceptron, CPU)',
    'learn --model perceptron --N 31 --alpha 1.2 --Tmin 0.4 --Tmax 2 --K 4 --sweeps 6000 --thermalize 500 --samples 2 --backend cpu',
    2,
  ],
];

/** Each command's uninterrupted JSON (timing removed), run once for all the tests that need it. */
const uninterrupted = new Map<string, Promise<string>>();
function wholeRun(args: readonly string[]): Promise<string> {
  const key = args.join(' ');
  if (!uninterrupted.has(key)) {
    uninterrupted.set(
      key,
      ising(args, 120_000).then((r) => {
        expect(r.code, r.stderr).toBe(0);
        return withoutTiming(r.stdout);
      }),
    );
  }
  return uninterrupted.get(key) as Promise<string>;
}

describe('crash consistency', () => {
  it.each(CASES)('%s killed with SIGKILL and resumed gives the uninterrupted JSON', async (_name, line, kills) => {
    const args = [...argv(line), '--json'];
    const resumed = await killAndResume(args, kills, line.length);
    expect(resumed.resumedMidTask, 'no kill landed inside a task').toBeGreaterThan(0);
    expect(withoutTiming(resumed.stdout)).toBe(await wholeRun(args));
  });

  it('SIGTERM saves and exits 143 promptly; the rerun resumes to the same result', async () => {
    const args = [...argv(CASES[0][1]), '--json'];
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ising-term-')), 'run.ckpt');
    const withCkpt = [...args, '--checkpoint', file];
    const stopped = await runAndSignal([...withCkpt, '--checkpoint-every', '1'], file, 300, 'SIGTERM');
    expect(stopped.code, stopped.stderr).toBe(143);
    expect(stopped.stdout).toBe('');
    expect(stopped.stderr).toMatch(/stopped by SIGTERM; the state is saved in .*run\.ckpt/);
    // About a second is the aim (a chunk is ~0.25 s, then the save); the bound only catches a hang.
    expect(stopped.stopMs).toBeLessThan(10_000);
    const resumed = await ising(withCkpt, 120_000);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resuming from/);
    expect(withoutTiming(resumed.stdout)).toBe(await wholeRun(args));
  });
});
