/**
 * The `ising` CLI as a user runs it: each test spawns `node bin/ising.js <args>` in the project
 * root and checks the exit code, stdout and stderr. GPU commands run on whatever adapter Dawn
 * finds (SwiftShader on a machine without a GPU), so the sizes here are kept small.
 */
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, ising, type CliResult, argv } from './helpers/cli.ts';

const show = (r: CliResult): string =>
  `exit ${r.code} (signal ${r.signal})\n--- stdout:\n${r.stdout}\n--- stderr:\n${r.stderr}`;

/** The command succeeded and stdout is exactly one line holding one JSON object. */
function jsonOf(r: CliResult): Record<string, any> {
  expect(r.code, show(r)).toBe(0);
  expect(r.stdout.endsWith('\n'), show(r)).toBe(true);
  const lines = r.stdout.split('\n');
  expect(lines.length, `stdout must be one line:\n${show(r)}`).toBe(2);
  expect(lines[1]).toBe('');
  const parsed: unknown = JSON.parse(lines[0]);
  expect(parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed), show(r)).toBe(true);
  return parsed as Record<string, any>;
}

const isFiniteNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Exact e = <E>/N and c = beta^2 (<E^2> - <E>^2)/N over all 2^N states, energies given per state. */
function enumerate(N: number, energyOf: (spins: Int8Array) => number, T: number): { e: number; c: number } {
  const beta = 1 / T;
  const s = new Int8Array(N);
  const energies = new Float64Array(1 << N);
  let eMin = Infinity;
  for (let state = 0; state < 1 << N; state++) {
    for (let i = 0; i < N; i++) s[i] = (state >> i) & 1 ? 1 : -1;
    energies[state] = energyOf(s);
    eMin = Math.min(eMin, energies[state]);
  }
  let Z = 0;
  let E1 = 0;
  let E2 = 0;
  for (const E of energies) {
    const w = Math.exp(-beta * (E - eMin));
    Z += w;
    E1 += w * E;
    E2 += w * E * E;
  }
  E1 /= Z;
  E2 /= Z;
  return { e: E1 / N, c: (beta * beta * (E2 - E1 * E1)) / N };
}

/** E = -J sum_i s_i s_{i+1} - h sum_i s_i on a periodic chain. */
function chainEnergy(J: number, h: number): (s: Int8Array) => number {
  return (s) => {
    let E = 0;
    for (let i = 0; i < s.length; i++) E -= J * s[i] * s[(i + 1) % s.length] + h * s[i];
    return E;
  };
}

/** E = -J sum_<ij> s_i s_j - h sum_i s_i on an L x L torus (right and down bonds of each site). */
function torusEnergy(L: number, J: number, h: number): (s: Int8Array) => number {
  return (s) => {
    let E = 0;
    for (let y = 0; y < L; y++) {
      for (let x = 0; x < L; x++) {
        const v = s[y * L + x];
        E -= J * v * (s[y * L + ((x + 1) % L)] + s[((y + 1) % L) * L + x]) + h * v;
      }
    }
    return E;
  };
}

const STATS = ['e', 'm_abs', 'm2', 'm4', 'c', 'chi', 'binder'] as const;

/** The shape and sanity of `ising run --json` output. */
function checkRunShape(
  j: Record<string, any>,
  expected: { L: number; T: number; sweeps: number; replicas: number; backend: string },
): void {
  expect(j.L).toBe(expected.L);
  expect(j.T).toBe(expected.T);
  expect(j.h).toBe(0);
  expect(j.sweeps).toBe(expected.sweeps);
  expect(j.replicas).toBe(expected.replicas);
  expect(j.algorithm).toBe('metropolis');
  expect(j.backend).toBe(expected.backend);
  expect(typeof j.adapter).toBe('string');
  expect(j.adapter.length).toBeGreaterThan(0);
  for (const k of STATS) {
    expect(Object.keys(j[k] ?? {}).sort(), k).toEqual(['err', 'mean']);
    expect(isFiniteNumber(j[k].mean), `${k}.mean = ${j[k].mean}`).toBe(true);
    expect(isFiniteNumber(j[k].err), `${k}.err = ${j[k].err}`).toBe(true);
    expect(j[k].err, `${k}.err`).toBeGreaterThan(0);
  }
  expect(j.e.mean).toBeGreaterThanOrEqual(-2);
  expect(j.e.mean).toBeLessThanOrEqual(2);
  expect(j.m_abs.mean).toBeGreaterThanOrEqual(0);
  expect(j.m_abs.mean).toBeLessThanOrEqual(1);
  expect(isFiniteNumber(j.tau_int_e), `tau_int_e = ${j.tau_int_e}`).toBe(true);
  // 2000 correlated Metropolis samples: the integrated autocorrelation time is at least 1/2.
  expect(j.tau_int_e).toBeGreaterThanOrEqual(0.5);
  expect(j.acceptance).toBeGreaterThan(0);
  expect(j.acceptance).toBeLessThan(1);
  expect(isFiniteNumber(j.seconds) && j.seconds > 0, `seconds = ${j.seconds}`).toBe(true);
  expect(isFiniteNumber(j.flips_per_ns) && j.flips_per_ns > 0, `flips_per_ns = ${j.flips_per_ns}`).toBe(true);
}

