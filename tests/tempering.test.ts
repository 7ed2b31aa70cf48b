/**
 * Parallel tempering: GPU and CPU take the same swap decisions bit for bit; the visited energies at
 * each temperature are Boltzmann-distributed and every replica spends 1/K of its time at each
 * slot; `ising temper` meets Kaufman's e, c and ln Z/N within 4 error bars; the adaptive ladder
 * evens out the swap acceptance.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { binningAnalysis, chiSquareGoodnessOfFit, specificHeatPeak } from '../src/analysis/index.ts';
import { CpuIsingSampler } from '../src/models/ising/cpu-sampler.ts';
import { GpuIsingSampler } from '../src/models/ising/gpu-sampler.ts';
import { densityOfStates, kaufman } from '../src/physics/index.ts';
import { temperStudy } from '../src/studies/tempering/study.ts';
import { pilotSeed } from '../src/studies/tempering/ladder.ts';
import { MAX_SEED } from '../src/rng/streams.ts';
import { geometricLadder, MAX_LADDER_TEMPERATURES, parseLadder } from '../src/tempering/ladder.ts';
import { temperingPlan } from '../src/studies/tempering/run.ts';
import { roundTrips } from '../src/tempering/round-trips.ts';
import { highTemperatureLnZ, lnZByIntegration } from '../src/studies/tempering/free-energy.ts';
import { swapTables, swapThreshold } from '../src/tempering/swap-tables.ts';
import { testGpu } from './helpers/gpu.ts';
import { makeSampler, type Backend } from './helpers/samplers.ts';
import { expectWithin } from './helpers/stats.ts';
import { argv } from './helpers/cli.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

describe('ln Z by thermodynamic integration: errors of correlated slots', () => {
  it('with the series, the error of identical series at two points adds linearly, not in quadrature', () => {
    // Two points whose energy series are the same white noise (one replica seen at both).
    const x = Float64Array.from({ length: 2048 }, (_, t) => ((Math.sin(t * 78.233) * 43758.5453) % 1) - 1.2);
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    const err = binningAnalysis(x).err;
    const betas = [0.04, 0.24];
    const e = [
      { mean, err },
      { mean, err },
    ];
    const c = [
      { mean: 0, err: 0 },
      { mean: 0, err: 0 },
    ];
    const h = betas[1] - betas[0];
    const independent = lnZByIntegration(betas, e, c, 1);
    const correlated = lnZByIntegration(betas, e, c, 1, [[x], [x]]);
    expect(independent[1].mean).toBeCloseTo(highTemperatureLnZ(0.04, 1) - h * mean, 12);
    expect(correlated[1].mean).toBe(independent[1].mean);
    expect(independent[1].err).toBeCloseTo(Math.SQRT2 * (h / 2) * err, 12);
    expect(correlated[1].err).toBeCloseTo(h * err, 12);
    // Two independent chains halve the variance.
    expect(
      lnZByIntegration(betas, e, c, 1, [
        [x, x],
        [x, x],
      ])[1].err,
    ).toBeCloseTo((h * err) / Math.SQRT2, 12);
  });
});

describe('replica exchange decisions', () => {
  it('swap thresholds follow min(1, exp((β_k − β_{k+1})(E_k − E_{k+1}))) with E = −J·bonds', () => {
    const temps = [1.5, 2.0, 2.0, 3.0];
    const t = swapTables(temps, 1, 1000);
    const a = 1 / 1.5 - 1 / 2.0;
    for (const delta of [-8, -2, 0, 2, 4, 16, 64, 200]) {
      const p = Math.min(1, Math.exp(-a * delta));
      const expected = p >= 1 ? 0xffffffff : Math.min(0xffffffff, Math.floor(p * 2 ** 32));
      expect(swapThreshold(t, 0, delta), `Δ = ${delta}`).toBe(expected);
    }
    expect(swapThreshold(t, 1, 100)).toBe(0xffffffff); // equal temperatures always swap
    const anti = swapTables([1, 2], -1, 100); // J < 0 flips the favourable direction
    expect(swapThreshold(anti, 0, -4)).toBe(Math.floor(Math.exp(-(1 - 0.5) * 4) * 2 ** 32));
    expect(swapThreshold(anti, 0, 4)).toBe(0xffffffff);
  });

  for (const kernel of ['checkerboard-u32', 'msc-1bit', 'resident'] as const) {
    for (const every of [1, 3]) {
      it(`GPU (${kernel}) and CPU: identical permutations, slots and acceptances (exchange every ${every})`, async () => {
        const temps = [1.7, 2.0, 2.3, 2.7, 3.2];
        const config = {
          Lx: kernel === 'checkerboard-u32' ? 6 : 64,
          Ly: kernel === 'resident' ? 4 : 6,
          replicas: 3 * temps.length,
          temperatures: temps,
          seed: 77,
        };
        const gpu = await GpuIsingSampler.create(await testGpu(), config, { kernel });
        const cpu = new CpuIsingSampler(config, { kernel });
        try {
          const plan = temperingPlan(cpu, every);
          for (const sweeps of [300, 170]) {
            const g = await gpu.run({ sweeps, tempering: plan });
            const c = await cpu.run({ sweeps, tempering: plan });
            expect(g.permutations).toEqual(c.permutations);
            expect(g.swapAccepted).toEqual(c.swapAccepted);
            expect(g.swapAttempted).toEqual(c.swapAttempted);
            expect(g.bonds).toEqual(c.bonds);
            expect(gpu.config.slots).toEqual(cpu.config.slots);
            expect(Array.from(g.swapAccepted!).every((x) => x > 0)).toBe(true); // swaps happened
          }
          expect(await gpu.spins()).toEqual(await cpu.spins());
        } finally {
          gpu.destroy();
        }
      });
    }
  }

  it('tempering refuses h != 0 and K not dividing the replicas, naming the problem', async () => {
    const cpu = new CpuIsingSampler({ Lx: 4, Ly: 4, replicas: 4, temperatures: [2, 3], h: 0.1 });
    await expect(cpu.run({ sweeps: 1, tempering: temperingPlan(cpu) })).rejects.toThrow(/h = 0/);
    const odd = new CpuIsingSampler({ Lx: 4, Ly: 4, replicas: 3, temperatures: [2, 3] });
    await expect(odd.run({ sweeps: 1, tempering: temperingPlan(odd) })).rejects.toThrow(
      /multiple of the 2 temperatures/,
    );
  });
});

describe('tempering samples the Boltzmann distribution (4x4 torus)', () => {
  for (const backend of ['gpu', 'cpu'] as const satisfies readonly Backend[]) {
    it(`energy histogram at every temperature and equal occupancy of slots (${backend})`, async () => {
      const temps = geometricLadder(1.5, 3.5, 6);
      const K = temps.length;
      const chains = 16;
      const R = K * chains;
      const sampler = await makeSampler(backend, {
        Lx: 4,
        Ly: 4,
        replicas: R,
        temperatures: temps,
        seed: backend === 'gpu' ? 31 : 32,
      });
      const plan = temperingPlan(sampler);
      await sampler.run({ sweeps: 200, tempering: plan });
      const run = await sampler.run({ sweeps: 4000, tempering: plan });
      sampler.destroy();
      const perms = run.permutations!;
      const dos = densityOfStates(4, 4);
      const byBonds = new Map<number, number>();
      for (const d of dos) byBonds.set(d.bonds, (byBonds.get(d.bonds) ?? 0) + d.count);
      const levels = [...byBonds.keys()].sort((a, b) => a - b);
      const THIN = 8;
      temps.forEach((T, k) => {
        const observed = new Array<number>(levels.length).fill(0);
        for (let t = 0; t < run.samples; t += THIN) {
          for (let c = 0; c < chains; c++) observed[levels.indexOf(run.bonds[t * R + perms[t * R + c * K + k]])]++;
        }
        const logw = levels.map((b) => Math.log(byBonds.get(b)!) + b / T);
        const top = Math.max(...logw);
        const fit = chiSquareGoodnessOfFit(
          observed,
          logw.map((l) => Math.exp(l - top)),
        );
        expect(fit.pValue, `T = ${T.toFixed(3)}: chi2 ${fit.chi2.toFixed(1)} with ${fit.dof} dof`).toBeGreaterThan(
          1e-3,
        );
      });
      // Every replica spends 1/K of its time at each slot, within 4 error bars (binning: the
      // indicator series is correlated over a round trip).
      for (const r of [0, 5, R - 1]) {
        for (let k = 0; k < K; k++) {
          const chain = Math.floor(r / K);
          const indicator = new Float64Array(run.samples);
          for (let t = 0; t < run.samples; t++) indicator[t] = perms[t * R + chain * K + k] === r ? 1 : 0;
          const b = binningAnalysis(indicator);
          expect(Math.abs(b.mean - 1 / K), `replica ${r} at slot ${k}: ${b.mean} ± ${b.err}`).toBeLessThan(
            4 * b.err + 1e-9,
          );
        }
      }
      expect(roundTrips(perms, R, K).reduce((a, b) => a + b, 0)).toBeGreaterThan(R);
    });
  }
});

describe('ising temper against Kaufman', () => {
  it('8x8, K = 8 (CPU reference, in process): e, c, ln Z/N (integration and multiple histogram) at every ladder temperature, reweighted curves between them, the c peak', async () => {
    const j = await temperStudy({
      L: 8,
      ladder: { kind: 'geometric', Tmin: 1.8, Tmax: 3.0, K: 8 },
      replicasPerT: 4,
      sweeps: 6000,
      thermalize: 600,
      exchangeEvery: 1,
      J: 1,
      seed: 3,
    });
    j.temperatures.forEach((T: number, k: number) => {
      const ex = kaufman(8, 8, T);
      expectWithin(`e(${T})`, j.e[k], ex.e);
      expectWithin(`c(${T})`, j.c[k], ex.c);
      expectWithin(`lnZ/N(${T})`, j.lnZ_per_site[k]!, ex.lnZPerSite);
    });
    expect(j.round_trips).toBeGreaterThan(10);
    // Multiple histogram: ln Z/N at the ladder points, and e, c reweighted between them.
    j.temperatures.forEach((T: number, k: number) =>
      expectWithin(`lnZ/N MH(${T})`, j.lnZ_per_site_mh[k]!, kaufman(8, 8, T).lnZPerSite),
    );
    expect(j.reweighted).toHaveLength(3 * 7);
    for (const p of j.reweighted) {
      const ex = kaufman(8, 8, p.T);
      expectWithin(`reweighted e(${p.T})`, p.e, ex.e);
      expectWithin(`reweighted c(${p.T})`, p.c, ex.c);
    }
    // The specific-heat peak of the exact 8x8 curve.
    const exactPeak = specificHeatPeak((b) => kaufman(8, 8, 1 / b), 1.8, 3.0);
    expectWithin('c peak T', j.c_peak.T, exactPeak.T);
    expectWithin('c peak height', j.c_peak.c, exactPeak.c);
  });

  // msc-4bit: the per-site mapping; resident: bit-plane decisions, whole sweeps in workgroup memory.
  for (const kernel of ['msc-4bit', 'resident'] as const) {
    it(`16x16, K = 16 through the CLI on the GPU (${kernel} kernel): e, c and ln Z/N at all 16 temperatures`, async () => {
      const out = await new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          argv(
            `bin/ising.js temper --L 16 --Tmin 1.8 --Tmax 3.0 --K 16 --sweeps 8000 --thermalize 1000 --replicas-per-T 2 --kernel ${kernel} --json --quiet`,
          ),
          { cwd: ROOT, maxBuffer: 1 << 24 },
          (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
        ),
      );
      const j = JSON.parse(out);
      console.log(
        `ising temper 16x16 on ${j.adapter}: ${j.seconds.toFixed(1)} s, acceptance ${j.swap_acceptance.map((a: number) => a.toFixed(2)).join(' ')}, ${j.round_trips} round trips`,
      );
      expect(j.temperatures).toHaveLength(16);
      expect(j.swap_acceptance).toHaveLength(15);
      j.temperatures.forEach((T: number, k: number) => {
        const ex = kaufman(16, 16, T);
        expectWithin(`e(${T})`, j.e[k], ex.e);
        expectWithin(`c(${T})`, j.c[k], ex.c);
        expectWithin(`lnZ/N(${T})`, j.lnZ_per_site[k]!, ex.lnZPerSite);
        expectWithin(`lnZ/N MH(${T})`, j.lnZ_per_site_mh[k], ex.lnZPerSite);
      });
      expect(j.kernel).toBe(kernel);
    });
  }

  it('the adaptive ladder evens out swap acceptance on a 16x16 lattice', async () => {
    const common = { L: 16, replicasPerT: 2, sweeps: 3000, thermalize: 300, exchangeEvery: 1, J: 1, seed: 5, tail: 0 };
    const spacing = { Tmin: 1.6, Tmax: 4.0, K: 8 };
    const geo = await temperStudy({ ...common, ladder: { kind: 'geometric', ...spacing } });
    const ada = await temperStudy({ ...common, ladder: { kind: 'adaptive', ...spacing } });
    const spread = (a: number[]): number => Math.max(...a) - Math.min(...a);
    console.log(
      `acceptance spread: geometric ${spread(geo.swap_acceptance).toFixed(3)}, adaptive ${spread(ada.swap_acceptance).toFixed(3)}`,
    );
    expect(spread(ada.swap_acceptance)).toBeLessThan(0.15);
    expect(spread(ada.swap_acceptance)).toBeLessThan(spread(geo.swap_acceptance) / 2);
    expect(ada.temperatures[0]).toBe(1.6);
    expect(ada.temperatures[7]).toBe(4.0);
  });
});

describe('adaptive ladder pilot seeds', () => {
  it('stay within the seed range at the largest seed, apart from the run and from each other', () => {
    for (const seed of [0, 1, MAX_SEED - 1003, MAX_SEED]) {
      const seeds = [0, 1, 2, 3].map((round) => pilotSeed(seed, round));
      for (const s of seeds) expect(Number.isSafeInteger(s) && s >= 0 && s <= MAX_SEED && s !== seed).toBe(true);
      expect(new Set(seeds).size).toBe(4);
    }
    expect(pilotSeed(1, 0)).toBe(1001); // unchanged for every seed that has room above it
  });
});

describe('ladder files', () => {
  it('take plain decimal temperatures, at most MAX_LADDER_TEMPERATURES of them', () => {
    expect(parseLadder('# T\n1.5, 2\n2.5e0 3 # hot end\n')).toEqual([1.5, 2, 2.5, 3]);
    expect(() => parseLadder('0x2 3')).toThrow(/'0x2' is not a temperature/);
    expect(() => parseLadder('1 Infinity')).toThrow(/'Infinity' is not a temperature/);
    const many = Array.from({ length: MAX_LADDER_TEMPERATURES + 1 }, (_, i) => 1 + i / 1000).join('\n');
    expect(() => parseLadder(many)).toThrow(/needs 2 to 1024 temperatures, found 1025/);
  });
});
