/**
 * The tempering view: one ladder of K replicas at geometric temperatures, advanced on the GPU with
 * replica exchange after every sweep, shown live.
 *
 * - The K lattices, side by side, each on its own WebGPU canvas drawn from the spin buffer, in a
 *   card of a fixed colour placed at the replica's current temperature slot (CSS transition: a
 *   swap slides two cards past each other; cards are re-placed about twice a second).
 * - e(T), c(T), |m|(T), U4(T) at the ladder's temperatures from the measurements sorted by slot
 *   through the permutation series (analyzeIsing: binning and jackknife errors), about once a
 *   second, against Onsager (L → ∞) and Kaufman (finite L) exact curves.
 * - The swap acceptance per adjacent pair, round trips, sweeps done and sweeps per second.
 *
 * URL parameters (defaults): L=32, K=8, Tmin=1.8, Tmax=3.2, kernel=checkerboard-u32, sweepsPerFrame=4.
 */

import { analyzeIsing, type IsingObservables } from '../../../analysis/index.ts';
import { KERNEL_NAMES } from '../../../models/ising/kernels.ts';
import type { GpuContext } from '../../../gpu/device.ts';
import { geometricLadder } from '../../../tempering/ladder.ts';
import { Announcer } from '../../shared/a11y.ts';
import { byId, download, errorMessage, showError } from '../../shared/dom.ts';
import { RunPane } from '../../shared/run-pane.ts';
import { PairBars } from '../../shared/pair-bars.ts';
import { RateMeter } from '../../shared/rate-meter.ts';
import { GpuRun } from '../../shared/startup.ts';
import { TemperingAccumulator } from './accumulator.ts';
import { chartSpecs } from './chart-specs.ts';
import { ObservableChart, type Point } from './charts.ts';
import { cpuParams, PageParamError, parseTemperingParams, type TemperingParams } from './params.ts';
import { curvesCsv, ladderJson } from './exports.ts';
import { ReplicaLadder } from './replica-ladder.ts';
import { cpuLadder, gpuLadder, type LadderRunner } from './runner.ts';

/** The URL's parameters on the panel (a change restarts the page with them). */
const PANE_FIELDS = [
  { key: 'L', label: 'size L', options: Object.fromEntries([8, 16, 32, 64, 128, 256].map((l) => [`${l}²`, l])) },
  { key: 'K', label: 'replicas K', min: 2, max: 32, step: 1 },
  { key: 'Tmin', label: 'T min', min: 0.5, max: 5, step: 0.05 },
  { key: 'Tmax', label: 'T max', min: 0.5, max: 8, step: 0.05 },
  { key: 'kernel', label: 'kernel', options: Object.fromEntries(KERNEL_NAMES.map((k) => [k, k])) },
  { key: 'sweepsPerFrame', label: 'sweeps/frame', min: 1, max: 64, step: 1 },
];

/** Least samples per slot before the first estimates. */
const MIN_SAMPLES = 40;

/** The page once its sampler runs: the views it updates and when it next does. */
class TemperingPage {
  private readonly acc: TemperingAccumulator;
  private readonly rate = new RateMeter();
  private readonly announcer = new Announcer(byId('announce'));
  private readonly bars: PairBars;
  private readonly charts: ObservableChart[];
  private nextAnalysis = 0;
  private nextReadout = 0;
  private sps = 0;
  /** The last estimates per temperature (the curves export). */
  private obs: (IsingObservables | null)[] = [];
  readonly pane: RunPane;

  private constructor(
    private readonly params: TemperingParams,
    private readonly run: GpuRun,
    private readonly temperatures: number[],
    private readonly sampler: LadderRunner,
    private readonly ladder: ReplicaLadder,
  ) {
    const { L, K } = params;
    this.acc = new TemperingAccumulator(K, L * L);
    this.bars = new PairBars(byId('acceptance'), this.temperatures, 'pair', (root, k) => {
      const label = document.createElement('span');
      label.className = 'pair-label';
      label.textContent = `${k}-${k + 1}`;
      root.append(label);
    });
    this.charts = chartSpecs(L).map((s) => {
      const { w, h } = chartBox(s.id);
      return new ObservableChart(s, this.temperatures, byId(s.id), w, h);
    });
    new ResizeObserver(() => {
      for (const c of this.charts) {
        const { w, h } = chartBox(c.spec.id);
        if (Math.abs(c.plot.width - w) > 1) c.setSize(w, h);
      }
    }).observe(byId('plots'));
    this.pane = new RunPane(byId('pane'), {
      params: { ...params },
      fields: PANE_FIELDS,
      query: (p) => `?${new URLSearchParams(Object.entries(p).map(([k, v]) => [k, String(v)]))}`,
      exports: [
        { title: 'curves CSV', run: () => this.exportCurves() },
        { title: 'state JSON', run: () => this.exportState() },
      ],
    });
  }

  private exportCurves(): void {
    const { L, K } = this.params;
    download(new Blob([curvesCsv(this.temperatures, this.obs)], { type: 'text/csv' }), `tempering-L${L}-K${K}.csv`);
  }

  private async exportState(): Promise<void> {
    const { params, temperatures, sampler } = this;
    const json = ladderJson(params, temperatures, sampler.sweepsDone, sampler.config.slots, await sampler.spins());
    const name = `tempering-L${params.L}-K${params.K}-sweep${sampler.sweepsDone}.json`;
    download(new Blob([json], { type: 'application/json' }), name);
  }

