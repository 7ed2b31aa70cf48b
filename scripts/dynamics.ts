/**
 * Critical slowing down, measured: τ_int of e and |m| at Tc for Metropolis, Swendsen–Wang and Wolff
 * at several L, the dynamic exponent z fitted to τ ∝ L^z (least squares in ln τ against ln L), and
 * independent samples per second (samples/s ÷ 2τ_int of |m|). Wolff's τ and rates are counted in
 * sweep-equivalents (N flipped spins). The lattices are bit-identical on both backends, so τ is
 * too; only the rates depend on the backend. All runs are made in this one process, side by side.
 *
 *   npx tsx scripts/dynamics.ts [--backend cpu|gpu] [--L 16,32,64] [--scale 1] [--out FILE.json]
 *
 * --scale multiplies every run length (measured sweeps: Metropolis 400·L^1.2, Swendsen–Wang 10000,
 * Wolff 10000 sweep-equivalents; 4 replicas each, after 2000 sweep-equivalents of thermalisation;
 * Wolff's sweep-equivalents per step are those of the measured run itself).
 * --out writes the raw rows and fitted exponents as JSON (τ in sweep-equivalents).
 */
import fs from 'node:fs';
import { pooledIntegratedAutocorrelationTimes, type AutocorrelationTime } from '../src/analysis/index.ts';
import { openNodeDevice } from '../src/gpu/node.ts';
import type { Algorithm, IsingConfig } from '../src/models/ising/config.ts';
import { CpuIsingSampler } from '../src/models/ising/cpu-sampler.ts';
import { GpuIsingSampler } from '../src/models/ising/gpu-sampler.ts';
import type { IsingSampler } from '../src/models/ising/sampler.ts';
import { isingSlotSeries } from '../src/studies/series.ts';

const TC = 2 / Math.log(1 + Math.SQRT2);
const R = 4;
const flag = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const backend = flag('backend', 'cpu');
const sizes = flag('L', '16,32,64').split(',').map(Number);
const scale = Number(flag('scale', '1'));
const out = flag('out', '');
const ctx = backend === 'gpu' ? await openNodeDevice() : undefined;

async function sampler(config: IsingConfig): Promise<IsingSampler> {
  return ctx ? GpuIsingSampler.create(ctx, config) : new CpuIsingSampler(config);
}

interface Row {
  algorithm: Algorithm;
  L: number;
  /** Sweep-equivalents per sample (1, or the mean Wolff cluster over N). */
  perSample: number;
  /** τ_int of e and |m| in sweep-equivalents. */
  tauE: AutocorrelationTime;
  tauM: AutocorrelationTime;
  /** Sweep-equivalents per second, all replicas together. */
  samplesPerSecond: number;
  /** samplesPerSecond ÷ 2τ_int(|m|). */
  independentPerSecond: number;
}

/** Sweep-equivalents of a Wolff run: its flipped spins over R·N. */
const sweepEquivalents = (flips: ArrayLike<number>, N: number): number =>
  Array.from(flips).reduce((a, b) => a + b, 0) / (R * N);

/**
 * Thermalise for `sweeps` sweep-equivalents and return sweep-equivalents per step: 1, or for Wolff
 * the mean cluster over N of the last chunk. Wolff's clusters are tiny in a hot start, so its
 * chunks go on until they add up to `sweeps` (a pilot before thermalising underestimates them).
 */
async function thermalise(s: IsingSampler, algorithm: Algorithm, N: number, sweeps: number): Promise<number> {
  if (algorithm !== 'wolff') {
    await s.run({ sweeps, measureEvery: 0 });
    return 1;
  }
  const chunk = 500;
  let perStep = 1;
  for (let done = 0; done < sweeps; done += chunk * perStep) {
    perStep = sweepEquivalents((await s.run({ sweeps: chunk, measureEvery: 0 })).flips, N) / chunk;
  }
  return perStep;
}

