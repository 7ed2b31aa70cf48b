/**
 * Disorder sweeps: `ising sweep --p` shards a spin-glass disorder average over (L, sample) jobs,
 * `ising merge` combines the shards, and `ising glass --from` prints the disorder average, which
 * equals `ising glass` run directly with the same flags byte for byte (CPU); a GPU shard writes the
 * CPU shard's records; a killed sweep resumes to the same records, and one stopped by SIGTERM
 * resumes inside its job; bad combinations exit 2 naming the flag.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argv, BIN, expectRefusedQuickly, ising, killAfterFirstLine, ROOT, type CliResult } from './helpers/cli.ts';

let dir: string;
const tmp = (name: string) => path.join(dir, name);
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ising-glass-sweep-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const show = (r: CliResult): string => `exit ${r.code}\n--- stdout:\n${r.stdout}\n--- stderr:\n${r.stderr}`;

function ok(r: CliResult): Record<string, any> {
  expect(r.code, show(r)).toBe(0);
  return JSON.parse(r.stdout);
}

/** The flags `ising glass` and `ising sweep --p` share: 3 samples, a 3-temperature ladder, short runs. */
const RUN = '--p 0.5 --samples 3 --Tmin 0.5 --Tmax 3 --K 3 --sweeps 200 --thermalize 20 --seed 9 --quiet';
const SWEEP = argv(`sweep --L 4,6 ${RUN}`);

/** The lines of a sweep file without their `meta` (where and how fast a job ran), in job order. */
function core(file: string): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => {
      const { meta, ...rest } = JSON.parse(line);
      expect(meta).toBeTypeOf('object');
      return rest;
    })
    .sort((a, b) => a.job.index - b.job.index)
    .map((r) => JSON.stringify(r));
}

/** The flags of a CPU sweep of one size, and the file of its uninterrupted run. */
async function uninterrupted(L: number, sweeps: number, samples: number, name: string) {
  const run = RUN.replace('--sweeps 200', `--sweeps ${sweeps}`).replace('--samples 3', `--samples ${samples}`);
  const flags = argv(`sweep --L ${L} ${run} --backend cpu`);
  const full = tmp(`${name}-full.jsonl`);
  ok(await ising([...flags, '--out', full, '--json'], 120_000));
  return { flags, full };
}

const shard = (i: number, backend: string) =>
  ising([...SWEEP, '--shard', `${i}/2`, '--backend', backend, '--out', tmp(`${backend}-${i}.jsonl`), '--json']);

