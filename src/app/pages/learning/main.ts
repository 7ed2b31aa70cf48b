/**
 * The learning view: a binary perceptron student learning a binary teacher from P = αN binary
 * examples, sampled at K temperatures by one GpuPerceptronSampler: two chains of K replicas
 * (replica r = c·K + k starts at temperature slot k), with replica exchange between neighbouring
 * temperatures of each chain after every sweep (URL exchange=0 turns it off). Every measurement is
 * attributed to the slot its replica held then (res.slotsAt; without exchange the slots stay
 * sampler.slots), so the per-temperature curves are per temperature, whichever replica is there.
 *
 * - The teacher's weights and, per temperature, the chain-0 replica now at that slot as spin images
 *   (√N×√N when N is a square, else a row), labelled with T and R = w·w* / N in the slot's colour and
 *   framed in the replica's own colour (its starting slot's), so identities visibly travel along the
 *   ladder as swaps happen: cold replicas freeze into the teacher.
 * - The swap acceptance per adjacent pair of temperatures (both chains together).
 * - Running means (last WINDOW measurements) of the training loss E/P and of the generalisation
 *   error ε = arccos(R)/π, R = w·w* / N, per temperature against sweeps, with the T = 0 theory of the
 *   binary perceptron at this α (0 beyond α ≈ 1.245).
 * - The overlap histogram P(q) of the two replicas (one per chain) at the lowest and at the highest
 *   temperature.
 * - A β slider (log scale, wider than the ladder's 1/Tmax … 1/Tmin, whose temperatures are its tick
 *   marks): it moves a marker on the exact panel, shows the exact F, ⟨H⟩ at that β, and the live
 *   running loss at the nearest ladder temperature beside its exact value. The ladder itself stays
 *   the URL's (Tmin, Tmax, K).
 * - For N ≤ MAX_ENUMERATION_N (enumeration.ts): exact F(β) = −(1/β) ln Z, ⟨H⟩(β) and min H from
 *   enumerating all 2^N students, and the self-averaging histogram of f = −T ln Z / N over
 *   independent datasets at the slider's β (src/app/learning/selfavg.ts; enumerated in small tasks
 *   after the first paint; for larger N one line points to `ising selfavg`).
 *
 * URL parameters (defaults): N=49, alpha=1.5, K=8, Tmin=0.1, Tmax=3, seed=1, sweepsPerFrame=2,
 * exchange=1.
 */

import { generateDataset, teacherStudent, type Dataset } from '../../../models/weights/datasets.ts';
import { MAX_ENUMERATION_N } from '../../../models/weights/enumeration.ts';
import { binaryPerceptronLearningCurve, binaryPerceptronTransition } from '../../../physics/learning-theory.ts';
import { geometricLadder } from '../../../tempering/ladder.ts';
import { afterPaint, byId, errorMessage, showError } from '../../shared/dom.ts';
import { fillGlossary } from '../../shared/glossary.ts';
import type { GpuContext } from '../../../gpu/device.ts';
import { GpuRun, gpuUnavailableReason } from '../../shared/startup.ts';
import { BetaControl } from './beta-control.ts';
import { LearningRun } from './live-run.ts';
import { exactPanel, selfAveragePanel } from './panels.ts';
import {
  BetaScale,
  cpuLearningParams,
  LearningParamError,
  parseLearningParams,
  type LearningParams,
} from './params.ts';

/** From this N on, the exact panel's enumeration is announced and runs after a paint (~0.1 s at 19, ~1 s at 21). */
const SLOW_ENUMERATION_N = 19;

/** Says why the page stops (status line and error line). */
function stopWith(text: string): void {
  byId('status').textContent = 'stopped';
  showError(text);
}

/** The URL's parameters, or undefined after saying which one is bad. */
function readParams(): LearningParams | undefined {
  try {
    return parseLearningParams(location.search);
  } catch (e) {
    if (!(e instanceof LearningParamError)) throw e;
    stopWith(e.message);
    return undefined;
  }
}

