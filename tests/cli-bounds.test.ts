/**
 * Parameters whose results would overflow are refused up front (exit 2, one line naming the
 * parameter), never printed as null, NaN or -Infinity with exit 0, nor reported as a bug.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { argv, expectRefusedQuickly, ising } from './helpers/cli.ts';

async function expectRefused(line: string, message: RegExp): Promise<void> {
  const quiet = line.startsWith('exact') ? [] : ['--quiet'];
  await expectRefusedQuickly([...argv(line), ...quiet, '--json'], message);
}

describe.concurrent('overflowing parameters are parameter errors', () => {
  it('run: huge h or J, vanishing T (CPU and GPU)', async () => {
    await expectRefused(
      'run --L 4 --T 2.5 --h 1e308 --backend cpu',
      /^ising run: h must keep 2\|J\| \+ \|h\| at most 1e100/,
    );
    await expectRefused('run --L 4 --T 2.5 --J 1e308', /^ising run: J must keep/);
    await expectRefused(
      'run --L 4 --T 1e-300 --backend cpu',
      /^ising run: T must keep \(2\|J\| \+ \|h\|\)\/T at most 1e100/,
    );
  });

  it('temper: a ladder reaching T = 1e-300', async () => {
    await expectRefused('temper --L 4 --Tmin 1e-300 --Tmax 2 --K 4 --backend cpu', /^ising temper: T must keep/);
  });

  it('exact: Kaufman below T = |J|/100, the chain at T = 1e-300, enumeration at h = 1e308, L beyond 2^20', async () => {
    await expectRefused('exact --L 4 --T 0.005', /T must be at least \|J\|\/100 for Kaufman's formula/);
    await expectRefused('exact --chain 10 --T 1e-300', /T must keep/);
    await expectRefused('exact --L 4 --T 2.5 --h 1e308', /h must keep/);
    await expectRefused('exact --L 1000000000 --T 2.5', /--L must be an even integer in \[2, 1048576\]/);
    expect((await ising(['exact', '--help'])).stdout).toMatch(/--L .*\(at most 1048576\)/);
  });

  it('run: more samples than fit in 1 GB are refused before any sweep', async () => {
    await expectRefused(
      'run --L 2 --T 2.5 --replicas 65535 --sweeps 3000 --backend cpu',
      /--sweeps x --replicas must be at most 10000000 .*got 3000 x 65535/,
    );
  });

  it('learn and selfavg: datasets larger than 256 MiB are refused before any allocation', async () => {
    await expectRefused('learn --N 4095 --P 1000000 --T 1 --sweeps 10', /N x P x samples must be at most 33554432/);
    await expectRefused('selfavg --N 4095 --samples 4096 --T 1', /got 4095 x 6143 x 4096/);
  });

  it('learn and selfavg: temperatures outside [1e-6, 1e6] and a label noise beyond 1e6', async () => {
    await expectRefused('learn --N 9 --alpha 1.5 --T 1e-300', /--T must be a number in \[0.000001, 1000000\]/);
    await expectRefused(
      'learn --model linear --N 6 --alpha 2 --T 1 --noise 1e308',
      /--noise must be a number in \[0, 1000000\]/,
    );
    await expectRefused('selfavg --N 5 --samples 2 --T 1e-300', /--T must be a number in \[0.000001, 1000000\]/);
  });

  it('bench where no kernel suits any size: exit 2, not a result of skipped rows', async () => {
    await expectRefused(
      'bench --L 2 --kernels msc-1bit --sweeps 2 --repeats 1',
      /nothing could run \(msc-1bit at L = 2/,
    );
  });

  it('sizes beyond the CPU reference (2^28 spins) are refused before any allocation, sweep before creating --out', async () => {
    await expectRefused('run --L 46340 --T 2 --backend cpu', /^ising run: L x Ly x replicas must be at most 268435456/);
    const out = join(tmpdir(), `ising-bounds-${process.pid}.jsonl`);
    await expectRefused(
      `sweep --L 46340 --Tmin 2 --Tmax 3 --K 4 --backend cpu --out ${out}`,
      /^ising sweep: --L 46340 needs 8589582400 spins/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('a singular linear model (lambda 0, P < N) and the antiferromagnetic chain below |J|/300', async () => {
    await expectRefused(
      'learn --model linear --N 3 --P 1 --T 1 --lambda 0 --sweeps 20',
      /^ising learn: lambda must be > 0/,
    );
    await expectRefused('exact --chain 2 --T 0.001 --J -1', /^ising exact: T must be at least \|J\|\/300/);
  });

  it('temper: too few sweeps for the reweighting blocks is a flag error; a short legal run gives finite numbers', async () => {
    await expectRefused(
      'temper --L 8 --Tmin 2 --Tmax 2.6 --K 8 --sweeps 10 --backend cpu',
      /--sweeps must be an integer in \[16,/,
    );
    // 20 sweeps: τ_int estimates below 1/2 (even negative) must not break the multiple histogram.
    const r = await ising(
      argv('temper --L 8 --Tmin 2 --Tmax 2.6 --K 8 --sweeps 20 --thermalize 0 --backend cpu --quiet --json'),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/"(mean|err)":null|NaN|Infinity/);
  });

  it('SwiftShader: lattices of exactly 1 GiB, which it advertises but cannot allocate, are limit errors', async () => {
    for (const line of [
      'run --L 16384 --T 2 --sweeps 2 --thermalize 0 --kernel checkerboard-u32',
      'run --L 32768 --T 2 --sweeps 2 --thermalize 0 --kernel packed-u8',
      'run --L 16384 --T 2 --sweeps 2 --thermalize 0 --kernel msc-4bit --replicas 8',
    ]) {
      await expectRefused(
        `${line} --adapter software`,
        /needs 1073741824 bytes .* \(as allocated by this driver\) is 1072693248/,
      );
    }
  });

  it('temper: a side beyond 46340 (2^31 sites) is refused before the tail ladder is built (found by the fuzz script)', async () => {
    // L = 2.5e9 asked the default tail for 10^9 temperature slots: the heap ran out.
    await expectRefused(
      'temper --L 2500000000 --Tmin 1.5 --Tmax 3 --K 4 --sweeps 16 --backend cpu',
      /--L must be an even integer in \[2, 46340\]/,
    );
    await expectRefused(
      'sweep --L 65536 --Tmin 1.5 --Tmax 3 --K 4 --sweeps 16 --out /tmp/x',
      /--L must be .* \[2, 46340\]/,
    );
  });

  it('learn --backend gpu with Gaussian inputs names --inputs (the GPU perceptron sampler needs ±1 inputs)', async () => {
    await expectRefused(
      'learn --N 11 --P 20 --T 1 --backend gpu --inputs gaussian --sweeps 2',
      /^ising learn: inputs must be binary on the GPU/,
    );
  });

  it('learn --exact --backend gpu with P beyond the GPU enumeration (1024) names --N and P', async () => {
    await expectRefused(
      'learn --N 23 --P 2000 --T 1 --exact --backend gpu --sweeps 2 --thermalize 0',
      /^ising learn: --exact needs --N with .*P <= 1024\), got N = 23, P = 2000\n/,
    );
  });

  it('bench: sizes beyond the device, an endless --min-seconds and a huge --cpu-L are refused before measuring', async () => {
    // Each ran the microbenchmarks first (seconds), then skipped every size with exit 0, or never ended.
    await expectRefused(
      'bench --L 16384 --kernels checkerboard-u32 --sweeps 2 --repeats 1 --adapter software',
      /^ising bench: --L and --kernels: nothing could run \(checkerboard-u32 at L = 16384: .*needs 1073741824 bytes/,
    );
    await expectRefused(
      'bench --L 16 --min-seconds 1e308 --adapter software',
      /--min-seconds must be a number in \(0, 60\]/,
    );
    await expectRefused(
      'bench --L 16 --cpu-L 1000000 --adapter software',
      /--cpu-L must be an even integer in \[2, 16384\]/,
    );
  });

  it('Kaufman where its terms cancel (|J|/T below 1e-5) is refused, naming T', async () => {
    await expectRefused(
      'exact --L 2 --T 0.5 --J 1e-300',
      /^ising exact: T must be at most 100000\|J\| for Kaufman's formula/,
    );
  });

  it('found by the fuzz test: legal commands that were internal errors now give finite results', async () => {
    for (const line of [
      // The Ferrenberg–Swendsen residual stalled at 4.6e-10 (rounding) above tol 1e-10.
      'temper --L 2 --Tmin 1.5 --Tmax 2.5 --K 2 --sweeps 20000 --thermalize 0 --replicas-per-T 2 --tail 0 --seed 0 --backend cpu',
      // A 2x2 antiferromagnet sits at m = 0: the reweighted U4 is 0/0 (null), not NaN.
      'temper --L 2 --Tmin 1.5 --Tmax 2.5 --K 2 --sweeps 16 --thermalize 0 --tail 0 --J -1 --backend cpu',
      // The second dataset's seed was seed + 1, beyond the largest seed.
      'learn --model linear --N 3 --P 5 --T 1 --samples 2 --sweeps 2 --seed 9007199254740991',
    ]) {
      const r = await ising([...argv(line), '--quiet', '--json']);
      expect(r.code, `${line}: ${r.stderr}`).toBe(0);
      expect(r.stdout).not.toMatch(/"mean":null|NaN|Infinity/);
    }
  });

  it('values just inside the bounds still give finite results', async () => {
    for (const line of ['exact --L 4 --T 0.01', 'exact --chain 10 --T 1e-99']) {
      const r = await ising([...argv(line), '--json']);
      expect(r.code, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout);
      for (const k of ['lnZ_per_site', 'f', 'e', 'c']) expect(Number.isFinite(j[k]), `${line}: ${k}`).toBe(true);
    }
  });
});
