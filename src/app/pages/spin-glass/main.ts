/**
 * The spin-glass page: two real replicas of one Edwards–Anderson ±J sample (p = 0.5) at the chosen
 * temperature T, each the coldest slot of its own tempering chain of K temperatures (single-spin
 * Metropolis, exchanges after every sweep), their overlap image with the frustrated plaquettes, q and
 * P(q) live; beside it the exact free energy per site of many small samples, whose spread shrinks
 * as N grows (self-averaging). Runs on the GPU, or without WebGPU on the CPU reference in a worker
 * at L ≤ 32.
 *
 * URL parameters (defaults): L=64, T=1, K=8, seed=1, sample=0, sweepsPerFrame=4, frustration=1.
 */

import type { GpuContext } from '../../../gpu/device.ts';
import { byId, errorMessage, showError } from '../../shared/dom.ts';
import { GpuRun } from '../../shared/startup.ts';
import { WorkerChannel } from '../../shared/worker-channel.ts';
import type { ToFreeEnergyWorker } from './f-worker.ts';
import { GlassPage } from './page.ts';
import { type GlassParams, PageParamError, glassCpuParams, ladderTop, parseGlassParams } from './params.ts';
import { cpuGlass, glassConfig, gpuGlass } from './runner.ts';
import { drawSelfAverage, FreeEnergySamples, SELFAVG_SAMPLES, SELFAVG_SIZES, SELFAVG_T } from './selfavg.ts';

/** The URL's parameters, or undefined after saying which one is bad. */
function readParams(): GlassParams | undefined {
  try {
    return parseGlassParams(location.search);
  } catch (e) {
    const name = e instanceof PageParamError ? e.parameter : '?';
    showError(`bad parameter ${name}: ${errorMessage(e)}`);
    byId('status').textContent = 'stopped: fix the URL parameter and reload';
    return undefined;
  }
}

/** Exact f of SELFAVG_SAMPLES samples per size, round robin, in a worker; the histograms redrawn as they come. */
async function selfAverage(seed: number, run: GpuRun): Promise<void> {
  const worker = new WorkerChannel<ToFreeEnergyWorker, { f: number }>(
    new Worker(new URL('./f-worker.ts', import.meta.url), { type: 'module' }),
  );
  const samples = new FreeEnergySamples();
  const canvas = byId<HTMLCanvasElement>('f-hist');
  for (let s = 0; s < SELFAVG_SAMPLES && !run.stopped; s++) {
    for (let k = 0; k < SELFAVG_SIZES.length; k++) {
      const [Lx, Ly] = SELFAVG_SIZES[k];
      samples.add(k, (await worker.request({ Lx, Ly, seed, sample: s, T: SELFAVG_T })).f);
      drawSelfAverage(canvas, byId('f-note'), samples);
    }
  }
  canvas.dataset.state = 'done';
  worker.terminate();
}

async function start(): Promise<void> {
  const asked = readParams();
  if (!asked) return;
  const run = new GpuRun(showError);
  const { ctx, why } = await run.openOrReason();
  try {
    const { params, reduced } = ctx ? { params: asked, reduced: [] } : glassCpuParams(asked);
    const { couplings, config } = glassConfig(params);
    const runner = ctx ? await gpuGlass(ctx, config) : await cpuGlass(config);
    const page = new GlassPage(params, run, runner, couplings);
    await page.first;
    byId('status').textContent = ctx ? gpuStatus(params, ctx) : cpuStatus(params, why, reduced);
    document.body.dataset.backend = ctx ? 'gpu' : 'cpu';
    document.body.dataset.state = 'running';
    run.loop(page.frame);
    void selfAverage(params.seed, run).catch(run.fail);
  } catch (e) {
    run.fail(e);
  }
}

/** The run in words: the sample, and the ladder under the hood. */
function sample({ L, seed, sample, T, K }: GlassParams): string {
  const chains =
    K === 1
      ? 'Metropolis at T alone'
      : `each the coldest of a tempering chain of ${K} temperatures from T to ${ladderTop(T).toFixed(2)} (Metropolis, exchanges after every sweep)`;
  return `${L}x${L}, disorder sample ${sample} of seed ${seed}, ${chains}`;
}

function gpuStatus(p: GlassParams, ctx: GpuContext): string {
  return `WebGPU adapter: ${ctx.adapterName}; two replicas of ${sample(p)}; ${p.sweepsPerFrame} sweeps per frame`;
}

/** Without WebGPU: why, and what runs instead (smaller where it had to be). */
function cpuStatus(p: GlassParams, why: string | undefined, reduced: string[]): string {
  return (
    `${why ?? 'No WebGPU'}. Running instead: the same Monte Carlo on the CPU in the background, ` +
    `two replicas of ${sample(p)}${reduced.length ? ` (smaller than asked: ${reduced.join(', ')})` : ''}.`
  );
}

void start();
