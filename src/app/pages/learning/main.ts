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
 * URL parameters (defaults): N=625, alpha=1.5, K=8, Tmin=0.1, Tmax=3, seed=1, sweepsPerFrame=2,
 * exchange=1.
 */

import { openDevice, type GpuContext } from '../../../gpu/device.ts';
import { generateDataset, teacherStudent, type Dataset } from '../../../models/weights/datasets.ts';
import {
  enumeratePerceptron,
  freeEnergy,
  meanEnergy,
  MAX_ENUMERATION_N,
  type PerceptronEnumeration,
} from '../../../models/weights/enumeration.ts';
import { GpuPerceptronSampler } from '../../../models/weights/gpu-perceptron-sampler.ts';
import { generalisationError } from '../../../models/weights/perceptron.ts';
import { binaryPerceptronLearningCurve, binaryPerceptronTransition } from '../../../physics/learning-theory.ts';
import { geometricLadder } from '../../../tempering/ladder.ts';
import { LiveChart, OverlapHistogram, slotColor, staticChart, SwapBars, type ChartMarker } from './charts.ts';
import {
  BetaScale,
  imageShape,
  LearningParamError,
  nearestSlot,
  parseLearningParams,
  type LearningParams,
} from './params.ts';
import { fixed } from './format.ts';
import { SelfAverageHistogram, selfAverageCount } from './selfavg.ts';
import { RateMeter } from '../../shared/rate-meter.ts';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

export const NO_WEBGPU_MESSAGE = 'this view needs WebGPU; the CPU reference is in `ising learn --backend cpu`';
/** From this N on, the exact panel's enumeration is announced and runs after a paint (~0.1 s at 19, ~1 s at 21). */
const SLOW_ENUMERATION_N = 19;
/** Measurements per running mean. */
const WINDOW = 200;
/** Spin colours (as the lattice view): weight −1, weight +1. */
const DOWN = [18, 20, 31];
const UP = [245, 240, 224];
const THEORY_COLOR = '#ffffff';

function showError(text: string): void {
  const line = $('error');
  line.textContent = text.replace(/\s*\n\s*/g, ' ');
  line.hidden = false;
  document.body.dataset.state = 'error';
}

/** A labelled spin image of N weights. */
class SpinImage {
  readonly root: HTMLElement;
  readonly label: HTMLElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly image: ImageData;

  constructor(container: HTMLElement, N: number, text: string, color: string) {
    const { w, h } = imageShape(N);
    this.root = document.createElement('figure');
    this.root.className = 'spin-card';
    this.root.style.setProperty('--color', color);
    this.label = document.createElement('figcaption');
    this.label.className = 'spin-label';
    this.label.textContent = text;
    const canvas = document.createElement('canvas');
    canvas.className = h === 1 ? 'spin-image row' : 'spin-image';
    canvas.width = w;
    canvas.height = h;
    this.ctx = canvas.getContext('2d')!;
    this.image = this.ctx.createImageData(w, h);
    this.root.append(this.label, canvas);
    container.append(this.root);
  }

  draw(w: ArrayLike<number>): void {
    const d = this.image.data;
    for (let i = 0; i < w.length; i++) {
      const c = w[i] > 0 ? UP : DOWN;
      d[4 * i] = c[0];
      d[4 * i + 1] = c[1];
      d[4 * i + 2] = c[2];
      d[4 * i + 3] = 255;
    }
    this.ctx.putImageData(this.image, 0, 0);
  }
}

/** Sliding-window mean. */
class WindowMean {
  private readonly buf: Float64Array;
  private n = 0;
  private at = 0;
  private sum = 0;
  constructor(size: number) {
    this.buf = new Float64Array(size);
  }
  add(x: number): void {
    if (this.n === this.buf.length) this.sum -= this.buf[this.at];
    else this.n++;
    this.buf[this.at] = x;
    this.sum += x;
    this.at = (this.at + 1) % this.buf.length;
  }
  get mean(): number {
    return this.n === 0 ? NaN : this.sum / this.n;
  }
}

