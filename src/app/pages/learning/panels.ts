/** The learning page's exact panels: F(β), <H>(β) and min H by enumeration, and the self-averaging histogram. */

import type { Dataset } from '../../../models/weights/datasets.ts';
import {
  enumeratePerceptron,
  freeEnergy,
  MAX_ENUMERATION_N,
  meanEnergy,
  type PerceptronEnumeration,
} from '../../../models/weights/enumeration.ts';
import { byId, errorMessage } from '../../shared/dom.ts';
import { staticChart, type ChartMarker } from './charts.ts';
import type { BetaScale, LearningParams } from './params.ts';
import { SelfAverageHistogram, selfAverageCount } from './selfavg.ts';

/** Colour of the theory and ground-state lines. */
export const THEORY_COLOR = '#ffffff';

/** The exact panel's enumeration and how to redraw its chart (after the β marker moved). */
export interface ExactPanel {
  en: PerceptronEnumeration;
  redraw: () => void;
}

/** The N ≤ 20 panel: exact curves over β from enumerating all 2^N students (undefined beyond). */
export function exactPanel(
  data: Dataset,
  scale: BetaScale,
  marker: () => ChartMarker | undefined,
): ExactPanel | undefined {
  const note = byId('exact-note');
  if (data.N > MAX_ENUMERATION_N) {
    note.innerHTML = `exact curves for N ≤ ${MAX_ENUMERATION_N}: <a href="?N=15">try N = 15</a>`;
    byId('exact').dataset.state = 'skipped';
    return undefined;
  }
  const en = enumeratePerceptron(data);
  const betas = Array.from({ length: 121 }, (_, i) => scale.lo * (scale.hi / scale.lo) ** (i / 120));
  const F = betas.map((b) => freeEnergy(en, b));
  const H = betas.map((b) => meanEnergy(en, b));
  const minH = betas.map(() => en.groundEnergy);
  const el = byId('plot-exact');
  const plot = staticChart(
    `exact, all 2^${data.N} = ${2 ** data.N} students, P = ${data.P}`,
    'β',
    betas,
    [
      { label: 'F(β) = −(1/β) ln Z', color: '#4fc3f7', y: F },
      { label: '<H>(β)', color: '#ffb020', y: H },
      { label: 'min H', color: THEORY_COLOR, dash: [6, 4], width: 1.5, y: minH },
    ],
    el,
    Math.max(200, Math.min(640, el.clientWidth || 480)), // its grid column: no overlap with the next panel
    200,
    marker,
  );
  const min = byId('min-h');
  min.textContent = String(en.groundEnergy);
  min.dataset.value = String(en.groundEnergy);
  note.textContent =
    `min H = ${en.groundEnergy} (${en.groundDegeneracy} ground state${en.groundDegeneracy === 1 ? '' : 's'}); ` +
    `as β grows both F(β) and <H>(β) converge to it: the T = 0 limit of the Boltzmann distribution is the set of global minima.`;
  byId('exact').dataset.state = 'exact';
  return { en, redraw: () => plot.redraw(false, false) };
}

/** The self-averaging panel: a histogram over datasets for small N, else one line saying why not. */
export function selfAveragePanel(
  data: Dataset,
  params: LearningParams,
  beta: number,
  en: PerceptronEnumeration | undefined,
): SelfAverageHistogram | undefined {
  const { N, alpha, seed } = params;
  const note = byId('selfavg-note');
  const canvas = byId<HTMLCanvasElement>('selfavg-hist');
  const cli = '<code>ising selfavg --model perceptron --N 7,11,15 --samples 64</code>';
  const count = selfAverageCount(N, data.P);
  if (!en || count === 0) {
    canvas.hidden = true;
    byId('selfavg').dataset.state = 'skipped';
    note.innerHTML =
      N > MAX_ENUMERATION_N
        ? `the exact histogram needs N ≤ ${MAX_ENUMERATION_N} (all 2^N students of each dataset); across N: ${cli}`
        : `at N = ${N}, P = ${data.P} enumerating enough datasets takes too long for the page (here N ≤ 17); use ${cli}`;
    return undefined;
  }
  note.innerHTML =
    `f = −T ln Z / N of ${count} independent datasets (same N = ${N}, P = ${data.P}, seed ${seed}; dataset index 0 … ${count - 1}), ` +
    `exact, at the slider's β: the spread shrinks as N grows (f is self-averaging; more in ${cli})`;
  byId('selfavg').dataset.state = 'computing';
  const hist = new SelfAverageHistogram(canvas, byId('selfavg-text'), { N, alpha, seed }, count, beta);
  // After the first paint, one dataset per task.
  requestAnimationFrame(() =>
    setTimeout(() => {
      hist
        .compute(en)
        .then(() => {
          byId('selfavg').dataset.state = 'done';
        })
        .catch((e: unknown) => {
          note.textContent = `self-averaging histogram failed: ${errorMessage(e)}`;
        });
    }, 0),
  );
  return hist;
}
