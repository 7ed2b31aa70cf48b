/**
 * Inputs and outputs that used to hang the CLI or read without end: a FIFO or /dev/zero as a
 * ladder or sweep file, an --out-dir under /proc (where recursive mkdir loops). Each must be
 * refused within seconds with exit 2 and a message naming the flag and the file.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, argv, expectRefusedQuickly, ising } from './helpers/cli.ts';

/** Refused: exit 2, one line naming `flag` and `file`, nothing on stdout, well within 10 s. */
async function expectRefused(args: string[], flag: RegExp, file: string): Promise<void> {
  expect(await expectRefusedQuickly(args, flag)).toContain(file);
}

describe('CLI files: special files and unmakeable folders are refused, never hang', () => {
  let tmp = '';
  let fifo = '';
  let sweepFile = '';
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ising-files-'));
    fifo = join(tmp, 'fifo');
    execFileSync('mkfifo', [fifo]);
    sweepFile = join(tmp, 'sweep.jsonl');
    const r = await ising(
      argv(`sweep --L 4 --seeds 1 --Tmin 2 --Tmax 2.6 --K 4 --sweeps 50 --thermalize 10 --backend cpu --quiet`).concat(
        '--out',
        sweepFile,
      ),
    );
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const temper = argv('temper --L 4 --Tmin 2 --Tmax 3 --K 4 --sweeps 16 --backend cpu --ladder');

  it('temper --ladder: a FIFO and /dev/zero', async () => {
    await expectRefused([...temper, fifo], /--ladder.*not a regular file/, fifo);
    await expectRefused([...temper, '/dev/zero'], /--ladder.*not a regular file/, '/dev/zero');
  });

  it('merge and fss: a FIFO and /dev/zero as the sweep file', async () => {
    await expectRefused(['merge', fifo, '--out', join(tmp, 'm.jsonl')], /not a regular file/, fifo);
    await expectRefused(['fss', '/dev/zero'], /--in.*not a regular file/, '/dev/zero');
  });

  it('a record claiming 10^9 seeds is refused at once (no listing of 10^9 jobs)', async () => {
    const line = JSON.parse(readFileSync(sweepFile, 'utf8'));
    line.params.seeds = 1e9;
    const huge = join(tmp, 'huge.jsonl');
    writeFileSync(huge, `${JSON.stringify(line)}\n`);
    await expectRefused(['merge', huge, '--out', join(tmp, 'm2.jsonl')], /outside a sweep's range/, huge);
    await expectRefused(['fss', huge], /outside a sweep's range/, huge);
  });

  it('a record whose estimates are null is refused by merge and fss alike, naming the line', async () => {
    const line = JSON.parse(readFileSync(sweepFile, 'utf8'));
    line.result.e = null;
    const bad = join(tmp, 'null-e.jsonl');
    writeFileSync(bad, `${JSON.stringify(line)}\n`);
    await expectRefused(['merge', bad, '--out', join(tmp, 'm3.jsonl')], /:1: not a sweep record: "result.e"/, bad);
    await expectRefused(['fss', bad], /:1: not a sweep record: "result.e"/, bad);
  });

  it('fss --out-dir under /proc: exit 2 naming the folder, no endless mkdir', async () => {
    await expectRefused(['fss', sweepFile, '--out-dir', '/proc/ising-webgpu/x'], /--out-dir: cannot create/, '/proc');
  });

  const sweep = argv(
    'sweep --L 4 --seeds 1 --Tmin 2 --Tmax 2.6 --K 4 --sweeps 50 --thermalize 10 --backend cpu --quiet',
  );

  it('sweep --out that cannot be written is refused before any work', async () => {
    await expectRefused([...sweep, '--out', '/proc/ising-webgpu.jsonl'], /--out: cannot create/, '/proc');
    await expectRefused([...sweep, '--out', '/nonexistent/dir/x.jsonl'], /--out: cannot create/, '/nonexistent');
    await expectRefused([...sweep, '--out', ''], /--out: an empty path/, 'empty');
  });

  it('merge --out a folder: exit 2, and no temporary file left behind', async () => {
    const dir = join(tmp, 'outdir');
    mkdirSync(dir);
    await expectRefused(['merge', sweepFile, '--out', dir], /--out: .* is not a regular file/, dir);
    expect(readdirSync(tmp).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('a symlinked --out with a torn last line is repaired through the link, which stays a link', async () => {
    const real = join(tmp, 'real.jsonl');
    const link = join(tmp, 'link.jsonl');
    appendFileSync(real, `${readFileSync(sweepFile, 'utf8')}{"job":{"ind`);
    symlinkSync(real, link);
    const r = await ising([...sweep, '--out', link]);
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe(readFileSync(sweepFile, 'utf8'));
  });

  it('a lock on --out held by a live process refuses a second writer; a stale one is taken over and released', async () => {
    const out = join(tmp, 'locked.jsonl');
    writeFileSync(`${out}.lock`, JSON.stringify({ pid: process.pid, host: hostname() }));
    await expectRefused(
      [...sweep, '--out', out],
      new RegExp(`--out: .* is being written by process ${process.pid}`),
      out,
    );
    const gone = spawnSync(process.execPath, ['-e', '0']).pid; // a pid that has exited
    writeFileSync(`${out}.lock`, JSON.stringify({ pid: gone, host: hostname() }));
    const r = await ising([...sweep, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(`${out}.lock`)).toBe(false);
  });

  it('SIGTERM stops a sweep after its current job with exit 143 and releases its lock', async () => {
    const out = join(tmp, 'term.jsonl');
    // Many short jobs (~0.1 s each): the signal is handled at the end of the job in progress.
    const long = argv('sweep --L 8 --seeds 200 --Tmin 2 --Tmax 2.6 --K 4 --sweeps 300 --backend cpu --quiet');
    const child = spawn(process.execPath, [BIN, ...long, '--out', out], { stdio: 'ignore' });
    while (!existsSync(`${out}.lock`)) {
      expect(child.exitCode, 'the sweep ended before taking its lock').toBeNull();
      await new Promise((go) => setTimeout(go, 50));
    }
    const t0 = Date.now();
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    expect(code).toBe(143);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(existsSync(`${out}.lock`)).toBe(false);
  });
});

describe('CLI files: --checkpoint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ising-ckpt-cli-'));
  const run = argv('run --L 8 --T 2.5 --sweeps 40 --thermalize 10 --backend cpu --quiet --json');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a file that is not a checkpoint (it is never overwritten), a directory and /proc', async () => {
    const junk = join(dir, 'notes.txt');
    writeFileSync(junk, 'my notes\n');
    await expectRefused([...run, '--checkpoint', junk], /--checkpoint: .*not a usable checkpoint/, junk);
    expect(readFileSync(junk, 'utf8')).toBe('my notes\n');
    await expectRefused([...run, '--checkpoint', dir], /--checkpoint: .*not a regular file/, dir);
    await expectRefused([...run, '--checkpoint', '/proc/x.ckpt'], /--checkpoint: cannot create/, '/proc/x.ckpt');
  });

  it('a finished run removes its checkpoint; one of other flags is refused naming the flag', async () => {
    const file = join(dir, 'run.ckpt');
    const done = await ising([...run, '--checkpoint', file]);
    expect(done.code, done.stderr).toBe(0);
    expect(existsSync(file)).toBe(false);
    const temper = argv('temper --L 8 --Tmin 2 --Tmax 3 --K 4 --sweeps 200000 --backend cpu --quiet --json');
    const stop = spawn(process.execPath, [BIN, ...temper, '--checkpoint', file]);
    while (!existsSync(`${file}.lock`)) await new Promise((go) => setTimeout(go, 20));
    await new Promise((go) => setTimeout(go, 1500));
    stop.kill('SIGINT');
    const code = await new Promise((go) => stop.on('close', go));
    expect(code).toBe(130);
    const other = temper.map((a) => (a === '200000' ? '100000' : a));
    await expectRefused([...other, '--checkpoint', file], /--sweeps 200000, this command has --sweeps 100000/, file);
  });

  it('a resume must read the same --couplings content, not just the same path', async () => {
    const file = join(dir, 'glass.ckpt');
    const couplings = join(dir, 'j.json');
    const write = await ising(argv(`glass --L 4 --p 0.5 --seed 3 --quiet --write-couplings ${couplings}`));
    expect(write.code, write.stderr).toBe(0);
    const glass = argv(
      `glass --L 4 --couplings ${couplings} --Tmin 0.5 --Tmax 3 --K 4 --sweeps 400000 --backend cpu --quiet --json`,
    );
    const stop = spawn(process.execPath, [BIN, ...glass, '--checkpoint', file]);
    const closed = new Promise((go) => stop.on('close', go));
    while (!existsSync(`${file}.lock`) && stop.exitCode === null) await new Promise((go) => setTimeout(go, 20));
    await new Promise((go) => setTimeout(go, 1500));
    stop.kill('SIGINT');
    expect(await closed).toBe(130);
    const j = JSON.parse(readFileSync(couplings, 'utf8'));
    j.right[0] = -j.right[0];
    writeFileSync(couplings, JSON.stringify(j));
    await expectRefused(
      [...glass, '--checkpoint', file],
      /written with --couplings ".*j\.json \(sha256 [0-9a-f]{16}\)"/,
      file,
    );
  });
});