describe('ising sweep --p: a disorder average in shards', () => {
  it('2 shards merged give `ising glass`’s temperatures, samples and average, byte for byte, for each L', async () => {
    const [a, b] = await Promise.all([shard(0, 'cpu'), shard(1, 'cpu')]);
    expect(ok(a)).toMatchObject({ jobs_total: 6, jobs_in_shard: 3, ran: 3 });
    expect(ok(b)).toMatchObject({ jobs_total: 6, jobs_in_shard: 3, ran: 3 });
    const merged = tmp('merged.jsonl');
    const m = ok(await ising(argv(`merge ${tmp('cpu-0.jsonl')} ${tmp('cpu-1.jsonl')} --out ${merged} --json`)));
    expect(m).toMatchObject({ jobs: 6, jobs_total: 6, missing: [] });
    const first = JSON.parse(fs.readFileSync(merged, 'utf8').split('\n')[0]);
    expect(first.job).toEqual({ index: 0, L: 4, sample: 0 });

    for (const L of [4, 6]) {
      const direct = ok(await ising(argv(`glass --L ${L} ${RUN} --backend cpu --json`)));
      const from = ok(await ising(argv(`glass --L ${L} --from ${merged} --json`)));
      for (const key of ['temperatures', 'samples', 'average', 'tail_temperatures', 'Lx', 'p', 'seed'])
        expect(JSON.stringify(from[key]), `L=${L} ${key}`).toBe(JSON.stringify(direct[key]));
      expect(from.samples.map((s: { sample: number }) => s.sample)).toEqual([0, 1, 2]);
      // The table: the same lines as the run's between its header and its swap/time lines.
      const tableDirect = (await ising(argv(`glass --L ${L} ${RUN} --backend cpu`))).stdout.trimEnd().split('\n');
      const tableFrom = (await ising(argv(`glass --L ${L} --from ${merged}`))).stdout.trimEnd().split('\n');
      expect(tableFrom[0]).toContain(`from the 3 sweep records of ${merged}`);
      expect(tableFrom.slice(1)).toEqual(tableDirect.slice(1, -2));
    }
  });

  it('a GPU shard writes the CPU shard’s records (the glass study is bit-identical)', async () => {
    ok(await shard(1, 'gpu'));
    if (!fs.existsSync(tmp('cpu-1.jsonl'))) ok(await shard(1, 'cpu'));
    expect(core(tmp('gpu-1.jsonl'))).toEqual(core(tmp('cpu-1.jsonl')));
    const meta = JSON.parse(fs.readFileSync(tmp('gpu-1.jsonl'), 'utf8').split('\n')[0]).meta;
    expect(meta.backend).toBe('gpu');
  });

  it('a killed sweep resumes to the records of an uninterrupted one', async () => {
    const { flags, full } = await uninterrupted(4, 1500, 4, 'resume');
    const out = tmp('resume-killed.jsonl');
    const partial = await killAfterFirstLine([...flags, '--out', out], out);
    expect(partial).toBeGreaterThanOrEqual(1);
    expect(partial).toBeLessThan(4);
    const r = ok(await ising([...flags, '--out', out, '--json'], 60_000));
    expect(r.already_done).toBe(partial);
    expect(r.ran + r.already_done).toBe(4);
    expect(core(out)).toEqual(core(full));
  });

  it('SIGTERM inside a job saves it in <out>.checkpoint (exit 143); the rerun resumes inside it to the same record', async () => {
    const { flags, full } = await uninterrupted(8, 40000, 1, 'term');
    const out = tmp('term.jsonl');
    const child = spawn(process.execPath, [BIN, ...flags, '--out', out, '--checkpoint-every', '1'], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const started = Date.now();
    while (!fs.existsSync(`${out}.checkpoint`)) {
      expect(child.exitCode, 'the sweep ended before its first checkpoint').toBeNull();
      if (Date.now() - started > 60_000) throw new Error('no checkpoint in 60 s');
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(fs.readFileSync(out, 'utf8')).toBe(''); // the job had not finished
    const r = await ising([...flags.filter((f) => f !== '--quiet'), '--out', out, '--json'], 120_000);
    expect(ok(r)).toMatchObject({ ran: 1 });
    expect(r.stderr).toMatch(/job 0: resuming from .*term\.jsonl\.checkpoint/);
    expect(core(out)).toEqual(core(full));
    expect(fs.existsSync(`${out}.checkpoint`)).toBe(false);
  });
});

describe('bad combinations (exit 2, naming the flag)', () => {
  const out = () => ['--out', tmp('bad.jsonl')];
  it.each([
    ['--seeds 2', /--seeds does not go with --p/],
    ['--J 2', /--J does not go with --p/],
    ['--replicas-per-T 2', /--replicas-per-T does not go with --p/],
    ['--algorithm heatbath', /--algorithm does not go with --p/],
    ['--xi', /--xi does not go with --p/],
    ['--ladder adaptive', /--ladder adaptive does not go with --p/],
    ['--backend gpu --kernel msc-planes', /--kernel msc-planes has no ±J couplings/],
  ])('sweep --p with %s', async (bad, message) => {
    await expectRefusedQuickly([...SWEEP, ...argv(bad), ...out()], message);
  });

  it('--L below 4, and the glass flags without --p', async () => {
    await expectRefusedQuickly([...argv(`sweep --L 2,4 ${RUN}`), ...out()], /--L 2 is too small/);
    const ferro = argv('sweep --L 4 --Tmin 2 --Tmax 3 --K 3 --sweeps 200 --quiet');
    await expectRefusedQuickly([...ferro, '--samples', '3', ...out()], /--samples needs --p/);
    await expectRefusedQuickly([...ferro, '--real-replicas', '3', ...out()], /--real-replicas needs --p/);
  });

  it('glass --from: run flags, a ferromagnet sweep, another size, missing samples; fss of a disorder sweep', async () => {
    const shard0 = tmp('from-shard.jsonl');
    ok(await ising([...SWEEP, '--shard', '0/2', '--backend', 'cpu', '--out', shard0, '--json']));
    await expectRefusedQuickly(argv(`glass --L 4 --from ${shard0} --samples 3`), /--samples does not go with --from/);
    await expectRefusedQuickly(argv(`glass --L 8 --from ${shard0}`), /--L 8 is not a size of the sweep/);
    await expectRefusedQuickly(
      argv(`glass --L 4 --from ${shard0}`),
      /1 of 3 samples of L=4 missing \(first: sample 1\)/,
    );
    await expectRefusedQuickly(argv(`fss ${shard0} --quiet`), /--in: a disorder sweep/);
    const ferro = tmp('ferro.jsonl');
    ok(
      await ising(
        argv(`sweep --L 4 --seeds 1 --Tmin 2 --Tmax 3 --K 3 --sweeps 200 --backend cpu --quiet --out ${ferro} --json`),
      ),
    );
    await expectRefusedQuickly(argv(`glass --L 4 --from ${ferro}`), /--from: not a disorder sweep/);
    await expectRefusedQuickly(argv(`merge ${ferro} ${shard0} --out ${tmp('mixed.jsonl')}`), /different sweep/);
  });

  it('a line whose result is another sample’s is refused by merge, naming the line', async () => {
    const shard0 = tmp('from-shard.jsonl');
    if (!fs.existsSync(shard0)) ok(await ising([...SWEEP, '--shard', '0/2', '--backend', 'cpu', '--out', shard0]));
    const lines = fs.readFileSync(shard0, 'utf8').trimEnd().split('\n');
    const r = JSON.parse(lines[0]);
    r.result.sample = 1;
    const bad = tmp('wrong-sample.jsonl');
    fs.writeFileSync(bad, `${JSON.stringify(r)}\n`);
    await expectRefusedQuickly(argv(`merge ${bad} --out ${tmp('x.jsonl')}`), /wrong-sample\.jsonl:1: .*sample differs/);
  });
});
