/**
 * The learning page's live run: one GpuPerceptronSampler with two chains of K replicas (replica
 * r = c·K + k starts at slot k) and replica exchange between neighbouring temperatures of each
 * chain. Every measurement is attributed to the slot its replica held then (res.slotsAt; without
 * exchange the slots stay sampler.slots), so the running means are per temperature.
 */

import type { GpuContext } from '../../../gpu/device.ts';
import type { Dataset } from '../../../models/weights/datasets.ts';
import type { PerceptronRunResult } from '../../../models/weights/cpu-perceptron-sampler.ts';
import type { PerceptronSamplerConfig } from '../../../models/weights/perceptron-config.ts';
import { generalisationError } from '../../../models/weights/perceptron.ts';
import { replicaAtSlot, slotSeries } from '../../../studies/series.ts';
import { Announcer } from '../../shared/a11y.ts';
import { byId, download } from '../../shared/dom.ts';
import { RunPane } from '../../shared/run-pane.ts';
import { spinsBase64 } from '../../shared/spin-pixels.ts';
import { RateMeter } from '../../shared/rate-meter.ts';
import type { GpuRun } from '../../shared/startup.ts';
import type { BetaControl } from './beta-control.ts';
import type { LearningParams } from './params.ts';
import { WindowMean } from './spin-image.ts';
import { cpuWeights, gpuWeights, type WeightsRunner } from './runner.ts';
import { LearningViews } from './views.ts';

/** What one run of the sampler returns. */
type RunResult = PerceptronRunResult;
export type Weights = RunResult['weights'];

/** The URL's parameters on the panel (a change restarts the page with them). */
const PANE_FIELDS = [
  { key: 'N', label: 'weights N (odd)', min: 3, max: 4095, step: 1 },
  { key: 'alpha', label: 'examples per weight α', min: 0.1, max: 5, step: 0.05 },
  { key: 'K', label: 'temperatures K', min: 2, max: 16, step: 1 },
  { key: 'Tmin', label: 'T min', min: 0.01, max: 5, step: 0.01 },
  { key: 'Tmax', label: 'T max', min: 0.1, max: 10, step: 0.05 },
  { key: 'seed', label: 'seed', min: 0, step: 1 },
  { key: 'sweepsPerFrame', label: 'sweeps/frame', min: 1, max: 100, step: 1 },
  { key: 'exchange', label: 'replica exchange' },
];

/** Measurements per running mean. */
const WINDOW = 200;
/** Least time between two redraws, ms. */
const DRAW_MS = 100;

export class LearningRun {
  private readonly K: number;
  private readonly R: number;
  private readonly loss: WindowMean[];
  private readonly eps: WindowMean[];
  private readonly accepted: Float64Array;
  private readonly attempted: Float64Array;
  private readonly views: LearningViews;
  private readonly rate = new RateMeter();
  private readonly announcer = new Announcer(byId('announce'));
  private nextDraw = 0;
  /** The weights after the last run (the state export). */
  private weights?: Weights;
  /** atSlot[c][k]: the replica of chain c at slot k after the last run. */
  private atSlot: number[][] = [];
  private readonly pane: RunPane;

  private constructor(
    private readonly params: LearningParams,
    private readonly data: Dataset,
    temperatures: readonly number[],
    private readonly sampler: WeightsRunner,
    private readonly run: GpuRun,
    private readonly beta: BetaControl,
    /** The T = 0 theory's ε at this α. */
    theory: number,
  ) {
    this.K = temperatures.length;
    this.R = 2 * this.K;
    this.loss = temperatures.map(() => new WindowMean(WINDOW));
    this.eps = temperatures.map(() => new WindowMean(WINDOW));
    this.accepted = new Float64Array(this.K - 1);
    this.attempted = new Float64Array(this.K - 1);
    this.views = new LearningViews(params, data, temperatures, theory);
    beta.live = { loss: (k) => this.loss[k].mean, eps: (k) => this.eps[k].mean };
    this.pane = new RunPane(byId('pane'), {
      params: { ...params },
      fields: PANE_FIELDS,
      query: (p) => `?${new URLSearchParams(Object.entries(p).map(([k, v]) => [k, String(Number(v))]))}`,
      exports: [
        { title: 'curves CSV', run: () => this.exportCurves() },
        { title: 'state JSON', run: () => this.exportState() },
      ],
    });
  }

  private exportCurves(): void {
    const { N, alpha } = this.params;
    download(new Blob([this.views.curvesCsv()], { type: 'text/csv' }), `learning-N${N}-alpha${alpha}.csv`);
  }

