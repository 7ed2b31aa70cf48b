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
import { openDevice, type GpuContext } from '../../../gpu/device.ts';
import { GpuIsingSampler } from '../../../models/ising/gpu-sampler.ts';
import { TC } from '../../../physics/constants.ts';
import { kaufman } from '../../../physics/kaufman.ts';
import { onsagerEnergy, spontaneousMagnetization } from '../../../physics/onsager.ts';
import { geometricLadder } from '../../../tempering/ladder.ts';
import { temperingPlan } from '../../../studies/tempering/run.ts';
import { TemperingAccumulator } from './accumulator.ts';
import { ObservableChart, type ChartSpec, type Point } from './charts.ts';
import { PageParamError, parseTemperingParams, type TemperingParams } from './params.ts';
import { ReplicaLadder } from './replica-ladder.ts';
import { RateMeter } from '../../shared/rate-meter.ts';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

/** Shows a one-line error (role=alert) and marks the page as stopped. */
function showError(text: string): void {
  const line = $('error');
  line.textContent = text;
  line.hidden = false;
  document.body.dataset.state = 'error';
}

/** Least samples per slot before the first estimates. */
const MIN_SAMPLES = 40;
const MC_COLOR = '#ffb020';

function chartSpecs(p: TemperingParams): ChartSpec[] {
  const { L } = p;
  const exactL = (T: number): { e: number; c: number } => kaufman(L, L, T);
  const mc = { label: `MC, L = ${L}`, color: MC_COLOR };
  return [
    {
      id: 'plot-e',
      title: 'energy per site e(T)',
      mc,
      exact: [
        { label: 'Onsager, L = ∞', color: '#7f8fa6', dash: [6, 4], f: (T) => onsagerEnergy(T) },
        { label: `Kaufman, L = ${L}`, color: '#4fc3f7', f: (T) => exactL(T).e },
      ],
    },
    {
      id: 'plot-c',
      title: 'specific heat per site c(T)',
      mc,
      exact: [{ label: `Kaufman, L = ${L}`, color: '#4fc3f7', f: (T) => exactL(T).c }],
      include: [0],
    },
    {
      id: 'plot-m',
      title: 'magnetisation per site <|m|>(T)',
      mc,
      exact: [{ label: 'spontaneous, L = ∞', color: '#7f8fa6', dash: [6, 4], f: (T) => spontaneousMagnetization(T) }],
      include: [0, 1],
    },
    {
      id: 'plot-u4',
      title: 'Binder cumulant U4(T)',
      mc,
      exact: [
        { label: 'L = ∞: 2/3 below Tc, 0 above', color: '#7f8fa6', dash: [6, 4], f: (T) => (T < TC ? 2 / 3 : 0) },
      ],
      include: [0, 2 / 3],
    },
  ];
}

/** The swap-acceptance profile: one DOM bar per adjacent pair of slots. */
class AcceptanceBars {
  private readonly bars: { root: HTMLElement; bar: HTMLElement; value: HTMLElement }[] = [];

  constructor(container: HTMLElement, temperatures: readonly number[]) {
    for (let k = 0; k + 1 < temperatures.length; k++) {
      const root = document.createElement('div');
      root.className = 'pair';
      root.title = `swaps between T = ${temperatures[k].toFixed(3)} and T = ${temperatures[k + 1].toFixed(3)}`;
      const value = document.createElement('span');
      value.className = 'pair-value';
      const track = document.createElement('div');
      track.className = 'pair-track';
      const bar = document.createElement('div');
      bar.className = 'pair-bar';
      track.append(bar);
      const label = document.createElement('span');
      label.className = 'pair-label';
      label.textContent = `${k}-${k + 1}`;
      root.append(value, track, label);
      container.append(root);
      this.bars.push({ root, bar, value });
    }
  }

  update(acceptance: readonly number[]): void {
    acceptance.forEach((a, k) => {
      const { root, bar, value } = this.bars[k];
      const ok = Number.isFinite(a);
      root.dataset.acceptance = ok ? a.toFixed(4) : '';
      bar.style.height = `${ok ? 100 * a : 0}%`;
      value.textContent = ok ? `${Math.round(100 * a)}%` : '–';
    });
  }
}