describe('ising --json output', () => {
  it('exact --L 6 --T 2.0: Kaufman, matching the 6x6 table of Krauth, SMAC table 5.3', async () => {
    const j = jsonOf(await ising(['exact', '--L', '6', '--T', '2.0', '--json']));
    for (const k of ['method', 'L', 'T', 'lnZ_per_site', 'f', 'e', 'c']) expect(j).toHaveProperty(k);
    expect(j.method).toBe('kaufman');
    expect(j.L).toBe(6);
    expect(j.T).toBe(2);
    expect(Math.abs(j.e - -1.747329)).toBeLessThan(1e-6);
    expect(Math.abs(j.c - 0.685924)).toBeLessThan(1e-6);
    expect(Math.abs(j.f - -j.T * j.lnZ_per_site)).toBeLessThan(1e-12);
  });

  it('exact --L 4 --T 2.5 --h 0.3: enumeration, equal to a brute-force sum over 2^16 states', async () => {
    const j = jsonOf(await ising(['exact', '--L', '4', '--T', '2.5', '--h', '0.3', '--json']));
    expect(j.method).toBe('enumeration');
    expect(j.L).toBe(4);
    expect(j.h).toBe(0.3);
    expect(Math.abs(j.f - -j.T * j.lnZ_per_site)).toBeLessThan(1e-12);
    const ref = enumerate(16, torusEnergy(4, 1, 0.3), 2.5);
    expect(Math.abs(j.e - ref.e)).toBeLessThan(1e-10);
    expect(Math.abs(j.c - ref.c)).toBeLessThan(1e-9);
  });

  it('exact --chain 12 --T 1.5 --h 0.2: transfer matrix, equal to a brute-force sum over 2^12 states', async () => {
    const j = jsonOf(await ising(['exact', '--chain', '12', '--T', '1.5', '--h', '0.2', '--json']));
    expect(j.method).toBe('transfer-matrix');
    expect(j.T).toBe(1.5);
    expect(j.h).toBe(0.2);
    const ref = enumerate(12, chainEnergy(1, 0.2), 1.5);
    expect(Math.abs(j.e - ref.e)).toBeLessThan(1e-10);
    expect(Math.abs(j.c - ref.c)).toBeLessThan(1e-9);
    expect(Math.abs(j.f - -j.T * j.lnZ_per_site)).toBeLessThan(1e-12);
  });

  const RUN = argv('run --L 8 --T 3 --sweeps 2000 --thermalize 200 --replicas 2 --json --quiet');

  it('run on the GPU and on the CPU reference: full shape, and bit-identical results for one seed', async () => {
    const gpuRun = await ising(RUN);
    const gpu = jsonOf(gpuRun);
    console.log(`ising run --backend gpu ran on WebGPU adapter: ${gpu.adapter}`);
    checkRunShape(gpu, { L: 8, T: 3, sweeps: 2000, replicas: 2, backend: 'gpu' });
    expect(gpuRun.stderr, '--quiet: nothing on stderr').toBe('');

    const cpu = jsonOf(await ising([...RUN, '--backend', 'cpu']));
    checkRunShape(cpu, { L: 8, T: 3, sweeps: 2000, replicas: 2, backend: 'cpu' });
    expect(cpu.seed).toBe(gpu.seed);
    expect(cpu.e.mean).toBe(gpu.e.mean);
    expect(cpu.m_abs.mean).toBe(gpu.m_abs.mean);
    for (const k of STATS) expect(cpu[k], k).toEqual(gpu[k]);
    expect(cpu.acceptance).toBe(gpu.acceptance);
    expect(cpu.tau_int_e).toBe(gpu.tau_int_e);
  }, 60_000);

  it('compare --L 64 --sweeps 200 --json (acceptance): identical, exit 0, progress only on stderr', async () => {
    const r = await ising(['compare', '--L', '64', '--sweeps', '200', '--json']);
    const j = jsonOf(r);
    expect(j.identical).toBe(true);
    expect(j.first_mismatch).toBe(null);
    expect(j.mismatched_sites).toBe(0);
    expect(j.sites).toBe(64 * 64);
    expect(j.bonds_gpu).toHaveLength(1);
    expect(j.bonds_gpu).toEqual(j.bonds_cpu);
    expect(j.magnetization_gpu).toEqual(j.magnetization_cpu);
    expect(j.flips_gpu).toEqual(j.flips_cpu);
    expect(j.flips_gpu[0]).toBeGreaterThan(0);
    // Without --quiet the adapter line and progress are on stderr, not stdout.
    expect(r.stderr).toMatch(/adapter/);
  }, 60_000);

  it('compare --replicas 3 --h 0.3 --algorithm heatbath --L 10 --sweeps 50: identical', async () => {
    const r = await ising(argv('compare --L 10 --sweeps 50 --replicas 3 --h 0.3 --algorithm heatbath --json'));
    const j = jsonOf(r);
    expect(j.identical).toBe(true);
    expect(j.first_mismatch).toBe(null);
    expect(j.replicas).toBe(3);
    expect(j.h).toBe(0.3);
    expect(j.algorithm).toBe('heatbath');
    expect(j.sites).toBe(3 * 10 * 10);
    expect(j.bonds_gpu).toHaveLength(3);
    expect(j.bonds_gpu).toEqual(j.bonds_cpu);
    expect(j.magnetization_gpu).toEqual(j.magnetization_cpu);
    expect(j.flips_gpu).toEqual(j.flips_cpu);
  }, 60_000);

  it('bench --L 16,64 (all kernels) on the software adapter: well-formed figures, unsuitable sizes skipped', async () => {
    const j = jsonOf(
      await ising(
        argv(
          'bench --L 16,64 --json --min-seconds 0.05 --repeats 1 --cpu-L 16 --weights 9,12,16 --temper-L 16 --temper-K 4 --temper-chains 2',
        ),
      ),
    );
    console.log(`ising bench ran on WebGPU adapter: ${j.adapter} (timing: ${j.timing})`);
    expect(typeof j.adapter).toBe('string');
    expect(j.adapter.length).toBeGreaterThan(0);
    expect(['timestamp', 'wall']).toContain(j.timing);
    for (const k of ['copy_gbytes_per_s', 'philox_per_ns', 'cpu_reference_flips_per_ns']) {
      expect(isFiniteNumber(j[k]) && j[k] > 0, `${k} = ${j[k]}`).toBe(true);
    }
    const kernels = ['checkerboard-u32', 'packed-u8', 'msc-4bit', 'msc-1bit', 'msc-planes', 'resident'];
    expect(j.results.map((x: { kernel: string; L: number }) => `${x.kernel}@${x.L}`)).toEqual([
      ...kernels.map((k) => `${k}@16`),
      ...kernels.map((k) => `${k}@64`),
    ]);
    for (const x of j.results) {
      expect(x.replicas).toBe(1);
      if (x.kernel === 'msc-1bit' && x.L === 16) {
        // 1-bit words hold 32 sites of a colour: L = 16 cannot be packed, and the entry says why.
        expect(x.skipped).toMatch(/Lx must be a multiple of 64/);
        continue;
      }
      for (const k of ['flips_per_ns', 'wall_ms', 'bytes_per_flip', 'gbytes_per_s', 'fraction_of_copy_bandwidth']) {
        expect(isFiniteNumber(x[k]) && x[k] > 0, `${x.kernel}@${x.L} ${k} = ${x[k]}`).toBe(true);
      }
      expect(x.gpu_ms === null || (isFiniteNumber(x.gpu_ms) && x.gpu_ms > 0)).toBe(true);
      expect(x.gbytes_per_s).toBeCloseTo(x.bytes_per_flip * x.flips_per_ns, 12);
      expect(x.fraction_of_copy_bandwidth).toBeCloseTo(x.gbytes_per_s / j.copy_gbytes_per_s, 12);
      const ops = x.ops_per_flip;
      expect(ops.total).toBeCloseTo(ops.philox + ops.neighbours + ops.decision, 12);
    }
    // Tempering: today's path (checkerboard-u32) and the resident kernel, exchanges included.
    expect(j.tempering.rows.map((x: { kernel: string }) => x.kernel)).toEqual(['checkerboard-u32', 'resident']);
    for (const x of j.tempering.rows) {
      expect([x.L, x.K, x.chains, x.lattices]).toEqual([16, 4, 2, 8]);
      expect(isFiniteNumber(x.flips_per_ns) && x.flips_per_ns > 0, `tempering ${x.kernel}`).toBe(true);
    }
    // --weights: the perceptron sampler's rates, GPU with and without exchange and the CPU reference.
    const w = j.weights;
    expect([w.N, w.P, w.replicas, w.K]).toEqual([9, 12, 16, 8]);
    for (const side of ['gpu', 'gpu_exchange', 'cpu_reference']) {
      const x = w[side];
      expect(isFiniteNumber(x.weight_updates_per_ns) && x.weight_updates_per_ns > 0, `${side}`).toBe(true);
      expect(x.weight_updates_per_ns).toBeCloseTo((16 * 9 * x.sweeps) / (x.wall_ms * 1e6), 12);
      expect(x.example_updates_per_ns).toBeCloseTo(12 * x.weight_updates_per_ns, 12);
    }
    expect(j.results.find((x: { kernel: string }) => x.kernel === 'checkerboard-u32').bytes_per_flip).toBe(12);
  }, 60_000);
});

