/** Running the `ising` CLI from tests as a child process: exit code, stdout, stderr. */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import { expect } from 'vitest';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = resolve(ROOT, 'bin/ising.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run `ising ...args` and capture everything; never rejects (a timeout shows as code null). */
export function ising(
  args: readonly string[],
  timeoutMs = 30_000,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
  delete env.ISING_DEBUG; // would append a stack trace to stderr
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const err = error as (Error & { code?: unknown; signal?: NodeJS.Signals | null }) | null;
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        done({ code, signal: err?.signal ?? null, stdout, stderr });
      },
    );
  });
}

/** The CLI refuses `args` with exit code 2, a message matching `flag` on stderr, and nothing on stdout. */
export async function expectUsageError(args: readonly string[], flag: RegExp): Promise<void> {
  const r = await ising(args);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(flag);
  expect(r.stdout).toBe('');
}

/**
 * The CLI refuses `args` within 10 s (a hang shows as a failure, not a stall): exit code 2, one line
 * on stderr matching `message`, nothing on stdout. Returns stderr for further checks.
 */
export async function expectRefusedQuickly(args: readonly string[], message: RegExp): Promise<string> {
  const r = await ising(args, 10_000);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(message);
  expect(r.stdout).toBe('');
  return r.stderr;
}

/** A command line written as one string (for arguments without spaces). */
export const argv = (line: string): string[] => line.split(' ');

/**
 * Start `ising ...args` and SIGKILL it as soon as `file` holds a complete line (a crash mid-run);
 * returns the number of complete lines the file held then.
 */
export async function killAfterFirstLine(args: readonly string[], file: string): Promise<number> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
  const started = Date.now();
  while (!(fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes('\n'))) {
    if (Date.now() - started > 30_000) throw new Error(`ising ${args[0]} wrote no line to ${file} in 30 s`);
    await new Promise((r) => setTimeout(r, 5));
  }
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
}
