/**
 * The lattice app: a 2D Ising lattice advanced by the WGSL kernels (or, without WebGPU, by the CPU
 * reference in a worker drawn with regl), tweakpane controls, live readouts beside Onsager's exact
 * values, uPlot charts, URL-hash state, painting, zoom/pan, exports and device-loss recovery.
 * Hash: #L=1024&T=2.3&h=0&J=1&seed=1&alg=metropolis&init=hot&spf=auto&kernel=checkerboard-u32
 * (&paused=1&steps=N perform N single steps at load and stay paused).
 */

import { prefersReducedMotion } from '../../shared/a11y.ts';
import { byId, errorMessage } from '../../shared/dom.ts';
import { sig3 } from '../../shared/numbers.ts';
import { gpuUnavailableReason } from '../../shared/startup.ts';
import { Charts } from './charts.ts';
import { Controls } from './controls.ts';
import { ExperimentPanel } from './experiment-view.ts';
import { loadState } from './exports.ts';
import { CPU_MAX_L, LatticePage } from './page.ts';
import { parseHash } from './params.ts';
import { PointerInput } from './pointer.ts';
import { PROBE_L, startingSize } from './size-probe.ts';

/** Backing-store size of the visible canvas from its CSS size. */
function resizeCanvases(page: LatticePage): void {
  const dpr = window.devicePixelRatio || 1;
  for (const c of [page.gpuCanvas, page.glCanvas]) {
    if (c.hidden) continue;
    c.width = Math.max(1, Math.round(c.clientWidth * dpr));
    c.height = Math.max(1, Math.round(c.clientHeight * dpr));
  }
}

/** WebGPU when the browser gives a device, else the CPU reference with a line saying why. */
async function chooseBackend(page: LatticePage, controls: Controls): Promise<void> {
  let why = await gpuUnavailableReason();
  if (!why) {
    try {
      await page.openDevice();
    } catch (e) {
      why = `WebGPU device could not be opened: ${errorMessage(e)}`;
    }
  }
  if (why) {
    page.mode = 'cpu';
    byId('fallback').textContent =
      `${why}. Running instead: the same Monte Carlo on the CPU, in the background, on a lattice of at most ${CPU_MAX_L}² spins. ` +
      'For the full-size GPU version use a browser with WebGPU (Chrome or Edge 113+, or chrome://flags/#enable-unsafe-webgpu).';
    page.gpuCanvas.hidden = true;
    page.glCanvas.hidden = false;
    for (const el of document.querySelectorAll<HTMLElement>('.gpu-only')) el.hidden = true; // no zoom, no pan
    page.P.L = Math.min(page.P.L, CPU_MAX_L); // the controls show the size that runs
    controls.sync();
  }
  document.body.dataset.backend = page.mode;
}

/** Whether the URL's hash (or old-style query) sets `key`. */
function hashNames(hash: string, key: string): boolean {
  return new URLSearchParams(hash.replace(/^[#?]/, '')).has(key);
}

/** The starting size from a short probe of the device (the URL named none). */
async function chooseSize(page: LatticePage, controls: Controls): Promise<void> {
  const ms = await page.probe();
  page.P.L = startingSize(ms);
  page.sizeNote = `; size ${page.P.L}² chosen by a probe (a ${PROBE_L}² sweep takes ${sig3(ms)} ms here)`;
  page.probeMs = ms;
  controls.sync();
  page.onProbe?.(ms);
}

async function start(): Promise<void> {
  // The hash holds the state; an old-style query (?L=…&T=…&kernel=…) is read when there is no hash.
  const parsed = parseHash(location.hash.length > 1 ? location.hash : location.search.replace(/^\?/, ''));
  const page = new LatticePage(parsed.params);
  if (parsed.errors.length) {
    page.message.dataset.kind = 'error';
    page.message.textContent = `${parsed.errors.map((e) => e.message).join('; ')} (the default is used instead)`;
  }
  const stillForMotion = prefersReducedMotion() && !page.P.paused;
  if (stillForMotion) {
    page.running = false;
    const motion = 'Paused at the start because this system asks for reduced motion: press run (or Space) to start.';
    page.message.textContent = [page.message.textContent, motion].filter(Boolean).join(' ');
  }
  const controls = new Controls(page);
  new PointerInput(page);
  byId<HTMLInputElement>('load-state').addEventListener('change', (ev) => {
    const f = ev.target instanceof HTMLInputElement ? ev.target.files?.[0] : undefined;
    if (f)
      loadState(page, f, () => controls.sync()).catch((e: unknown) => {
        page.message.dataset.kind = 'error';
        page.message.textContent = `could not load ${f.name}: ${errorMessage(e).replace(/^bad URL parameter/, 'bad parameter')}`;
      });
  });
  // A hook for the e2e tests (and for trying the recovery by hand).
  window.isingDebug = { loseDevice: () => page.loseDevice() };

  // 420 px charts, narrower on a phone (the page's margins are 2 × 16 px at most).
  const chartWidth = Math.min(420, document.documentElement.clientWidth - 32);
  page.readouts.charts = new Charts(byId('chart-e'), byId('chart-m'), byId('chart-hist'), chartWidth);
  await chooseBackend(page, controls);
  page.onProbe = (ms) => {
    if (page.mode === 'gpu') controls.markSlowSizes(ms);
  };
  if (page.mode === 'gpu' && !hashNames(location.hash || location.search, 'L')) await chooseSize(page, controls);
  resizeCanvases(page);
  new ResizeObserver(() => resizeCanvases(page)).observe(page.activeCanvas());
  page.experiments = new ExperimentPanel((name) => void page.startExperiment(name));
  page.onParams = () => controls.sync();
  page.onSpf = (spf) => controls.showAutoSpf(spf);
  if (page.P.exp) {
    await page.startExperiment(page.P.exp);
    page.running = !stillForMotion; // an experiment's URL, too, waits for a press under reduced motion
    controls.sync();
  } else
    await page.serial(async () => {
      await page.build();
      for (let i = 0; i < page.P.steps; i++) await page.stepOnce();
      page.showStatus();
    });
  page.updateHash(); // the address bar holds the state that runs (a bad parameter's default, too)
  requestAnimationFrame(page.frame);
}

void start().catch((e: unknown) => {
  byId('status').textContent = `error: ${errorMessage(e)}`;
});