describe.concurrent('bad input: exit 2, empty stdout, one line on stderr naming the flag', () => {
  const cases: [args: string[], names: string][] = [
    [['run', '--L', '8', '--T', '2', '--nope', '1'], '--nope'],
    [['run', '--L', '8', '--T', 'abc'], '--T'],
    [['run', '--L', '7', '--T', '2'], '--L'],
    [['run', '--L', '0', '--T', '2'], '--L'],
    [['run', '--L', '8', '--T', '0'], '--T'],
    [['run', '--L', '8', '--T', '-1'], '--T'],
    [['run', '--L', '8', '--T', '2', '--sweeps', '0'], '--sweeps'],
    [['run', '--T', '2'], '--L'],
    [['run', '--L', '8', '--T', '2', '--algorithm', 'gibbs'], '--algorithm'],
    [['run', '--L', '8', '--T'], '--T'],
    [['run', '--L', '8', '--Ly', '5', '--T', '2'], '--Ly'],
    [['run', '--L', '8', '--T', '2', '--replicas', '0'], '--replicas'],
    [['exact', '--L', '8', '--T', '2', '--h', '0.1'], '--h'],
    [['exact', '--L', '7', '--T', '2'], '--L'],
    [['exact', '--L', '6', '--T', '0'], '--T'],
    [['exact', '--L', '6', '--T', '-1'], '--T'],
    [['exact', '--T', '2'], '--L'],
    [['exact', '--L', '6', '--T', '2', '--nope'], '--nope'],
    [['compare', '--L', '8'], '--sweeps'],
    [['compare', '--L', '7', '--sweeps', '5'], '--L'],
    [['compare', '--L', '8', '--sweeps', '5', '--T', '0'], '--T'],
    [['compare', '--L', '8', '--sweeps', '5', '--T', '-1'], '--T'],
    [['bench', '--L', '16,17', '--json'], '--L'],
    [['bench', '--kernels', 'fast', '--json'], '--kernels'],
    [['bench', '--weights', '8,10,16', '--json'], '--weights'],
    [['bench', '--weights', '9,10,12', '--json'], '--weights'],
    [['bench', '--weights', '9,10', '--json'], '--weights'],
    [['run', '--L', '8', '--T', '2', '--kernel', 'fast'], '--kernel'],
    [['run', '--L', '0x10', '--T', '2'], '--L'],
    [['run', '--L', '8', '--T', ' 2'], '--T'],
    [['run', '--L', '8', '--T', '2', '--sweeps', '1'], '--sweeps'],
    [['exact', '--chain', '8', '--Ly', '4', '--T', '2'], '--Ly'],
    [['exact', '--L', '6', '--T', '1e7'], '--T'],
  ];
  it.each(cases)('ising %j names %s', async (args, flag) => {
    const r = await ising(args);
    expect(r.code, show(r)).toBe(2);
    expect(r.stdout, show(r)).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines, show(r)).toHaveLength(1);
    expect(lines[0], show(r)).toContain(flag);
  });

  it('an invalid ISING_ADAPTER is a usage error naming it', async () => {
    const r = await new Promise<CliResult>((done) =>
      execFile(
        process.execPath,
        [BIN, 'run', '--L', '8', '--T', '2'],
        { cwd: ROOT, env: { ...process.env, ISING_ADAPTER: 'bogus' }, encoding: 'utf8' },
        (error, stdout, stderr) =>
          done({ code: error ? Number((error as { code?: unknown }).code) : 0, signal: null, stdout, stderr }),
      ),
    );
    expect(r.code, show(r)).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('ISING_ADAPTER');
  });

  it('an over-large lattice is refused with the limit and the largest L that fits, not a crash or a clamp', async () => {
    // checkerboard-u32: 4 GiB (--kernel auto would pick a 1-bit kernel, which fits).
    const r = await ising(['run', '--L', '32768', '--T', '2', '--sweeps', '10', '--kernel', 'checkerboard-u32']);
    expect(r.code, show(r)).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /needs 4294967296 bytes .* maxStorageBufferBindingSize( \(as allocated by this driver\))? is \d+; the largest square lattice that fits is L = \d+/,
    );
  });

  it('bare `ising` says so in one line on stderr, pointing to --help, and exits 2', async () => {
    const r = await ising([]);
    expect(r.code, show(r)).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^ising: no command given \(commands: exact, run, .*; see ising --help\)\n$/);
  });

  it('unknown command → exit 2, message names it', async () => {
    const r = await ising(['frobnicate', '--L', '8']);
    expect(r.code, show(r)).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n'), show(r)).toHaveLength(1);
    expect(r.stderr).toContain('frobnicate');
  });
});