  /** The page on the GPU (`ctx`), or on the CPU reference in a worker without one. */
  static async create(params: TemperingParams, run: GpuRun, ctx?: GpuContext): Promise<TemperingPage> {
    const { L, K, Tmin, Tmax, kernel } = params;
    const temperatures = geometricLadder(Tmin, Tmax, K);
    const config = { Lx: L, Ly: L, replicas: K, temperatures, seed: 1 };
    const sampler = ctx ? await gpuLadder(ctx, config, kernel) : await cpuLadder(config);
    const ladder = await ReplicaLadder.create(sampler, byId('ladder'));
    return new TemperingPage(params, run, temperatures, sampler, ladder);
  }

  /** One frame: a few sweeps with exchanges, the ladder redrawn, readouts and estimates when due. */
  readonly frame = async (): Promise<void> => {
    if (!this.pane.take()) {
      // Paused: the readouts catch up with the last frame, then nothing moves.
      if (byId('sweeps').textContent !== String(this.sampler.sweepsDone)) this.readout(performance.now(), this.sps);
      return;
    }
    const result = await this.sampler.sweep(this.params.sweepsPerFrame);
    if (this.run.stopped) return;
    const now = performance.now();
    this.ladder.draw();
    this.ladder.update(now);
    this.acc.add(result);
    this.sps = this.rate.add(now, this.sampler.sweepsDone);
    if (now >= this.nextReadout || !this.pane.running) this.readout(now, this.sps);
    if (now >= this.nextAnalysis) this.analyse();
  };

  private readout(now: number, sps: number): void {
    this.bars.update(this.acc.acceptance());
    const trips = this.acc.roundTrips();
    byId('trips').textContent = String(trips);
    byId('trips').dataset.value = String(trips);
    byId('sweeps').textContent = String(this.sampler.sweepsDone);
    byId('rate').textContent = sps.toFixed(0);
    this.announcer.say(() => `${this.sampler.sweepsDone} sweeps, ${trips} round trips`);
    this.nextReadout = now + 250;
  }

  private analyse(): void {
    const { acc, charts } = this;
    if (acc.usedSamples < MIN_SAMPLES) return;
    const t0 = performance.now();
    const N = this.params.L ** 2;
    const obs = this.temperatures.map((T, k): IsingObservables | null => {
      try {
        return analyzeIsing(acc.slotSeries(k), { beta: 1 / T, N });
      } catch {
        return null;
      }
    });
    this.obs = obs;
    const pick = (f: (o: IsingObservables) => Point | null): (Point | null)[] => obs.map((o) => (o ? f(o) : null));
    charts[0].setPoints(pick((o) => o.e));
    charts[1].setPoints(pick((o) => o.c));
    charts[2].setPoints(pick((o) => o.m_abs));
    charts[3].setPoints(pick((o) => o.binder));
    byId('plots').dataset.points = String(Math.min(...charts.map((c) => c.points)));
    const cost = performance.now() - t0;
    // About once a second, less often when the analysis itself gets long.
    this.nextAnalysis = performance.now() + Math.max(1000, 8 * cost);
    byId('analysis').textContent =
      `estimates from ${acc.usedSamples} samples per temperature (first ${Math.round(100 * acc.burnInFraction)} % of the run discarded as burn-in), ` +
      `binning errors for e, |m|, jackknife for c, U4; analysis ${cost.toFixed(0)} ms`;
  }
}

function chartBox(id: string): { w: number; h: number } {
  return { w: Math.max(200, byId(id).clientWidth), h: 170 };
}

/** The URL's parameters, or undefined after saying which one is bad. */
function readParams(): TemperingParams | undefined {
  try {
    return parseTemperingParams(location.search);
  } catch (e) {
    const name = e instanceof PageParamError ? e.parameter : '?';
    showError(`bad parameter ${name}: ${errorMessage(e)}`);
    byId('status').textContent = 'stopped: fix the URL parameter and reload';
    byId('analysis').textContent = '';
    return undefined;
  }
}

async function start(): Promise<void> {
  const params = readParams();
  if (!params) return;
  const run = new GpuRun(showError);
  const { ctx, why } = await run.openOrReason();
  try {
    const ran = ctx ? { params, reduced: [] } : cpuParams(params);
    const page = await TemperingPage.create(ran.params, run, ctx);
    byId('status').textContent = ctx ? gpuStatus(params, ctx) : cpuStatus(ran.params, why, ran.reduced);
    document.body.dataset.backend = ctx ? 'gpu' : 'cpu';
    document.body.dataset.state = 'running';
    run.loop(page.frame);
  } catch (e) {
    run.fail(e);
  }
}

function gpuStatus({ L, K, Tmin, Tmax, kernel, sweepsPerFrame }: TemperingParams, ctx: GpuContext): string {
  return (
    `WebGPU adapter: ${ctx.adapterName}; ${K} replicas of ${L}x${L}, kernel ${kernel}, ` +
    `geometric ladder T = ${Tmin} … ${Tmax}, ${sweepsPerFrame} sweeps per frame, exchanges after every sweep`
  );
}

/** Without WebGPU: why, and what runs instead (smaller where it had to be). */
function cpuStatus({ L, K, Tmin, Tmax }: TemperingParams, why: string | undefined, reduced: string[]): string {
  return (
    `${why ?? 'No WebGPU'}. Running instead: the same Monte Carlo on the CPU in the background, ` +
    `${K} replicas of ${L}x${L}, T = ${Tmin} … ${Tmax}${reduced.length ? ` (smaller than asked: ${reduced.join(', ')})` : ''}.`
  );
}

void start();
