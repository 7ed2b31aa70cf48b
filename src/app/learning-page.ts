/**
 * The learning view: a binary perceptron student learning a binary teacher from P = αN binary
 * examples, sampled at K temperatures (2 replicas each) by one GpuPerceptronSampler.
 *
 * - The teacher's weights and one replica per temperature as spin images (√N×√N when N is a
 *   square, else a row), labelled with T: cold replicas freeze into the teacher.
 * - Running means (last WINDOW measurements) of the training loss E/P and of the generalisation
 *   error ε = arccos(R)/π, R = w·w* / N, per temperature against sweeps, with the T = 0 theory of the
 *   binary perceptron at this α (0 beyond α ≈ 1.245).
 * - The overlap histogram P(q) of the two replicas at the lowest and at the highest temperature.
 * - For N ≤ 20: exact F(β) = −(1/β) ln Z, ⟨H⟩(β) and min H from enumerating all 2^N students.
 *
 * URL parameters (defaults): N=625, alpha=1.5, K=8, Tmin=0.1, Tmax=3, seed=1, sweepsPerFrame=2.
 */

import { openDevice, type GpuContext } from '../gpu/device.ts';
import { generateDataset, teacherStudent, type Dataset } from '../models/weights/datasets.ts';
import { enumeratePerceptron, freeEnergy, meanEnergy, MAX_ENUMERATION_N } from '../models/weights/enumeration.ts';
import { GpuPerceptronSampler } from '../models/weights/gpu-perceptron-sampler.ts';
import { generalisationError } from '../models/weights/perceptron.ts';
import { binaryPerceptronLearningCurve, binaryPerceptronTransition } from '../physics/learning-theory.ts';
import { geometricLadder } from '../tempering/ladder.ts';
import { LiveChart, OverlapHistogram, slotColor, staticChart } from './learning/charts.ts';
import { imageShape, LearningParamError, parseLearningParams, type LearningParams } from './learning/params.ts';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

export const NO_WEBGPU_MESSAGE = 'this view needs WebGPU; the CPU reference is in `ising learn --backend cpu`';
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

