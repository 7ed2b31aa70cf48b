/**
 * The lattice app: a 2D Ising lattice advanced by the WGSL kernels (or, without WebGPU, by the CPU
 * reference in a worker drawn with regl), tweakpane controls, live readouts beside Onsager's exact
 * values, uPlot charts, URL-hash state, painting, zoom/pan, exports and device-loss recovery.
 * Hash: #L=1024&T=2.3&h=0&J=1&seed=1&alg=metropolis&init=hot&spf=auto&kernel=checkerboard-u32
 * (&paused=1&steps=N perform N single steps at load and stay paused).
 */

import { byId, errorMessage } from '../../shared/dom.ts';
import { gpuUnavailableReason } from '../../shared/startup.ts';
import { Charts } from './charts.ts';
import { Controls } from './controls.ts';
import { loadState } from './exports.ts';
import { CPU_MAX_L, LatticePage } from './page.ts';
import { parseHash } from './params.ts';
import { PointerInput } from './pointer.ts';

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
async function chooseBackend(page: LatticePage): Promise<void> {
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
      `${why}. Enable it at chrome://flags/#enable-unsafe-webgpu or use a browser with WebGPU (Chrome/Edge 113+); meanwhile the CPU reference sampler runs on a ≤ ${CPU_MAX_L}² lattice.`;
    page.gpuCanvas.hidden = true;
    page.glCanvas.hidden = false;
  }
  document.body.dataset.backend = page.mode;
}

async function start(): Promise<void> {
  // The hash holds the state; an old-style query (?L=…&T=…&kernel=…) is read when there is no hash.
  const parsed = parseHash(location.hash.length > 1 ? location.hash : location.search.replace(/^\?/, ''));
  const page = new LatticePage(parsed.params);
  if (parsed.errors.length) page.message.textContent = parsed.errors.map((e) => e.message).join('; ');
  const controls = new Controls(page);
  new PointerInput(page);
  byId<HTMLInputElement>('load-state').addEventListener('change', (ev) => {
    const f = ev.target instanceof HTMLInputElement ? ev.target.files?.[0] : undefined;
    if (f)
      loadState(page, f, () => controls.sync()).catch((e: unknown) => {
        page.message.textContent = `could not load state: ${errorMessage(e)}`;
      });
  });
  // A hook for the e2e tests (and for trying the recovery by hand).
  window.isingDebug = { loseDevice: () => page.loseDevice() };

  page.readouts.charts = new Charts(byId('chart-e'), byId('chart-m'), byId('chart-hist'));
  await chooseBackend(page);
  resizeCanvases(page);
  new ResizeObserver(() => resizeCanvases(page)).observe(page.activeCanvas());
  await page.serial(async () => {
    await page.build();
    for (let i = 0; i < page.P.steps; i++) await page.stepOnce();
    page.showStatus();
  });
  if (!parsed.errors.length) page.updateHash();
  requestAnimationFrame(page.frame);
}

void start().catch((e: unknown) => {
  byId('status').textContent = `error: ${errorMessage(e)}`;
});
