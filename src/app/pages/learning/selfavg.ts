/**
 * The learning view's self-averaging panel (N ≤ MAX_ENUMERATION_N): the free-energy density
 * f = −T ln Z / N of several independent datasets (generateDataset(teacherStudent(N, α, seed,
 * index)), index = 0 … n−1, same N, P and seed; index 0 is the dataset being simulated), exact by
 * enumerating all 2^N students of each. Enumeration costs about 2^N·P field updates per dataset, so n is cut to a fixed
 * work budget (32 datasets at N ≤ 15, about 11 at N = 17, none beyond; `ising selfavg` does more),
 * and the datasets are enumerated one per task after the first paint so the page never freezes.
 * Each dataset's density of states g(E) is kept, so f at any β (the view's β slider) is cheap: the histogram is redrawn
 * with its mean and standard deviation whenever β moves.
 */

import { generateDataset, teacherStudent } from '../../../models/weights/datasets.ts';
import { fixed } from './format.ts';
import {
  enumeratePerceptron,
  freeEnergy,
  MAX_ENUMERATION_N,
  type PerceptronEnumeration,
} from '../../../models/weights/enumeration.ts';
import { meanStd } from '../../../analysis/sample.ts';

/** Most datasets in the histogram. */
const SELFAVG_DATASETS = 32;
/** Fewest datasets worth a histogram. */
const SELFAVG_MIN_DATASETS = 8;
/** Work budget in field updates (2^N·P per dataset): about a second of enumeration on a laptop. */
const WORK_BUDGET = 4e7;

/** How many datasets the panel enumerates at this N and P (0: too expensive or N > 20). */
export function selfAverageCount(N: number, P: number): number {
  if (N > MAX_ENUMERATION_N) return 0;
  const n = Math.min(SELFAVG_DATASETS, Math.floor(WORK_BUDGET / (2 ** N * Math.max(1, P))));
  return n >= SELFAVG_MIN_DATASETS ? n : 0;
}

const yieldTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export class SelfAverageHistogram {
  /** Enumerations done so far (index 0 = the simulated dataset). */
  readonly enumerations: PerceptronEnumeration[] = [];
  private beta: number;
  private readonly ctx: CanvasRenderingContext2D;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly text: HTMLElement,
    private readonly spec: { N: number; alpha: number; seed: number },
    readonly count: number,
    beta: number,
    private readonly color = '#4fc3f7',
  ) {
    this.ctx = canvas.getContext('2d')!;
    this.beta = beta;
  }

  /** Enumerate the datasets one per task (first = the simulated one's enumeration, if given); redraws as it goes. */
  async compute(first?: PerceptronEnumeration, isStopped: () => boolean = () => false): Promise<void> {
    const { N, alpha, seed } = this.spec;
    const t0 = performance.now();
    for (let i = 0; i < this.count; i++) {
      if (isStopped()) return;
      this.enumerations.push(
        i === 0 && first ? first : enumeratePerceptron(generateDataset(teacherStudent(N, alpha, seed, i))),
      );
      if (i % 4 === 3 || i === this.count - 1) this.draw();
      await yieldTask();
    }
    this.canvas.dataset.ms = (performance.now() - t0).toFixed(0);
    this.canvas.dataset.state = 'done';
  }

  setBeta(beta: number): void {
    this.beta = beta;
    this.draw();
  }

  draw(): void {
    const { ctx, canvas } = this;
    const W = canvas.width;
    const H = canvas.height;
    ctx.fillStyle = '#15151c';
    ctx.fillRect(0, 0, W, H);
    const f = this.enumerations.map((en) => freeEnergy(en, this.beta) / en.N);
    if (f.length === 0) return;
    const { mean, std } = meanStd(f);
    const lo0 = Math.min(...f);
    const hi0 = Math.max(...f);
    const half = Math.max((hi0 - lo0) / 2, 1e-9) * 1.15;
    const mid = (lo0 + hi0) / 2;
    const lo = mid - half;
    const hi = mid + half;
    const bins = 16;
    const counts = new Array<number>(bins).fill(0);
    const bin = (v: number): number => Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * bins)));
    for (const v of f) counts[bin(v)]++;
    const max = Math.max(...counts);
    const pad = 18;
    const x = (v: number): number => ((v - lo) / (hi - lo)) * W;
    const bw = W / bins;
    ctx.fillStyle = this.color;
    ctx.globalAlpha = 0.7;
    counts.forEach((c, b) => {
      const h = ((H - pad - 14) * c) / max;
      if (h > 0) ctx.fillRect(b * bw + 1, H - pad - h, Math.max(1, bw - 2), h);
    });
    ctx.globalAlpha = 1;
    ctx.strokeStyle = '#555';
    ctx.beginPath();
    ctx.moveTo(0, H - pad + 0.5);
    ctx.lineTo(W, H - pad + 0.5);
    ctx.stroke();
    // mean ± std
    ctx.strokeStyle = '#ffffff';
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(Math.round(x(mean)) + 0.5, 4);
    ctx.lineTo(Math.round(x(mean)) + 0.5, H - pad);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = 'rgba(255,255,255,0.12)';
    ctx.fillRect(x(mean - std), 4, Math.max(1, x(mean + std) - x(mean - std)), H - pad - 4);
    // the simulated dataset (index 0)
    const own = f[0];
    ctx.fillStyle = '#ffb020';
    const ox = x(own);
    ctx.beginPath();
    ctx.moveTo(ox, H - pad);
    ctx.lineTo(ox - 5, H - pad - 9);
    ctx.lineTo(ox + 5, H - pad - 9);
    ctx.closePath();
    ctx.fill();
    ctx.fillStyle = '#aaa';
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillText(fixed(lo, 4), 2, H - 4);
    const hiText = fixed(hi, 4);
    ctx.fillText(hiText, W - ctx.measureText(hiText).width - 2, H - 4);
    ctx.fillText('f', W / 2 - 3, H - 4);

    const T = 1 / this.beta;
    this.text.dataset.mean = mean.toFixed(6);
    this.text.dataset.std = std.toFixed(6);
    this.text.dataset.count = String(f.length);
    this.text.dataset.beta = this.beta.toFixed(4);
    this.text.innerHTML =
      `at T = ${T.toPrecision(3)} over <b>${f.length}</b>${f.length < this.count ? ` of ${this.count}` : ''} datasets: ` +
      `mean f = <b>${fixed(mean, 4)}</b>, std = <b>${std.toFixed(4)}</b>; ` +
      `<span style="color:#ffb020">▲</span> the simulated dataset, f = ${fixed(own, 4)}`;
  }
}