/** The N ≤ 20 panel: exact curves over β from enumerating all 2^N students (undefined beyond). */
function exactPanel(
  data: Dataset,
  scale: BetaScale,
  marker: () => ChartMarker | undefined,
): { en: PerceptronEnumeration; redraw: () => void } | undefined {
  const note = $('exact-note');
  if (data.N > MAX_ENUMERATION_N) {
    note.textContent = `exact curves for N ≤ ${MAX_ENUMERATION_N} (try ?N=15)`;
    $('exact').dataset.state = 'skipped';
    return undefined;
  }
  const en = enumeratePerceptron(data);
  const betas = Array.from({ length: 121 }, (_, i) => scale.lo * (scale.hi / scale.lo) ** (i / 120));
  const F = betas.map((b) => freeEnergy(en, b));
  const H = betas.map((b) => meanEnergy(en, b));
  const minH = betas.map(() => en.groundEnergy);
  const el = $('plot-exact');
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
    Math.max(280, Math.min(640, el.clientWidth || 480)),
    200,
    marker,
  );
  const min = $('min-h');
  min.textContent = String(en.groundEnergy);
  min.dataset.value = String(en.groundEnergy);
  note.textContent =
    `min H = ${en.groundEnergy} (${en.groundDegeneracy} ground state${en.groundDegeneracy === 1 ? '' : 's'}); ` +
    `as β grows both F(β) and <H>(β) converge to it: the T = 0 limit of the Boltzmann distribution is the set of global minima.`;
  $('exact').dataset.state = 'exact';
  return { en, redraw: () => plot.redraw(false, false) };
}

/** The self-averaging panel: a histogram over datasets for small N, else one line saying why not. */
function selfAveragePanel(
  data: Dataset,
  params: LearningParams,
  beta: number,
  en: PerceptronEnumeration | undefined,
): SelfAverageHistogram | undefined {
  const { N, alpha, seed } = params;
  const note = $('selfavg-note');
  const canvas = $<HTMLCanvasElement>('selfavg-hist');
  const cli = '<code>ising selfavg --model perceptron --N 7,11,15 --samples 64</code>';
  const count = selfAverageCount(N, data.P);
  if (!en || count === 0) {
    canvas.hidden = true;
    $('selfavg').dataset.state = 'skipped';
    note.innerHTML =
      N > MAX_ENUMERATION_N
        ? `the exact histogram needs N ≤ ${MAX_ENUMERATION_N} (all 2^N students of each dataset); across N: ${cli}`
        : `at N = ${N}, P = ${data.P} enumerating enough datasets takes too long for the page (here N ≤ 17); use ${cli}`;
    return undefined;
  }
  note.innerHTML =
    `f = −T ln Z / N of ${count} independent datasets (same N = ${N}, P = ${data.P}, seed ${seed}; dataset index 0 … ${count - 1}), ` +
    `exact, at the slider's β: the spread shrinks as N grows (f is self-averaging; more in ${cli})`;
  $('selfavg').dataset.state = 'computing';
  const hist = new SelfAverageHistogram(canvas, $('selfavg-text'), { N, alpha, seed }, count, beta);
  // After the first paint, one dataset per task.
  requestAnimationFrame(() =>
    setTimeout(() => {
      hist
        .compute(en)
        .then(() => {
          $('selfavg').dataset.state = 'done';
        })
        .catch((e: unknown) => {
          note.textContent = `self-averaging histogram failed: ${(e as Error).message}`;
        });
    }, 0),
  );
  return hist;
}