  private exportState(): void {
    const { params, sampler, weights } = this;
    const json = JSON.stringify({
      format: 'ising-webgpu-learning/1',
      params,
      sweepsDone: sampler.sweepsDone,
      slots: sampler.slots,
      weights: weights ? spinsBase64(weights) : '',
    });
    download(new Blob([json], { type: 'application/json' }), `learning-N${params.N}-sweep${sampler.sweepsDone}.json`);
  }

  /** The run on the GPU (`ctx`), or on the CPU reference in a worker without one. */
  static async create(
    ctx: GpuContext | undefined,
    run: GpuRun,
    params: LearningParams,
    data: Dataset,
    temperatures: readonly number[],
    beta: BetaControl,
    theory: number,
  ): Promise<LearningRun> {
    const { K, seed } = params;
    // Two chains: replica r = c·K + k (c = 0, 1) starts at slot k; all learn the same dataset.
    const R = 2 * K;
    const config: PerceptronSamplerConfig = {
      datasets: [data],
      replicas: R,
      datasetOf: new Array<number>(R).fill(0),
      temperatures: [...temperatures],
      slots: Array.from({ length: R }, (_, r) => r % K),
      seed,
    };
    const sampler = ctx ? await gpuWeights(ctx, config) : await cpuWeights(config);
    return new LearningRun(params, data, temperatures, sampler, run, beta, theory);
  }

  /** One frame: a few sweeps (unless paused), the measurements by slot, and a redraw when due. */
  readonly frame = async (): Promise<void> => {
    const { sweepsPerFrame, exchange } = this.params;
    if (!this.pane.take()) {
      if (byId('sweeps').textContent !== String(this.sampler.sweepsDone))
        this.nextDraw = 0; // catch up once
      else return;
    } else {
      const res = await this.sampler.run({ sweeps: sweepsPerFrame, measureEvery: 1, exchange });
      if (this.run.stopped) return;
      this.weights = res.weights;
      this.measure(res);
      this.atSlot = this.replicasAtSlots();
      this.countSwaps(res);
      this.addOverlaps(res.weights, this.atSlot);
      if (!this.pane.running) this.nextDraw = 0; // a step is drawn at once
    }
    const now = performance.now();
    if (now < this.nextDraw || !this.weights) return;
    this.nextDraw = now + DRAW_MS;
    this.views.drawReplicas(this.weights, this.atSlot[0], this.loss, this.eps);
    this.views.drawSwaps(this.accepted, this.attempted);
    this.views.drawCharts(this.sampler.sweepsDone, this.loss, this.eps);
    this.beta.show();
    byId('sweeps').textContent = String(this.sampler.sweepsDone);
    byId('rate').textContent = this.rate.add(now, this.sampler.sweepsDone).toFixed(0);
    this.announcer.say(
      () =>
        `sweep ${this.sampler.sweepsDone}: training loss E/P at the coldest temperature ${this.loss[0].mean.toFixed(3)}`,
    );
  };

  /** Running means of E/P and ε, per slot each replica held at each measurement. */
  private measure(res: RunResult): void {
    const { N, P } = this.data;
    const layout = { samples: res.samples, replicas: this.R, slotsPerChain: this.K };
    const at = replicaAtSlot(layout, res.slotsAt ? { slotsAt: res.slotsAt } : { slots: this.sampler.slots });
    const loss = slotSeries(layout, at, (i) => res.energy[i] / P);
    const eps = slotSeries(layout, at, (i) => generalisationError(res.teacherDot[i] / N));
    for (let k = 0; k < this.K; k++) {
      for (const chain of loss[k]) for (const x of chain) this.loss[k].add(x);
      for (const chain of eps[k]) for (const x of chain) this.eps[k].add(x);
    }
  }

  /** atSlot[c][k]: the replica of chain c now at slot k (the sampler's slots after the run). */
  private replicasAtSlots(): number[][] {
    const { K, R } = this;
    const at = replicaAtSlot({ samples: 1, replicas: R, slotsPerChain: K }, { slots: this.sampler.slots });
    return Array.from({ length: R / K }, (_, c) => Array.from(at.subarray(c * K, (c + 1) * K)));
  }

  private countSwaps(res: RunResult): void {
    if (!res.swapsAccepted || !res.swapsAttempted) return;
    for (let k = 0; k < this.K - 1; k++) {
      this.accepted[k] += res.swapsAccepted[k];
      this.attempted[k] += res.swapsAttempted[k];
    }
  }

  /** The overlap q of the two chains' replicas at the coldest and at the hottest slot. */
  private addOverlaps(w: Weights, atSlot: number[][]): void {
    const { N } = this.data;
    for (const [series, k] of [
      [0, 0],
      [1, this.K - 1],
    ] as const) {
      const a = atSlot[0][k] * N;
      const b = atSlot[1][k] * N;
      let q = 0;
      for (let i = 0; i < N; i++) q += w[a + i] * w[b + i];
      this.views.hist.add(series, q / N);
    }
  }
}