/** The N ≤ 20 panel: exact curves over β from enumerating all 2^N students. */
function exactPanel(data: Dataset): void {
  const note = $('exact-note');
  if (data.N > MAX_ENUMERATION_N) {
    note.textContent = `exact curves for N ≤ ${MAX_ENUMERATION_N} (try ?N=15)`;
    $('exact').dataset.state = 'skipped';
    return;
  }
  const en = enumeratePerceptron(data);
  const betas = Array.from({ length: 121 }, (_, i) => 0.05 * 400 ** (i / 120));
  const F = betas.map((b) => freeEnergy(en, b));
  const H = betas.map((b) => meanEnergy(en, b));
  const minH = betas.map(() => en.groundEnergy);
  const el = $('plot-exact');
  staticChart(
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
  );
  const min = $('min-h');
  min.textContent = String(en.groundEnergy);
  min.dataset.value = String(en.groundEnergy);
  note.textContent =
    `min H = ${en.groundEnergy} (${en.groundDegeneracy} ground state${en.groundDegeneracy === 1 ? '' : 's'}); ` +
    `as β grows both F(β) and <H>(β) converge to it: the T = 0 limit of the Boltzmann distribution is the set of global minima.`;
  $('exact').dataset.state = 'exact';
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
  const { N, alpha, K, Tmin, Tmax, seed, sweepsPerFrame } = params;
  const data = generateDataset(teacherStudent(N, alpha, seed));
  const { P } = data;
  const temperatures = geometricLadder(Tmin, Tmax, K);
  const theory = binaryPerceptronLearningCurve([alpha])[0];
  const { alphaFirstOrder } = binaryPerceptronTransition();
  $('theory').textContent =
    `T = 0 theory at α = ${alpha}: ε = ${theory.toFixed(4)} (perfect generalisation, ε = 0, beyond α ≈ ${alphaFirstOrder.toFixed(3)})`;
  try {
    exactPanel(data);
  } catch (e) {
    $('exact-note').textContent = `exact curves failed: ${(e as Error).message}`;
  }

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
      onLost: (info) => stop(`GPU device lost (${info.reason}): ${info.message || 'no message'}. Reload the page to start again.`),
    });
  } catch (e) {
    stop(`${NO_WEBGPU_MESSAGE} (${(e as Error).message})`);
    return;
  }
  try {
    // Replicas r and r + K share temperature slot r mod K; all learn the same dataset.
    const R = 2 * K;
    const sampler = await GpuPerceptronSampler.create(ctx, {
      datasets: [data],
      replicas: R,
      datasetOf: new Array<number>(R).fill(0),
      temperatures,
      slots: Array.from({ length: R }, (_, r) => r % K),
      seed,
    });
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
    const lossChart = new LiveChart('training loss E/P (running mean)', lines, $('plot-loss'), chartW('plot-loss'), 220, [0, 0.6]);
    const epsChart = new LiveChart(
      'generalisation error ε = arccos(R)/π (running mean)',
      [...lines, { label: 'T = 0 theory', color: THEORY_COLOR, dash: [6, 4], width: 2 }],
      $('plot-eps'),
      chartW('plot-eps'),
      220,
      [0, 0.6],
    );
    const hist = new OverlapHistogram($<HTMLCanvasElement>('overlap-hist'), Math.min(N + 1, 41), [slotColor(0, K), slotColor(K - 1, K)]);
    $('overlap-legend').innerHTML =
      `<span style="color:${slotColor(0, K)}">■ T = ${temperatures[0].toFixed(3)}</span> · ` +
      `<span style="color:${slotColor(K - 1, K)}">■ T = ${temperatures[K - 1].toFixed(3)}</span>`;
    const loss = temperatures.map(() => new WindowMean(WINDOW));
    const eps = temperatures.map(() => new WindowMean(WINDOW));

    status.textContent =
      `WebGPU adapter: ${ctx.adapterName}; N = ${N}, α = ${alpha} (P = ${P}), ${K} temperatures T = ${Tmin} … ${Tmax} × 2 replicas, ` +
      `seed ${seed}, ${sweepsPerFrame} sweeps per frame`;
    document.body.dataset.state = 'running';

    let lastRate = { t: performance.now(), s: 0 };
    let nextDraw = 0;
    const frame = async (): Promise<void> => {
      if (stopped) return;
      const res = await sampler.run({ sweeps: sweepsPerFrame, measureEvery: 1 });
      if (stopped) return;
      for (let s = 0; s < res.samples; s++) {
        for (let k = 0; k < K; k++) {
          for (const r of [k, k + K]) {
            loss[k].add(res.energy[s * R + r] / P);
            eps[k].add(generalisationError(res.teacherDot[s * R + r] / N));
          }
        }
      }
      const w = res.weights;
      for (const [series, k] of [[0, 0], [1, K - 1]] as const) {
        let q = 0;
        for (let i = 0; i < N; i++) q += w[k * N + i] * w[(k + K) * N + i];
        hist.add(series, q / N);
      }
      const now = performance.now();
      if (now >= nextDraw) {
        nextDraw = now + 100;
        replicas.forEach((img, k) => {
          img.draw(w.subarray(k * N, (k + 1) * N));
          let dotT = 0;
          for (let i = 0; i < N; i++) dotT += w[k * N + i] * data.teacher[i];
          const l = loss[k].mean;
          const e = eps[k].mean;
          img.root.dataset.loss = l.toFixed(5);
          img.root.dataset.eps = e.toFixed(5);
          img.label.textContent = `T = ${temperatures[k].toFixed(3)} · R = ${(dotT / N).toFixed(2)}`;
        });
        lossChart.push(sampler.sweepsDone, loss.map((m) => m.mean));
        epsChart.push(sampler.sweepsDone, [...eps.map((m) => m.mean), theory]);
        $('plots').dataset.points = String(Math.min(lossChart.points, epsChart.points));
        hist.draw();
        $('sweeps').textContent = String(sampler.sweepsDone);
        if (now - lastRate.t > 1000) {
          $('rate').textContent = (((sampler.sweepsDone - lastRate.s) * 1000) / (now - lastRate.t)).toFixed(0);
          lastRate = { t: now, s: sampler.sweepsDone };
        }
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