async function start(): Promise<void> {
  const status = $('status');
  let params: LearningParams;
  try {
    params = parseLearningParams(location.search);
  } catch (e) {
    if (e instanceof LearningParamError) {
      status.textContent = 'stopped';
      showError(e.message);
      return;
    }
    throw e;
  }
  const { N, alpha, K, Tmin, Tmax, seed, sweepsPerFrame, exchange } = params;
  const data = generateDataset(teacherStudent(N, alpha, seed));
  const { P } = data;
  const temperatures = geometricLadder(Tmin, Tmax, K);
  const theory = binaryPerceptronLearningCurve([alpha])[0];
  const { alphaFirstOrder } = binaryPerceptronTransition();
  $('theory').textContent =
    `T = 0 theory at α = ${alpha}: ε = ${theory.toFixed(4)} (perfect generalisation, ε = 0, beyond α ≈ ${alphaFirstOrder.toFixed(3)})`;

  // The β slider: log scale, ladder temperatures as tick marks.
  const scale = BetaScale.forLadder(Tmin, Tmax);
  const slider = $<HTMLInputElement>('beta');
  slider.min = '0';
  slider.max = String(scale.steps);
  slider.step = '1';
  $('ladder-ticks').innerHTML = temperatures.map((T) => `<option value="${scale.position(1 / T)}"></option>`).join('');
  slider.value = String(scale.position(1 / Tmin));
  let beta = 1 / Tmin; // the coldest ladder temperature, exactly (the slider position is rounded)
  let exact: ReturnType<typeof exactPanel>;
  if (N <= MAX_ENUMERATION_N && N >= SLOW_ENUMERATION_N) {
    // 2^N students take about a second here: say so, and let the page paint before the work.
    $('exact-note').textContent = `enumerating all 2^${N} = ${2 ** N} students…`;
    await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  }
  try {
    exact = exactPanel(data, scale, () =>
      exact
        ? { x: beta, ys: [freeEnergy(exact.en, beta), meanEnergy(exact.en, beta), exact.en.groundEnergy] }
        : undefined,
    );
  } catch (e) {
    $('exact-note').textContent = `exact curves failed: ${(e as Error).message}`;
  }
  exact?.redraw(); // the marker (exact was unset while the chart drew first)
  let selfavg: SelfAverageHistogram | undefined;
  try {
    selfavg = selfAveragePanel(data, params, beta, exact?.en);
  } catch (e) {
    $('selfavg-note').textContent = `self-averaging histogram failed: ${(e as Error).message}`;
  }
  /** Live running means per slot, once the sampler runs. */
  let live: { loss: (k: number) => number; eps: (k: number) => number } | undefined;
  const readout = $('beta-readout');
  const showBeta = (): void => {
    const k = nearestSlot(temperatures, 1 / beta);
    const Tk = temperatures[k];
    const parts = [`β = <b>${beta.toPrecision(3)}</b> (T = ${(1 / beta).toPrecision(3)})`];
    readout.dataset.beta = beta.toFixed(5);
    readout.dataset.slot = String(k);
    if (exact) {
      const f = freeEnergy(exact.en, beta);
      const h = meanEnergy(exact.en, beta);
      readout.dataset.f = f.toFixed(6);
      readout.dataset.h = h.toFixed(6);
      parts.push(
        `exact F = <b>${fixed(f, 3)}</b>, &lt;H&gt; = <b>${fixed(h, 3)}</b>, min H = ${exact.en.groundEnergy}`,
      );
    }
    const l = live?.loss(k) ?? NaN;
    const e = live?.eps(k) ?? NaN;
    const there = exact ? meanEnergy(exact.en, 1 / Tk) / P : NaN;
    const exactHere = exact ? ` (exact &lt;H&gt;/P there ${fixed(there, 3)})` : '';
    readout.dataset.live = Number.isFinite(l) ? l.toFixed(5) : '';
    readout.dataset.exactThere = Number.isFinite(there) ? there.toFixed(5) : '';
    parts.push(
      `nearest ladder T = ${Tk.toFixed(3)}: live E/P = <b>${Number.isFinite(l) ? fixed(l, 3) : '–'}</b>${exactHere}, ε = ${Number.isFinite(e) ? fixed(e, 3) : '–'}`,
    );
    readout.innerHTML = parts.join(' · ');
  };
  slider.addEventListener('input', () => {
    beta = scale.beta(Number(slider.value));
    showBeta();
    exact?.redraw();
    selfavg?.setBeta(beta);
  });
  showBeta();

  if (!navigator.gpu) {
    status.textContent = 'stopped';
    showError(NO_WEBGPU_MESSAGE);
    return;
  }
  let ctx: GpuContext | undefined;
  let stopped = false;
  const stop = (text: string): void => {
    stopped = true;
    status.textContent = 'stopped';
    showError(text);
  };
  try {
    ctx = await openDevice(navigator.gpu, {
      onLost: (info) =>
        stop(`GPU device lost (${info.reason}): ${info.message || 'no message'}. Reload the page to start again.`),
    });
  } catch (e) {
    stop(`${NO_WEBGPU_MESSAGE} (${(e as Error).message})`);
    return;
  }
  try {
    // Two chains: replica r = c·K + k (c = 0, 1) starts at slot k; all learn the same dataset.
    const R = 2 * K;
    const sampler = await GpuPerceptronSampler.create(ctx, {
      datasets: [data],
      replicas: R,
      datasetOf: new Array<number>(R).fill(0),
      temperatures,
      slots: Array.from({ length: R }, (_, r) => r % K),
      seed,
    });
    /** The replica's own colour: that of the slot it started at. */
    const replicaColor = (r: number): string => slotColor(r % K, K);
    const images = $('images');
    const teacher = new SpinImage(images, N, 'teacher w*', '#ffffff');
    teacher.root.dataset.role = 'teacher';
    teacher.draw(data.teacher);
    const replicas = temperatures.map((T, k) => {
      const img = new SpinImage(images, N, `T = ${T.toFixed(3)}`, slotColor(k, K));
      img.root.dataset.role = 'replica';
      img.root.dataset.temperature = T.toFixed(4);
      return img;
    });
    const chartW = (id: string): number => Math.max(260, $(id).clientWidth || 480);
    const lines = temperatures.map((T, k) => ({ label: `T = ${T.toFixed(2)}`, color: slotColor(k, K) }));
    const lossChart = new LiveChart(
      'training loss E/P (running mean)',
      lines,
      $('plot-loss'),
      chartW('plot-loss'),
      220,
      [0, 0.6],
    );
    const epsChart = new LiveChart(
      'generalisation error ε = arccos(R)/π (running mean)',
      [...lines, { label: 'T = 0 theory', color: THEORY_COLOR, dash: [6, 4], width: 2 }],
      $('plot-eps'),
      chartW('plot-eps'),
      220,
      [0, 0.6],
    );
    const hist = new OverlapHistogram($<HTMLCanvasElement>('overlap-hist'), Math.min(N + 1, 41), [
      slotColor(0, K),
      slotColor(K - 1, K),
    ]);
    $('overlap-legend').innerHTML =
      `<span style="color:${slotColor(0, K)}">■ T = ${temperatures[0].toFixed(3)}</span> · ` +
      `<span style="color:${slotColor(K - 1, K)}">■ T = ${temperatures[K - 1].toFixed(3)}</span>`;
    const loss = temperatures.map(() => new WindowMean(WINDOW));
    const eps = temperatures.map(() => new WindowMean(WINDOW));
    live = { loss: (k) => loss[k].mean, eps: (k) => eps[k].mean };

    const swapsRow = $('swaps-row');
    const swapBars = exchange ? new SwapBars($('swaps'), temperatures) : undefined;
    const accepted = new Float64Array(K - 1);
    const attempted = new Float64Array(K - 1);
    swapsRow.dataset.state = exchange ? 'waiting' : 'off';
    if (!exchange) $('swaps').textContent = 'off (exchange=0): each replica stays at its temperature';

    status.textContent =
      `WebGPU adapter: ${ctx.adapterName}; N = ${N}, α = ${alpha} (P = ${P}), ${K} temperatures T = ${Tmin} … ${Tmax} × 2 chains, ` +
      `replica exchange ${exchange ? 'on' : 'off'}, seed ${seed}, ${sweepsPerFrame} sweeps per frame`;
    document.body.dataset.state = 'running';

    const rate = new RateMeter();
    let nextDraw = 0;
    const frame = async (): Promise<void> => {
      if (stopped) return;
      const res = await sampler.run({ sweeps: sweepsPerFrame, measureEvery: 1, exchange });
      if (stopped) return;
      for (let s = 0; s < res.samples; s++) {
        const slotOf = res.slotsAt ? res.slotsAt.subarray(s * R, (s + 1) * R) : sampler.slots;
        for (let r = 0; r < R; r++) {
          const k = slotOf[r];
          loss[k].add(res.energy[s * R + r] / P);
          eps[k].add(generalisationError(res.teacherDot[s * R + r] / N));
        }
      }
      // atSlot[c][k]: the replica of chain c now at slot k (the sampler's slots after the run).
      const atSlot = [new Array<number>(K), new Array<number>(K)];
      for (let r = 0; r < R; r++) atSlot[Math.floor(r / K)][sampler.slots[r]] = r;
      if (res.swapsAccepted && res.swapsAttempted) {
        for (let k = 0; k < K - 1; k++) {
          accepted[k] += res.swapsAccepted[k];
          attempted[k] += res.swapsAttempted[k];
        }
      }
      const w = res.weights;
      for (const [series, k] of [
        [0, 0],
        [1, K - 1],
      ] as const) {
        const a = atSlot[0][k] * N;
        const b = atSlot[1][k] * N;
        let q = 0;
        for (let i = 0; i < N; i++) q += w[a + i] * w[b + i];
        hist.add(series, q / N);
      }
      const now = performance.now();
      if (now >= nextDraw) {
        nextDraw = now + 100;
        replicas.forEach((img, k) => {
          const r = atSlot[0][k];
          img.draw(w.subarray(r * N, (r + 1) * N));
          img.root.style.setProperty('--border', replicaColor(r));
          img.root.dataset.replica = String(r);
          img.root.title = `replica ${r} (chain 0; framed in the colour of the temperature it started at)`;
          let dotT = 0;
          for (let i = 0; i < N; i++) dotT += w[r * N + i] * data.teacher[i];
          const l = loss[k].mean;
          const e = eps[k].mean;
          img.root.dataset.loss = l.toFixed(5);
          img.root.dataset.eps = e.toFixed(5);
          img.label.textContent = `T = ${temperatures[k].toFixed(3)} · R = ${(dotT / N).toFixed(2)}`;
        });
        if (swapBars && attempted.some((a) => a > 0)) {
          swapBars.update(Array.from(accepted, (a, k) => (attempted[k] > 0 ? a / attempted[k] : NaN)));
          swapsRow.dataset.state = 'measured';
        }
        lossChart.push(
          sampler.sweepsDone,
          loss.map((m) => m.mean),
        );
        epsChart.push(sampler.sweepsDone, [...eps.map((m) => m.mean), theory]);
        $('plots').dataset.points = String(Math.min(lossChart.points, epsChart.points));
        hist.draw();
        showBeta();
        $('sweeps').textContent = String(sampler.sweepsDone);
        $('rate').textContent = rate.add(now, sampler.sweepsDone).toFixed(0);
      }
      requestAnimationFrame(() => void frame().catch(fail));
    };
    const fail = (e: unknown): void => {
      if (!stopped) stop(`error: ${(e as Error).message}`);
    };
    requestAnimationFrame(() => void frame().catch(fail));
  } catch (e) {
    stop(`error: ${(e as Error).message}`);
  }
}

void start();
