/**
 * Figure: the free energy turns into the minimum loss as β → ∞ (training as the zero-temperature
 * limit of Boltzmann sampling). Two panels, both exact (no Monte Carlo):
 *
 *   left   linear model (squared loss + λ|θ|², N = 20, P = 40, label noise 0.5):
 *          F(β) = H_min + [N ln(β/π) + ln det A]/(2β),  ⟨H⟩(β) = H_min + N/(2β)   (linearExact)
 *   right  binary perceptron (energy = training errors, teacher–student, binary inputs, N = 15, P = 30):
 *          F(β) = −(1/β) ln Σ_E g(E) e^{−βE},  ⟨H⟩(β), ground-state energy   (enumeration of 2^15 states)
 *
 * Everything is divided by P (loss per example). ⟨H⟩ falls to min H and F tends to it (Laplace). For the
 * perceptron F rises monotonically to min H; for the continuous linear model F crosses min H and then
 * decays to it from above (N ln β/(2β) > 0: the differential entropy −∂F/∂T becomes negative).
 *
 *   npx tsx scripts/figure-free-energy.ts [out.svg]     (default docs/free-energy.svg)
 */
import { writeFileSync } from 'node:fs';
import { generateDataset } from '../src/models/weights/datasets.ts';
import { enumeratePerceptron, freeEnergy, meanEnergy } from '../src/models/weights/enumeration.ts';
import { linearExact, linearProblem } from '../src/models/weights/linear.ts';
import { renderSvg, type Series } from '../src/plot/svg.ts';

const out = process.argv[2] ?? 'docs/free-energy.svg';
const SEED = 2024;

/** n log-spaced values from lo to hi. */
const logspace = (lo: number, hi: number, n: number): number[] =>
  Array.from({ length: n }, (_, i) => lo * (hi / lo) ** (i / (n - 1)));

function panel(
  title: string,
  betas: number[],
  F: (b: number) => number,
  U: (b: number) => number,
  Hmin: number,
  P: number,
  minLabel: string,
): string {
  const series: Series[] = [
    {
      label: 'free energy F(β) = −(1/β) ln Z',
      points: betas.map((b) => ({ x: b, y: F(b) / P })),
      marker: 'none',
      color: '#1f77b4',
    },
    { label: 'mean loss <H>(β)', points: betas.map((b) => ({ x: b, y: U(b) / P })), marker: 'none', color: '#d62728' },
    {
      label: minLabel,
      points: [betas[0], betas[betas.length - 1]].map((b) => ({ x: b, y: Hmin / P })),
      marker: 'none',
      line: 'dashed',
      color: '#000000',
    },
  ];
  return renderSvg({
    title,
    xLabel: 'inverse temperature β (log scale)',
    yLabel: 'loss per example (H / P)',
    xScale: 'log',
    series,
    width: 560,
    height: 420,
  });
}

// Linear model: labels y = w*·x/√N + 0.5 ξ, Gaussian inputs, ridge λ = 0.01.
const lin = linearExact(
  linearProblem(
    generateDataset({
      N: 20,
      P: 40,
      inputs: 'gaussian',
      teacher: 'gaussian',
      labels: 'linear',
      noise: 0.5,
      seed: SEED,
      index: 0,
    }),
    0.01,
  ),
);
const linBetas = logspace(2, 1e4, 120);
const left = panel(
  'linear model (exact Gaussian), N = 20, P = 40',
  linBetas,
  lin.freeEnergy,
  lin.meanEnergy,
  lin.Hmin,
  40,
  'min H (least squares + ridge)',
);

// Binary perceptron with random ±1 labels: its ground state has errors (min H > 0), so the limit is
// visible (teacher labels would give min H = 0, the teacher itself).
const data = generateDataset({
  N: 15,
  P: 30,
  inputs: 'binary',
  teacher: 'binary',
  labels: 'random',
  seed: SEED,
  index: 0,
});
const en = enumeratePerceptron(data);
const perBetas = logspace(0.3, 300, 120);
const right = panel(
  `binary perceptron (enumeration of 2^15), random labels, P = 30`,
  perBetas,
  (b) => freeEnergy(en, b),
  (b) => meanEnergy(en, b),
  en.groundEnergy,
  data.P,
  `min H = ${en.groundEnergy} errors (ground state)`,
);

/** Place single-panel SVG documents side by side (renaming each panel's clip-path id). */
function sideBySide(panels: string[], w: number, h: number): string {
  const inner = panels.map((svg, i) => {
    const body = svg
      .replace(/^<svg[^>]*>\n/, '')
      .replace(/<\/svg>\n?$/, '')
      .replace(/id="panel"/g, `id="panel${i}"`)
      .replace(/url\(#panel\)/g, `url(#panel${i})`);
    return `<svg x="${i * w}" y="0" width="${w}" height="${h}">\n${body}</svg>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w * panels.length}" height="${h}" viewBox="0 0 ${w * panels.length} ${h}" font-family="sans-serif" font-size="12">`,
    ...inner,
    '</svg>',
    '',
  ].join('\n');
}

writeFileSync(out, sideBySide([left, right], 560, 420));
console.log(
  `wrote ${out}: linear H_min/P = ${(lin.Hmin / 40).toFixed(4)}, F/P at β = 1e4: ${(lin.freeEnergy(1e4) / 40).toFixed(4)}; ` +
    `perceptron ground state ${en.groundEnergy} errors (degeneracy ${en.groundDegeneracy}), F at β = 300: ${freeEnergy(en, 300).toFixed(4)}`,
);