/** The exact panel and the self-averaging histogram, wired to the β slider; each fails on its own. */
async function exactPanels(data: Dataset, params: LearningParams, beta: BetaControl): Promise<void> {
  const { N } = params;
  if (N <= MAX_ENUMERATION_N && N >= SLOW_ENUMERATION_N) {
    // 2^N students take about a second here: say so, and let the page paint before the work.
    byId('exact-note').textContent = `enumerating all 2^${N} = ${2 ** N} students…`;
    await afterPaint();
  }
  try {
    beta.exact = exactPanel(data, beta.scale, () => beta.marker());
  } catch (e) {
    byId('exact-note').textContent = `exact curves failed: ${errorMessage(e)}`;
  }
  beta.exact?.redraw(); // the marker (the panel was unset while its chart drew first)
  try {
    beta.selfavg = selfAveragePanel(data, params, beta.beta, beta.exact?.en);
  } catch (e) {
    byId('selfavg-note').textContent = `self-averaging histogram failed: ${errorMessage(e)}`;
  }
}

/** Without WebGPU (`why`): what runs instead, and what had to be smaller. */
interface Fallback {
  why: string;
  reduced: string[];
}

/** The sampler (on the GPU, else on the CPU in a worker), its views and its frame loop; a failure stops the page with one line. */
async function runLive(
  params: LearningParams,
  data: Dataset,
  temperatures: number[],
  beta: BetaControl,
  theory: number,
  fallback: Fallback | undefined,
): Promise<void> {
  const run = new GpuRun(stopWith);
  let ctx: GpuContext | undefined;
  if (!fallback)
    try {
      ctx = await run.open();
    } catch (e) {
      fallback = { why: `the WebGPU device could not be opened (${errorMessage(e)})`, reduced: [] };
    }
  try {
    const live = await LearningRun.create(ctx, run, params, data, temperatures, beta, theory);
    const { N, alpha, K, Tmin, Tmax, seed, sweepsPerFrame, exchange } = params;
    const what =
      `N = ${N}, α = ${alpha} (P = ${data.P}), ${K} temperatures T = ${Tmin} … ${Tmax} × 2 chains, ` +
      `replica exchange ${exchange ? 'on' : 'off'}, seed ${seed}, ${sweepsPerFrame} sweeps per frame`;
    byId('status').textContent = ctx
      ? `WebGPU adapter: ${ctx.adapterName}; ${what}`
      : `${fallback?.why ?? 'No WebGPU'}. Running instead: the same sampler on the CPU in the background, ${what}` +
        `${fallback?.reduced.length ? ` (smaller than asked: ${fallback.reduced.join(', ')})` : ''}.`;
    document.body.dataset.backend = ctx ? 'gpu' : 'cpu';
    document.body.dataset.state = 'running';
    run.loop(live.frame);
  } catch (e) {
    run.stop(`error: ${errorMessage(e)}`);
  }
}

async function start(): Promise<void> {
  fillGlossary(byId<HTMLTableElement>('glossary'), 'what can vary — here the N weights ±1, the spins of this model.', [
    [
      'dataset-to-dataset spread',
      'self-averaging over quenched disorder',
      'the training set is frozen disorder; f = −T ln Z / N differs from one dataset to the next by about 1/√N, so a typical dataset tells the typical answer.',
    ],
    [
      'annealing, restarts',
      'replica exchange (parallel tempering)',
      'copies at several temperatures swap temperatures with probability min(1, e<sup>ΔβΔE</sup>), so the cold copy escapes wrong minima without breaking the Boltzmann distribution.',
    ],
  ]);
  const asked = readParams();
  if (!asked) return;
  // Without WebGPU the CPU runs a smaller student where the URL asks for a large one.
  const why = await gpuUnavailableReason();
  const cpu = why ? cpuLearningParams(asked) : undefined;
  const params = cpu?.params ?? asked;
  const { N, alpha, K, Tmin, Tmax, seed } = params;
  const data = generateDataset(teacherStudent(N, alpha, seed));
  const temperatures = geometricLadder(Tmin, Tmax, K);
  const theory = binaryPerceptronLearningCurve([alpha])[0];
  const { alphaFirstOrder } = binaryPerceptronTransition();
  byId('theory').textContent =
    `T = 0 theory at α = ${alpha}: ε = ${theory.toFixed(4)} (perfect generalisation, ε = 0, beyond α ≈ ${alphaFirstOrder.toFixed(3)})`;
  const beta = new BetaControl(temperatures, data.P, BetaScale.forLadder(Tmin, Tmax));
  await exactPanels(data, params, beta);
  beta.listen();
  beta.show();
  await runLive(params, data, temperatures, beta, theory, why ? { why, reduced: cpu?.reduced ?? [] } : undefined);
}

void start();
