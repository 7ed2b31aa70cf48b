/** What the learning page's live run draws: spin images, swap bars, running-mean charts, the overlap histogram. */

import type { Dataset } from '../../../models/weights/datasets.ts';
import { byId } from '../../shared/dom.ts';
import { PairBars } from '../../shared/pair-bars.ts';
import { LiveChart, OverlapHistogram, slotColor } from './charts.ts';
import type { Weights } from './live-run.ts';
import { THEORY_COLOR } from './panels.ts';
import type { LearningParams } from './params.ts';
import { SpinImage, type WindowMean } from './spin-image.ts';

export class LearningViews {
  readonly hist: OverlapHistogram;
  private readonly replicas: SpinImage[];
  private readonly swapBars?: PairBars;
  private readonly lossChart: LiveChart;
  private readonly epsChart: LiveChart;

  constructor(
    params: LearningParams,
    private readonly data: Dataset,
    private readonly temperatures: readonly number[],
    private readonly theory: number,
  ) {
    const { N, K, exchange } = params;
    const images = byId('images');
    const teacher = new SpinImage(images, N, 'teacher w*', '#ffffff');
    teacher.canvas.setAttribute('aria-label', `the teacher's ${N} weights`);
    teacher.root.dataset.role = 'teacher';
    teacher.draw(data.teacher);
    this.replicas = temperatures.map((T, k) => {
      const img = new SpinImage(images, N, `T = ${T.toFixed(3)}`, slotColor(k, K));
      img.root.dataset.role = 'replica';
      img.root.dataset.temperature = T.toFixed(4);
      return img;
    });
    const chartW = (id: string): number => Math.max(260, byId(id).clientWidth || 480);
    const lines = temperatures.map((T, k) => ({ label: `T = ${T.toFixed(2)}`, color: slotColor(k, K) }));
    const loss = 'training loss E/P (running mean)';
    this.lossChart = new LiveChart(loss, lines, byId('plot-loss'), chartW('plot-loss'), 220, [0, 0.6]);
    this.epsChart = new LiveChart(
      'generalisation error ε = arccos(R)/π (running mean)',
      [...lines, { label: 'T = 0 theory', color: THEORY_COLOR, dash: [6, 4], width: 2 }],
      byId('plot-eps'),
      chartW('plot-eps'),
      220,
      [0, 0.6],
    );
    const ends = [slotColor(0, K), slotColor(K - 1, K)];
    this.hist = new OverlapHistogram(byId<HTMLCanvasElement>('overlap-hist'), Math.min(N + 1, 41), ends);
    byId('overlap-legend').innerHTML =
      `<span style="color:${ends[0]}">■ T = ${temperatures[0].toFixed(3)}</span> · ` +
      `<span style="color:${ends[1]}">■ T = ${temperatures[K - 1].toFixed(3)}</span>`;
    byId('swaps-row').dataset.state = exchange ? 'waiting' : 'off';
    if (exchange)
      this.swapBars = new PairBars(byId('swaps'), temperatures, 'swap-pair', (root, k) => colourPair(root, k, K));
    else byId('swaps').textContent = 'off (exchange=0): each replica stays at its temperature';
  }

  /** Chain 0's replica at each slot, framed in its own colour (its starting slot's). */
  drawReplicas(w: Weights, atSlot: number[], loss: WindowMean[], eps: WindowMean[]): void {
    const { N, teacher } = this.data;
    const K = this.temperatures.length;
    this.replicas.forEach((img, k) => {
      const r = atSlot[k];
      img.draw(w.subarray(r * N, (r + 1) * N));
      img.root.style.setProperty('--border', slotColor(r % K, K));
      img.root.dataset.replica = String(r);
      img.root.title = `replica ${r} (chain 0; framed in the colour of the temperature it started at)`;
      let dotT = 0;
      for (let i = 0; i < N; i++) dotT += w[r * N + i] * teacher[i];
      img.root.dataset.loss = loss[k].mean.toFixed(5);
      img.root.dataset.eps = eps[k].mean.toFixed(5);
      img.label.textContent = `T = ${this.temperatures[k].toFixed(3)} · R = ${(dotT / N).toFixed(2)}`;
      img.canvas.setAttribute('aria-label', `the ${N} weights of the student at ${img.label.textContent}`);
    });
  }

  /** The running means as drawn: sweeps, then E/P and ε per temperature, one row per point. */
  curvesCsv(): string {
    const T = this.temperatures.map((t) => t.toFixed(4));
    const head = ['sweeps', ...T.map((t) => `loss_T${t}`), ...T.map((t) => `eps_T${t}`)];
    const [x, ...loss] = this.lossChart.columns();
    const eps = this.epsChart.columns().slice(1, 1 + T.length);
    const rows = x.map((s, i) => [s, ...loss.map((c) => c[i]), ...eps.map((c) => c[i])].join(','));
    return `${[head.join(','), ...rows].join('\n')}\n`;
  }

  drawSwaps(accepted: Float64Array, attempted: Float64Array): void {
    if (!this.swapBars || !attempted.some((a) => a > 0)) return;
    this.swapBars.update(Array.from(accepted, (a, k) => (attempted[k] > 0 ? a / attempted[k] : NaN)));
    byId('swaps-row').dataset.state = 'measured';
  }

  drawCharts(sweeps: number, loss: WindowMean[], eps: WindowMean[]): void {
    this.lossChart.push(
      sweeps,
      loss.map((m) => m.mean),
    );
    this.epsChart.push(sweeps, [...eps.map((m) => m.mean), this.theory]);
    byId('plots').dataset.points = String(Math.min(this.lossChart.points, this.epsChart.points));
    this.hist.draw();
  }
}

/** A swap bar's gradient: from the colour of its colder slot to that of its hotter one. */
function colourPair(root: HTMLElement, k: number, K: number): void {
  root.style.setProperty('--from', slotColor(k, K));
  root.style.setProperty('--to', slotColor(k + 1, K));
}