async function start(): Promise<void> {
  const status = $('status');
  let params: TemperingParams;
  try {
    params = parseTemperingParams(location.search);
  } catch (e) {
    const name = e instanceof PageParamError ? e.parameter : '?';
    showError(`bad parameter ${name}: ${(e as Error).message}`);
    status.textContent = 'stopped: fix the URL parameter and reload';
    $('analysis').textContent = '';
    return;
  }
  const { L, K, Tmin, Tmax, kernel, sweepsPerFrame } = params;
  const temperatures = geometricLadder(Tmin, Tmax, K);
  const N = L * L;
  let ctx: GpuContext | undefined;
  let stopped = false;
  const stop = (text: string): void => {
    stopped = true;
    showError(text);
  };
  try {
    ctx = await openDevice(navigator.gpu, {
      onLost: (info) =>
        stop(`GPU device lost (${info.reason}): ${info.message || 'no message'}. Reload the page to start again.`),
    });
    const sampler = await GpuIsingSampler.create(ctx, { Lx: L, Ly: L, replicas: K, temperatures, seed: 1 }, { kernel });
    const plan = temperingPlan(sampler, 1);
    const ladder = await ReplicaLadder.create(sampler, $('ladder'));
    const bars = new AcceptanceBars($('acceptance'), temperatures);
    const specs = chartSpecs(params);
    const chartBox = (id: string): { w: number; h: number } => ({ w: Math.max(200, $(id).clientWidth), h: 170 });
    const charts = specs.map((s) => {
      const { w, h } = chartBox(s.id);
      return new ObservableChart(s, temperatures, $(s.id), w, h);
    });
    new ResizeObserver(() => {
      for (const c of charts) {
        const { w, h } = chartBox(c.spec.id);
        if (Math.abs(c.plot.width - w) > 1) c.setSize(w, h);
      }
    }).observe($('plots'));
    const acc = new TemperingAccumulator(K, N);
    const rate = new RateMeter();
    status.textContent =
      `WebGPU adapter: ${ctx.adapterName}; ${K} replicas of ${L}x${L}, kernel ${kernel}, ` +
      `geometric ladder T = ${Tmin} … ${Tmax}, ${sweepsPerFrame} sweeps per frame, exchanges after every sweep`;
    document.body.dataset.state = 'running';

    let nextAnalysis = 0;
    let nextReadout = 0;
    const analyse = (): void => {
      if (acc.usedSamples < MIN_SAMPLES) return;
      const t0 = performance.now();
      const obs: (IsingObservables | null)[] = temperatures.map((T, k) => {
        try {
          return analyzeIsing(acc.slotSeries(k), { beta: 1 / T, N });
        } catch {
          return null;
        }
      });
      const pick = (f: (o: IsingObservables) => Point): (Point | null)[] => obs.map((o) => (o ? f(o) : null));
      charts[0].setPoints(pick((o) => o.e));
      charts[1].setPoints(pick((o) => o.c));
      charts[2].setPoints(pick((o) => o.m_abs));
      charts[3].setPoints(pick((o) => o.binder));
      $('plots').dataset.points = String(Math.min(...charts.map((c) => c.points)));
      const cost = performance.now() - t0;
      // About once a second, less often when the analysis itself gets long.
      nextAnalysis = performance.now() + Math.max(1000, 8 * cost);
      $('analysis').textContent =
        `estimates from ${acc.usedSamples} samples per temperature (first ${Math.round(100 * acc.burnInFraction)} % of the run discarded as burn-in), ` +
        `binning errors for e, |m|, jackknife for c, U4; analysis ${cost.toFixed(0)} ms`;
    };
    const readout = (now: number, sps: number): void => {
      bars.update(acc.acceptance());
      const trips = acc.roundTrips();
      $('trips').textContent = String(trips);
      $('trips').dataset.value = String(trips);
      $('sweeps').textContent = String(sampler.sweepsDone);
      $('rate').textContent = sps.toFixed(0);
      nextReadout = now + 250;
    };

    const frame = async (): Promise<void> => {
      if (stopped) return;
      const result = await sampler.run({ sweeps: sweepsPerFrame, measureEvery: 1, tempering: plan });
      if (stopped) return;
      const now = performance.now();
      ladder.draw();
      ladder.update(now);
      acc.add(result);
      const sps = rate.add(now, sampler.sweepsDone);
      if (now >= nextReadout) readout(now, sps);
      if (now >= nextAnalysis) analyse();
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