async function measure(algorithm: Algorithm, L: number): Promise<Row> {
  const N = L * L;
  const s = await sampler({ Lx: L, Ly: L, replicas: R, temperatures: [TC], algorithm, seed: 2026 + L });
  const pilot = await thermalise(s, algorithm, N, 2000 * scale);
  const measured = (algorithm === 'metropolis' ? 400 * L ** 1.2 : 10000) * scale;
  const steps = Math.max(100, Math.round(measured / pilot));
  const t0 = performance.now();
  const run = await s.run({ sweeps: steps, measureEvery: 1 });
  const seconds = (performance.now() - t0) / 1000;
  s.destroy();
  // The measured run's own sweep-equivalents per step convert Wolff's τ and rates.
  const perSample = algorithm === 'wolff' ? sweepEquivalents(run.flips, N) / steps : 1;
  const { energy, magnetization } = isingSlotSeries(run, 1, { J: 1, h: 0, N })[0];
  const absM = magnetization.map((m) => m.map(Math.abs));
  const inSweeps = (t: AutocorrelationTime): AutocorrelationTime => ({
    ...t,
    tau: t.tau * perSample,
    err: t.err * perSample,
  });
  const [tauE, tauM] = pooledIntegratedAutocorrelationTimes([energy, absM]).map(inSweeps);
  const samplesPerSecond = (run.samples * R * perSample) / seconds;
  const independentPerSecond = samplesPerSecond / (2 * tauM.tau);
  return { algorithm, L, perSample, tauE, tauM, samplesPerSecond, independentPerSecond };
}

/** Slope of ln y against ln x (least squares). */
function fitZ(xs: number[], ys: number[]): number {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let sxy = 0;
  let sxx = 0;
  lx.forEach((x, i) => {
    sxy += (x - mx) * (ly[i] - my);
    sxx += (x - mx) ** 2;
  });
  return sxy / sxx;
}

const fmt = (t: AutocorrelationTime): string =>
  `${t.tau.toFixed(2)} ± ${t.err.toFixed(2)}${t.converged ? '' : ' (window not reached)'}`;

const rows: Row[] = [];
const started = performance.now();
for (const algorithm of ['metropolis', 'swendsen-wang', 'wolff'] as const) {
  for (const L of sizes) {
    rows.push(await measure(algorithm, L));
    process.stderr.write(`done ${algorithm} L=${L} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
  }
}
const adapter = ctx ? `${ctx.adapterName}` : 'CPU reference';
console.log(`At T = Tc on ${adapter}; ${R} replicas per run; τ in sweeps (Wolff: sweep-equivalents).\n`);
console.log(
  '| algorithm | L | τ_int(e) | τ_int(\\|m\\|) | sweeps/s (all replicas) | independent samples/s (÷ 2τ_\\|m\\|) |',
);
console.log('| --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(
    `| ${r.algorithm} | ${r.L} | ${fmt(r.tauE)} | ${fmt(r.tauM)} | ` +
      `${r.samplesPerSecond.toPrecision(3)} | ${r.independentPerSecond.toPrecision(3)} |`,
  );
}
const fits: { algorithm: Algorithm; zE: number; zM: number }[] = [];
console.log('\n| algorithm | z from τ_int(e) | z from τ_int(\\|m\\|) |');
console.log('| --- | --- | --- |');
for (const algorithm of ['metropolis', 'swendsen-wang', 'wolff'] as const) {
  const mine = rows.filter((r) => r.algorithm === algorithm);
  const Ls = mine.map((r) => r.L);
  const zE = fitZ(
    Ls,
    mine.map((r) => r.tauE.tau),
  );
  const zM = fitZ(
    Ls,
    mine.map((r) => r.tauM.tau),
  );
  console.log(`| ${algorithm} | ${zE.toFixed(2)} | ${zM.toFixed(2)} |`);
  fits.push({ algorithm, zE, zM });
}
if (out) {
  const tau = ({ tau, err, converged }: AutocorrelationTime) => ({ tau, err, converged });
  const raw = rows.map((r) => ({
    algorithm: r.algorithm,
    L: r.L,
    sweep_equivalents_per_step: r.perSample,
    tau_e: tau(r.tauE),
    tau_abs_m: tau(r.tauM),
    sweeps_per_second: r.samplesPerSecond,
    independent_samples_per_second: r.independentPerSecond,
  }));
  const command = `npx tsx scripts/dynamics.ts ${process.argv.slice(2).join(' ')}`;
  const json = { command, adapter, T: TC, replicas: R, scale, date: new Date().toISOString(), rows: raw, z: fits };
  fs.writeFileSync(out, `${JSON.stringify(json, null, 2)}\n`);
}
ctx?.destroy();
