/**
 * `ising compare`, `run`, `temper` and `sweep` with --algorithm swendsen-wang | wolff: the GPU
 * kernels and the CPU twin agree for several lattice sides (non-powers of two too), seeds and
 * temperatures; run reports Wolff's work in flipped spins; sweeps record the algorithm; impossible
 * combinations are refused with exit 2.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { argv, expectRefusedQuickly, ising } from './helpers/cli.ts';

describe('ising compare / run with cluster algorithms', () => {
  for (const line of [
    'compare --algorithm swendsen-wang --L 6 --sweeps 30 --T 2.0 --seed 3',
    'compare --algorithm swendsen-wang --L 10 --Ly 12 --sweeps 20 --T 2.269 --h 0.4 --replicas 2 --seed 99',
    'compare --algorithm swendsen-wang --L 12 --sweeps 20 --T 1.5 --J -1 --h 0.3 --init cold',
    'compare --algorithm wolff --L 12 --sweeps 40 --T 2.5 --seed 7',
    'compare --algorithm wolff --L 6 --Ly 10 --sweeps 40 --T 3.0 --J -1 --replicas 3',
  ]) {
    it(`${line}: identical`, async () => {
      const r = await ising([...argv(line), '--quiet', '--json']);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.identical).toBe(true);
      expect(out.flips_gpu.reduce((a: number, b: number) => a + b, 0)).toBeGreaterThan(0);
    });
  }

  it('run --algorithm wolff reports the mean cluster size and the sweep-equivalents', async () => {
    const r = await ising(
      argv('run --L 8 --T 2.269 --sweeps 200 --thermalize 10 --replicas 2 --algorithm wolff --json'),
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.algorithm).toBe('wolff');
    // Work is counted in flipped spins: sweep-equivalents = flips / N per replica = steps · <|C|> / N.
    expect(out.sweep_equivalents).toBeCloseTo((out.mean_cluster_size * 200) / 64, 9);
    expect(out.mean_cluster_size).toBeGreaterThan(1);
    expect(out.mean_cluster_size).toBeLessThanOrEqual(64);
    // Its rate counts the spins flipped (thermalisation included), not N per step.
    const flipped = out.flips_per_ns * out.seconds * 1e9;
    expect(flipped).toBeGreaterThanOrEqual(out.sweep_equivalents * 64 * 2 * (1 - 1e-12));
    expect(flipped).toBeLessThan(0.9 * 210 * 64 * 2);
    // h = 0: chi = beta N <m^2> from m and from the cluster sizes, each with an error bar.
    for (const k of ['chi_m2', 'chi_m2_improved']) expect(out[k].err).toBeGreaterThan(0);
  });

  it('temper --algorithm swendsen-wang runs cluster updates between exchanges', async () => {
    const line = 'temper --L 6 --Tmin 2 --Tmax 3 --K 3 --sweeps 100 --thermalize 10 --tail 0 --backend cpu';
    const r = await ising([...argv(line), '--algorithm', 'swendsen-wang', '--quiet', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.algorithm).toBe('swendsen-wang');
    expect(out.swap_acceptance).toHaveLength(2);
  });

  it('sweep --algorithm wolff records the algorithm, and a sweep with another algorithm is refused', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ising-cluster-sweep-')), 'w.jsonl');
    const line = `sweep --L 4,6 --seeds 1 --out ${out} --Tmin 2 --Tmax 3 --K 3 --sweeps 60 --thermalize 5 --tail 0`;
    const r = await ising([...argv(line), '--algorithm', 'wolff', '--backend', 'cpu', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const records = fs
      .readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.map((x) => [x.params.algorithm, x.result.algorithm])).toEqual([
      ['wolff', 'wolff'],
      ['wolff', 'wolff'],
    ]);
    await expectRefusedQuickly([...argv(line), '--backend', 'cpu', '--quiet'], /parameters differ in: algorithm/);
    fs.rmSync(path.dirname(out), { recursive: true });
  });

  it('refuses wolff in a field and cluster algorithms on a bit-packed kernel', async () => {
    await expectRefusedQuickly(
      argv('run --L 8 --T 2 --algorithm wolff --h 0.1 --quiet'),
      /h must be 0 with algorithm wolff/,
    );
    await expectRefusedQuickly(
      argv('compare --L 64 --sweeps 5 --algorithm swendsen-wang --kernel msc-4bit --quiet'),
      /kernel.*checkerboard-u32 only/,
    );
    await expectRefusedQuickly(
      argv('sweep --L 64 --out /tmp/never.jsonl --Tmin 2 --Tmax 3 --K 3 --algorithm wolff --kernel msc-1bit --quiet'),
      /--algorithm wolff does not suit --kernel msc-1bit/,
    );
  });
});
