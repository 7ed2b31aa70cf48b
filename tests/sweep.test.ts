/**
 * `ising sweep`, `ising merge` and `ising fss` as a user runs them (`node bin/ising.js ...` in the
 * project root, CPU backend): shards merge to the unsharded sweep, a killed sweep resumes to the
 * same file, merge refuses conflicts, and fss on a small sweep around T_c finds the Binder
 * crossings near T_c and c peaks that agree with Kaufman's exact solution.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobSeed, parseShard, shardJobs, sweepJobs } from '../src/studies/scan/jobs.ts';
import { combine, crossings, findPeak, parabolaVertex, weightedLinearFit } from '../src/studies/scan/fss.ts';
import { linearTicks, logTicks, renderSvg } from '../src/plot/svg.ts';
import { argv, killAfterFirstLine } from './helpers/cli.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.resolve(ROOT, 'bin/ising.js');

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function ising(args: readonly string[], timeoutMs = 60_000): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.ISING_DEBUG;
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, env, timeout: timeoutMs, killSignal: 'SIGKILL', encoding: 'utf8' },
      (error, stdout, stderr) => {
        const err = error as (Error & { code?: unknown }) | null;
        done({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
      },
    );
  });
}

const show = (r: CliResult): string => `exit ${r.code}\n--- stdout:\n${r.stdout}\n--- stderr:\n${r.stderr}`;

function ok(r: CliResult): Record<string, any> {
  expect(r.code, show(r)).toBe(0);
  return JSON.parse(r.stdout);
}

/** The lines of a sweep file without their `meta` (where and how fast a job ran). */
function core(file: string): Record<string, any>[] {
  const text = fs.readFileSync(file, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .trimEnd()
    .split('\n')
    .map((line) => {
      const r = JSON.parse(line);
      expect(r.meta).toBeTypeOf('object');
      delete r.meta;
      return r;
    });
}

const byIndex = (lines: Record<string, any>[]) => [...lines].sort((a, b) => a.job.index - b.job.index);

let dir: string;
const tmp = (name: string) => path.join(dir, name);

// 2 sizes x 3 seeds = 6 jobs of a fraction of a second each.
const SMALL = argv('--L 8,12 --seeds 3 --Tmin 2 --Tmax 2.6 --K 4 --sweeps 2000 --thermalize 200 --backend cpu');
let reference: Record<string, any>[];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ising-sweep-test-'));
  const r = ok(await ising(['sweep', ...SMALL, '--out', tmp('full.jsonl'), '--quiet', '--json']));
  expect(r).toMatchObject({ jobs_total: 6, ran: 6, already_done: 0, all_jobs_in_out: true });
  reference = core(tmp('full.jsonl'));
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('ising sweep', () => {
  it('runs the jobs in the documented order with seeds derived from (master seed, L, seed index)', () => {
    expect(reference.map((l) => l.job)).toEqual(
      [8, 12].flatMap((L, iL) =>
        [0, 1, 2].map((s) => ({ index: iL * 3 + s, L, seed_index: s, seed: jobSeed(1, L, s) })),
      ),
    );
    for (const l of reference) {
      expect(l.job.seed).toBeLessThan(2 ** 52);
      expect(l.result.seed).toBe(l.job.seed);
      expect(l.result.L).toBe(l.job.L);
      expect(l.params).toEqual(reference[0].params);
      expect(l.result.temperatures).toHaveLength(4);
      expect(l.result).not.toHaveProperty('seconds');
    }
    expect(new Set(reference.map((l) => l.job.seed)).size).toBe(6);
  });

  it('(a) 3 shards merged equal the unsharded sweep', async () => {
    const shards = await Promise.all(
      [0, 1, 2].map((i) =>
        ising(['sweep', ...SMALL, '--shard', `${i}/3`, '--out', tmp(`shard-${i}.jsonl`), '--quiet', '--json']),
      ),
    );
    shards.forEach((r, i) => {
      expect(ok(r)).toMatchObject({ shard: `${i}/3`, jobs_in_shard: 2, ran: 2 });
      expect(core(tmp(`shard-${i}.jsonl`)).map((l) => l.job.index)).toEqual([i, i + 3]);
    });
    const m = ok(await ising(['merge', '--in', `${tmp('shard-*.jsonl')}`, '--out', tmp('merged.jsonl'), '--json']));
    expect(m).toMatchObject({ jobs: 6, jobs_total: 6, duplicates_dropped: 0, missing: [] });
    const merged = core(tmp('merged.jsonl'));
    expect(merged.map((l) => l.job.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(merged).toEqual(reference);
    // Byte for byte, once the meta fields are gone.
    expect(merged.map((l) => JSON.stringify(l))).toEqual(reference.map((l) => JSON.stringify(l)));
  });

  it('(b) resumes a killed sweep to the same file', async () => {
    const out = tmp('killed.jsonl');
    const partial = await killAfterFirstLine(['sweep', ...SMALL, '--out', out, '--quiet', '--json'], out);
    expect(partial).toBeGreaterThanOrEqual(1);
    expect(partial).toBeLessThan(6); // killed mid-sweep

    const r = ok(await ising(['sweep', ...SMALL, '--out', out, '--quiet', '--json']));
    expect(r.ran + r.already_done).toBe(6);
    expect(r.already_done).toBeGreaterThanOrEqual(1);
    const lines = core(out);
    expect(lines.map((l) => l.job.index).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(byIndex(lines)).toEqual(reference);

    // A third run has nothing left to do.
    expect(ok(await ising(['sweep', ...SMALL, '--out', out, '--quiet', '--json']))).toMatchObject({
      ran: 0,
      already_done: 6,
    });
  });

  it('(b) repairs a truncated last line', async () => {
    const out = tmp('truncated.jsonl');
    const full = fs.readFileSync(tmp('full.jsonl'), 'utf8').trimEnd().split('\n');
    fs.writeFileSync(out, `${full.slice(0, 4).join('\n')}\n${full[4].slice(0, 200)}`);
    const r = await ising(['sweep', ...SMALL, '--out', out, '--json']);
    expect(ok(r)).toMatchObject({ already_done: 4, ran: 2 });
    expect(r.stderr).toMatch(/truncated last line/);
    expect(core(out)).toEqual(reference);
  });

  it('refuses an --out file of another sweep, or a corrupt one (exit 2)', async () => {
    const other = tmp('other.jsonl');
    fs.copyFileSync(tmp('full.jsonl'), other);
    const r = await ising(['sweep', ...SMALL.map((a) => (a === '2000' ? '3000' : a)), '--out', other, '--quiet']);
    expect(r.code, show(r)).toBe(2);
    expect(r.stderr).toMatch(/different sweep.*sweeps/);

    const corrupt = tmp('corrupt.jsonl');
    const full = fs.readFileSync(tmp('full.jsonl'), 'utf8').split('\n');
    fs.writeFileSync(corrupt, [full[0], '{"not": "a record"}', full[1], ''].join('\n'));
    const c = await ising(['sweep', ...SMALL, '--out', corrupt, '--quiet']);
    expect(c.code, show(c)).toBe(2);
    expect(c.stderr).toMatch(/corrupt\.jsonl:2/);
  });
});

describe('ising merge', () => {
  it('drops exact duplicates whatever their meta', async () => {
    const copy = tmp('copy.jsonl');
    const lines = fs.readFileSync(tmp('full.jsonl'), 'utf8').trimEnd().split('\n');
    fs.writeFileSync(
      copy,
      lines.map((l) => `${JSON.stringify({ ...JSON.parse(l), meta: { seconds: 99 } })}\n`).join(''),
    );
    const m = ok(await ising(['merge', '--in', `${tmp('full.jsonl')},${copy}`, '--out', tmp('dups.jsonl'), '--json']));
    expect(m).toMatchObject({ jobs: 6, duplicates_dropped: 6 });
    expect(core(tmp('dups.jsonl'))).toEqual(reference);
  });

  /** Merge the full sweep with one more file into never.jsonl (which a refusal must not create). */
  const mergeWithFull = (extra: string) =>
    ising(['merge', '--in', `${tmp('full.jsonl')},${tmp(extra)}`, '--out', tmp('never.jsonl')]);

  it('(c) refuses conflicting lines for one job, and files of different sweeps (exit 2)', async () => {
    const lines = fs.readFileSync(tmp('full.jsonl'), 'utf8').trimEnd().split('\n');
    const bad = JSON.parse(lines[2]);
    bad.result.e[0].mean += 1e-9;
    fs.writeFileSync(tmp('conflict.jsonl'), `${JSON.stringify(bad)}\n`);
    const r = await mergeWithFull('conflict.jsonl');
    expect(r.code, show(r)).toBe(2);
    expect(r.stderr).toMatch(/job 2 \(L=8, seed_index 2\): conflicting lines/);
    expect(fs.existsSync(tmp('never.jsonl'))).toBe(false);

    const foreign = JSON.parse(lines[0]);
    foreign.params.sweeps = 4000;
    fs.writeFileSync(tmp('foreign.jsonl'), `${JSON.stringify(foreign)}\n`);
    const f = await mergeWithFull('foreign.jsonl');
    expect(f.code, show(f)).toBe(2);
    expect(f.stderr).toMatch(/different sweep.*sweeps/);
  });
});

describe('ising fss', () => {
  it('(d) finds the Binder crossings near T_c and the exact c peaks on a small sweep', async () => {
    // 3 sizes x 2 seeds, 8 temperatures around T_c, in 2 shards run side by side.
    const args = argv('--L 8,12,16 --seeds 2 --Tmin 2 --Tmax 2.7 --K 8 --sweeps 10000 --thermalize 1000 --backend cpu');
    const shards = await Promise.all(
      [0, 1].map((i) =>
        ising(['sweep', ...args, '--shard', `${i}/2`, '--out', tmp(`fss-${i}.jsonl`), '--quiet', '--json']),
      ),
    );
    shards.forEach(ok);
    ok(await ising(['merge', tmp('fss-0.jsonl'), tmp('fss-1.jsonl'), '--out', tmp('fss.jsonl'), '--json']));
    const plots = tmp('plots');
    const r = ok(await ising(['fss', tmp('fss.jsonl'), '--out-dir', plots, '--json']));

    expect(r.sizes).toEqual([8, 12, 16]);
    expect(r.jobs).toBe(6);
    expect(r.warnings).toEqual([]);
    for (const s of r.per_L) {
      expect(s.seeds).toBe(2);
      expect(s.temperatures).toHaveLength(8);
      for (const key of ['e', 'c', 'chi', 'binder', 'm_abs']) {
        expect(s[key]).toHaveLength(8);
        for (const x of s[key]) expect(Number.isFinite(x.mean) && x.err > 0).toBe(true);
      }
      expect(s.c_peak.bracketed).toBe(true);
      expect(s.chi_peak.bracketed).toBe(true);
      // The c peak agrees with the same parabola through Kaufman's exact c at the ladder points.
      const exact = s.exact.c_peak_ladder_parabola;
      expect(Math.abs(s.c_peak.height.mean - exact.c), JSON.stringify(s.c_peak)).toBeLessThan(5 * s.c_peak.height.err);
      expect(Math.abs(s.c_peak.T.mean - exact.T), JSON.stringify(s.c_peak)).toBeLessThan(5 * s.c_peak.T.err);
    }
    expect(r.binder_crossings.map((c: any) => [c.L1, c.L2])).toEqual([
      [8, 12],
      [12, 16],
    ]);
    for (const c of r.binder_crossings) {
      expect(c.T_cross.mean, JSON.stringify(c)).toBeGreaterThan(2.1);
      expect(c.T_cross.mean, JSON.stringify(c)).toBeLessThan(2.45);
      expect(c.T_cross.err).toBeGreaterThan(0);
    }
    expect(r.c_max_vs_lnL.sizes).toEqual([8, 12, 16]);
    expect(r.c_max_vs_lnL.slope.err).toBeGreaterThan(0);
    expect(r.c_max_vs_lnL.exact_slope).toBeCloseTo(0.4945, 4);
    expect(r.chi_max_vs_L.gamma_over_nu.err).toBeGreaterThan(0);
    expect(r.chi_max_vs_L.exact_gamma_over_nu).toBe(1.75);

    expect(Object.keys(r.plots).sort()).toEqual(['binder', 'c', 'c_max', 'chi_max']);
    for (const file of Object.values(r.plots) as string[]) {
      expect(path.dirname(file)).toBe(plots);
      const svg = fs.readFileSync(file, 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
      expect(svg).toMatch(/<polyline|<path/);
      // Well-formed enough: every element opened is closed or self-closing.
      const opened = (svg.match(/<(?!\/)[a-zA-Z]+[^>]*[^/]>/g) ?? []).length;
      const closed = (svg.match(/<\/[a-zA-Z]+>/g) ?? []).length;
      expect(opened).toBe(closed);
    }
  });
});

describe('bad flags (exit 2, naming the flag)', () => {
  it.each([
    [['--shard', '3/3'], '--shard'],
    [['--shard', 'x'], '--shard'],
    [['--L', '7'], '--L'],
    [['--L', '8,8'], '--L'],
    [['--backend', 'gpu', '--kernel', 'packed-u8'], '--L 12'], // checked before any GPU is opened
  ])('sweep %j', async (bad, flag) => {
    const args = [...SMALL, '--out', tmp('bad.jsonl')];
    const i = args.indexOf(bad[0]);
    if (i >= 0) args.splice(i, 2);
    const r = await ising(['sweep', ...args, ...bad]);
    expect(r.code, show(r)).toBe(2);
    expect(r.stderr).toContain(flag);
    expect(r.stdout).toBe('');
  });

  it('merge with no matching input', async () => {
    const r = await ising(['merge', '--in', tmp('nothing-*.jsonl'), '--out', tmp('x.jsonl')]);
    expect(r.code, show(r)).toBe(2);
    expect(r.stderr).toContain('--in');
  });
});

describe('sweep, fss and plot helpers', () => {
  it('shards partition the jobs; seeds depend on (master, L, seed index) only', () => {
    const jobs = sweepJobs({ L: [16, 32, 64], seeds: 4, seed: 7 });
    expect(jobs).toHaveLength(12);
    const shards = [0, 1, 2, 3, 4].map((i) => shardJobs(jobs, { i, n: 5 }).map((j) => j.index));
    expect(shards.flat().sort((a, b) => a - b)).toEqual(jobs.map((j) => j.index));
    expect(shards[1]).toEqual([1, 6, 11]);
    expect(sweepJobs({ L: [64], seeds: 2, seed: 7 })[1].seed).toBe(jobs[9].seed);
    expect(jobSeed(7, 64, 1)).not.toBe(jobSeed(8, 64, 1));
    expect(parseShard('9/10')).toEqual({ i: 9, n: 10 });
    for (const bad of ['10/10', '1/0', '-1/3', '1/3/4', ' 1/3', '1.0/3']) expect(parseShard(bad)).toBeUndefined();
  });

  it('estimators: inverse-variance mean, parabola peak, crossing, weighted fit', () => {
    const c = combine([
      { mean: 1, err: 1 },
      { mean: 2, err: 0.5 },
    ]);
    expect(c.mean).toBeCloseTo(1.8, 12);
    expect(c.err).toBeCloseTo(Math.sqrt(0.2), 12);
    // y = 3 − (x − 1.3)² through unequally spaced points.
    const f = (x: number) => 3 - (x - 1.3) ** 2;
    const v = parabolaVertex([1, 1.5, 2.2], [f(1), f(1.5), f(2.2)]);
    expect(v.x).toBeCloseTo(1.3, 12);
    expect(v.y).toBeCloseTo(3, 12);
    const T = [0.5, 1, 1.5, 2.2, 3];
    const peak = findPeak(
      T,
      T.map((x) => ({ mean: f(x), err: 0.01 })),
    );
    expect(peak.bracketed).toBe(true);
    expect(peak.T.mean).toBeCloseTo(1.3, 12);
    expect(peak.T.err).toBeGreaterThan(0);
    expect(
      findPeak(
        T,
        T.map((x) => ({ mean: x, err: 0.1 })),
      ).bracketed,
    ).toBe(false);
    // U_small = 0.5 − x/4 and U_big = 1 − 3x/4 cross at x = 1.
    const small = [0, 2].map((x) => ({ mean: 0.5 - 0.25 * x, err: 0.01 }));
    const big = [0, 2].map((x) => ({ mean: 1 - 0.75 * x, err: 0.01 }));
    const cross = crossings([0, 2], small, big);
    expect(cross).toHaveLength(1);
    expect(cross[0].direction).toBe('down');
    expect(cross[0].T.mean).toBeCloseTo(1, 12);
    const fit = weightedLinearFit([1, 2, 3, 4], [3, 5, 7, 9], [1, 1, 1, 1]);
    expect(fit.slope.mean).toBeCloseTo(2, 12);
    expect(fit.intercept.mean).toBeCloseTo(1, 12);
    expect(fit.slope.err).toBeCloseTo(Math.sqrt(1 / 5), 12);
    expect(fit.chi2).toBeCloseTo(0, 12);
  });

  it('svg: ticks and a standalone document', () => {
    expect(linearTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(logTicks(1, 1000)).toEqual([1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]);
    const svg = renderSvg({
      title: 'a < b & c',
      xLabel: 'x',
      yLabel: 'y',
      yScale: 'log',
      series: [
        {
          label: 'data',
          points: [
            { x: 1, y: 1, err: 0.1 },
            { x: 2, y: 10 },
            { x: 3, y: -1 },
          ],
        },
      ],
      vLines: [{ x: 2, label: 'T_c' }],
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('a &lt; b &amp; c');
    expect(svg).toMatch(/<polyline points="[\d.]+,[\d.]+ [\d.]+,[\d.]+"/); // the y = −1 point is left out on a log axis
  });
});