describe.concurrent('--help', () => {
  const helps: [command: string, flags: string[]][] = [
    ['exact', ['L', 'Ly', 'T', 'J', 'h', 'chain', 'json']],
    ['run', argv('L Ly T J h sweeps thermalize replicas algorithm init seed backend kernel adapter quiet json')],
    ['compare', argv('L Ly sweeps T J h replicas algorithm init seed kernel adapter quiet json')],
    ['bench', argv('kernels L replicas T sweeps repeats min-seconds cpu-L seed adapter quiet weights json')],
  ];
  it.each(helps)('ising %s --help lists its flags', async (command, flags) => {
    const r = await ising([command, '--help']);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain(`usage: ising ${command}`);
    for (const f of flags)
      expect(r.stdout, `--${f} in ${command} --help`).toMatch(new RegExp(`^\\s+--${f}(\\s|$)`, 'm'));
  });

  it('ising --help lists the commands', async () => {
    const r = await ising(['--help']);
    expect(r.code, show(r)).toBe(0);
    for (const c of ['exact', 'run', 'compare', 'bench']) expect(r.stdout).toMatch(new RegExp(`^\\s+${c}\\s`, 'm'));
    expect(r.stdout).toContain('--json');
  });
});

describe('acceptance: Monte Carlo against the exact 16x16 torus', () => {
  it('run --L 16 --T 2.5 agrees with exact --L 16 --T 2.5 for e and c within 4 error bars', async () => {
    const [runResult, exactResult] = await Promise.all([
      ising(argv('run --L 16 --T 2.5 --json --quiet --sweeps 20000 --thermalize 2000 --replicas 4'), 90_000),
      ising(['exact', '--L', '16', '--T', '2.5', '--json']),
    ]);
    const mc = jsonOf(runResult);
    const ex = jsonOf(exactResult);
    expect(ex.method).toBe('kaufman');
    console.log(
      `16x16 T=2.5 on ${mc.adapter}: e = ${mc.e.mean} ± ${mc.e.err} (exact ${ex.e}), ` +
        `c = ${mc.c.mean} ± ${mc.c.err} (exact ${ex.c}), ${mc.seconds.toFixed(1)} s`,
    );
    for (const k of ['e', 'c'] as const) {
      expect(mc[k].err, k).toBeGreaterThan(0);
      expect(Math.abs(mc[k].mean - ex[k]), `${k}: ${mc[k].mean} ± ${mc[k].err} vs exact ${ex[k]}`).toBeLessThan(
        4 * mc[k].err,
      );
    }
  }, 120_000);
});
