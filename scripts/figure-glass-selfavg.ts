/**
 * Figure and numbers: self-averaging in the ±J spin glass. For L = 4, 8, 16 (p = 0.5), `SAMPLES`
 * disorder samples are run by the glass study (2 real replicas, a ladder from T = 1 up with the
 * tail for ln Z); at T = 1 the standard deviation over samples of f = −T ln Z/N is fitted to
 * std ∝ N^(−a) (weighted least squares in log–log, σ(ln std) = 1/√(2(S−1))), to be compared with
 * a = 1/2 (f self-averages). The relative spread of the samples' χ_SG = N⟨q²⟩ is shown beside it.
 * CPU reference (about 10 minutes: L = 16 is 32 samples x 2 replicas x 24 slots of 256 spins), or the
 * GPU with --gpu.
 *
 *   npx tsx scripts/figure-glass-selfavg.ts [out.svg] [--gpu]     (default docs/glass-selfavg.svg)
 */
import { writeFileSync } from 'node:fs';
import { openNodeDevice } from '../src/gpu/node.ts';
import { renderSvg } from '../src/plot/svg.ts';
import { glassStudy } from '../src/studies/glass/study.ts';
import { weightedLinearFit } from '../src/studies/scan/fss.ts';

const args = process.argv.slice(2);
const out = args.find((a) => !a.startsWith('--')) ?? 'docs/glass-selfavg.svg';
const SAMPLES = 32;
const SIZES = [4, 8, 16];
const T = 1;

const std = (x: number[]): number => {
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1));
};

const ctx = args.includes('--gpu') ? await openNodeDevice() : undefined;
const rows = [];
for (const L of SIZES) {
  const r = await glassStudy({
    Lx: L,
    Ly: L,
    p: 0.5,
    samples: SAMPLES,
    ladder: { kind: 'geometric', Tmin: T, Tmax: 3, K: L <= 8 ? 6 : 10 },
    realReplicas: 2,
    sweeps: 6000,
    thermalize: 1000,
    exchangeEvery: 1,
    seed: 13,
    device: ctx && { ctx, kernel: 'checkerboard-u32' },
  });
  const f = r.samples.map((s) => -T * (s.lnZ_per_site[0]?.mean ?? Number.NaN));
  const tiErr = r.samples.reduce((a, s) => a + T * (s.lnZ_per_site[0]?.err ?? 0), 0) / SAMPLES;
  const chi = r.samples.map((s) => L * L * s.q2[0].mean);
  const row = {
    L,
    N: L * L,
    f_mean: f.reduce((a, b) => a + b, 0) / SAMPLES,
    f_std: std(f),
    f_std_err: std(f) / Math.sqrt(2 * (SAMPLES - 1)),
    ti_err: tiErr,
    chi_sg_rel_std: std(chi) / (chi.reduce((a, b) => a + b, 0) / SAMPLES),
    min_swap_acceptance: Math.min(...r.swap_acceptance),
    seconds: r.seconds,
  };
  rows.push(row);
  console.log(JSON.stringify(row));
}
ctx?.destroy();

const sigma = 1 / Math.sqrt(2 * (SAMPLES - 1));
const fit = weightedLinearFit(
  rows.map((r) => Math.log(r.N)),
  rows.map((r) => Math.log(r.f_std)),
  rows.map(() => sigma),
);
const a = { mean: -fit.slope.mean, err: fit.slope.err };
console.log(JSON.stringify({ exponent: a, chi2_per_dof: fit.chi2_per_dof, samples: SAMPLES, T }));

const Ns = rows.map((r) => r.N);
const line = (c: number, slope: number) => Ns.map((N) => ({ x: N, y: Math.exp(c) * N ** slope }));
const svg = renderSvg({
  title: `±J spin glass (p = 0.5), T = ${T}: spread of f over ${SAMPLES} samples`,
  xLabel: 'N = L² (L = 4, 8, 16)',
  yLabel: 'standard deviation over samples',
  xScale: 'log',
  yScale: 'log',
  xTicks: Ns,
  series: [
    {
      label: `std of f = −T ln Z/N: fit N^−a, a = ${a.mean.toFixed(3)} ± ${a.err.toFixed(3)}`,
      points: rows.map((r) => ({ x: r.N, y: r.f_std, err: r.f_std_err })),
      marker: 'filled',
      line: 'none',
      color: '#1f77b4',
    },
    { label: 'fit', points: line(fit.intercept.mean, fit.slope.mean), marker: 'none', color: '#1f77b4' },
    {
      label: 'N^−1/2 through the first point',
      points: line(Math.log(rows[0].f_std) + 0.5 * Math.log(Ns[0]), -0.5),
      marker: 'none',
      line: 'dashed',
      color: '#000000',
    },
    {
      label: 'relative std of χ_SG = N⟨q²⟩',
      points: rows.map((r) => ({ x: r.N, y: r.chi_sg_rel_std })),
      marker: 'open',
      line: 'solid',
      color: '#d62728',
    },
  ],
  width: 640,
  height: 440,
});
writeFileSync(out, svg);
console.log(`wrote ${out}`);
