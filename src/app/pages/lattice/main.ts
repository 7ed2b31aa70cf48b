/**
 * The lattice app: a 2D Ising lattice advanced by the WGSL kernels (or, without WebGPU, by the CPU
 * reference in a worker drawn with regl), tweakpane controls, live readouts beside Onsager's exact
 * values, uPlot charts, URL-hash state, painting, zoom/pan, exports and device-loss recovery.
 * Hash: #L=1024&T=2.3&h=0&J=1&seed=1&alg=metropolis&init=hot&spf=auto&kernel=checkerboard-u32
 * (&paused=1&steps=N perform N single steps at load and stay paused).
 */

import { Pane } from 'tweakpane';
import type { GpuContext } from '../../../gpu/device.ts';
import { KERNEL_NAMES } from '../../../models/ising/kernels.ts';
import { energyPerSite } from '../../../models/ising/config.ts';
import { TC } from '../../../physics/constants.ts';
import { onsagerEnergy, spontaneousMagnetization } from '../../../physics/onsager.ts';
import type { BlockView } from '../../../render/view.ts';
import { Charts, Series } from './charts.ts';
import { cpuEngine, gpuEngine, openGpu, type Engine, type Snapshot } from './engines.ts';
import { formatHash, L_CHOICES, parseHash, type LatticeParams } from './params.ts';
import { ReglView } from './regl-view.ts';
import { decodeState, encodeState } from './state-file.ts';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const CPU_MAX_L = 256;
const SNAPSHOT_MS = 3000;

const statusEl = $('status');
const messageEl = $('message');
const gpuCanvas = $<HTMLCanvasElement>('lattice');
const glCanvas = $<HTMLCanvasElement>('lattice-gl');

// The hash holds the state; an old-style query (?L=…&T=…&kernel=…) is read when there is no hash.
const parsed = parseHash(location.hash.length > 1 ? location.hash : location.search.replace(/^\?/, ''));
const P: LatticeParams = parsed.params;
if (parsed.errors.length) messageEl.textContent = parsed.errors.map((e) => e.message).join('; ');

let engine: Engine | undefined;
let ctx: GpuContext | undefined;
let mode: 'gpu' | 'cpu' = 'gpu';
let regl: ReglView | undefined;
let running = !P.paused;
let spf = typeof P.spf === 'number' ? P.spf : 1;
let snapshot: (Snapshot & { L: number }) | undefined;
let lastSnapshotAt = 0;
let recovering = false;
const series = new Series();
let charts: Charts | undefined;

// ---- serial task queue: every use of the engine goes through it --------------------------------
let chain: Promise<void> = Promise.resolve();
function serial(fn: () => Promise<void>): Promise<void> {
  chain = chain.then(fn).catch((e: unknown) => {
    statusEl.textContent = `error: ${(e as Error).message}`;
  });
  return chain;
}

// ---- readouts ------------------------------------------------------------------------------------
function readout(id: string, value: number, text: string): void {
  const el = $(id);
  el.dataset.value = String(value);
  el.textContent = text;
}
let rate = { sweeps: 0, t: performance.now(), sps: 0, frames: 0, fps: 0, flips: 0, secs: 0, clock: 'wall' };

function exactValues(): { e: number; m: number } {
  if (P.h !== 0) return { e: NaN, m: NaN };
  return { e: onsagerEnergy(P.T, Math.abs(P.J)), m: spontaneousMagnetization(P.T, Math.abs(P.J)) };
}

function show(bonds: number, magnetization: number, advanced: boolean): void {
  if (!engine) return;
  const N = engine.L * engine.L;
  const e = energyPerSite(bonds, magnetization, P.J, P.h, N);
  const m = magnetization / N;
  if (advanced || series.sweep.length === 0 || series.sweep[series.sweep.length - 1] !== engine.sweepsDone)
    series.push(engine.sweepsDone, e, m);
  const ex = exactValues();
  readout('energy', e, e.toFixed(6));
  readout('m-abs', Math.abs(m), Math.abs(m).toFixed(5));
  readout('sweeps', engine.sweepsDone, String(engine.sweepsDone));
  readout('e-exact', ex.e, Number.isFinite(ex.e) ? ex.e.toFixed(6) : 'n/a (h≠0)');
  readout('m-exact', ex.m, Number.isFinite(ex.m) ? ex.m.toFixed(5) : 'n/a (h≠0)');
  $('bonds').dataset.value = String(bonds);
  $('bonds').dataset.magnetization = String(magnetization);
}

function showRates(): void {
  const now = performance.now();
  const dt = (now - rate.t) / 1000;
  if (dt < 0.5) return;
  rate.sps = rate.sweeps / dt;
  rate.fps = rate.frames / dt;
  const fpns = rate.secs > 0 ? rate.flips / (rate.secs * 1e9) : 0;
  readout('sweeps-per-s', rate.sps, rate.sps.toFixed(1));
  readout('fps', rate.fps, rate.fps.toFixed(1));
  readout('flips-per-ns', fpns, `${fpns.toFixed(4)} (${rate.clock})`);
  readout('spf', spf, `${spf}${P.spf === 'auto' ? ' (auto)' : ''}`);
  rate = { ...rate, sweeps: 0, frames: 0, flips: 0, secs: 0, t: now };
  charts?.update(series, exactValues().e, exactValues().m);
}

// ---- view: zoom and pan ------------------------------------------------------------------------
const zoom = { span: 0, x0: 0, y0: 0 };
function resetZoom(): void {
  zoom.span = engine?.L ?? P.L;
  zoom.x0 = 0;
  zoom.y0 = 0;
}
function blockView(): BlockView | undefined {
  if (!engine) return undefined;
  const L = engine.L;
  const px = Math.max(1, Math.min(gpuCanvas.width, gpuCanvas.height));
  const span = Math.min(L, Math.max(4, zoom.span || L));
  const block = Math.max(1, Math.ceil(span / px));
  const cells = Math.max(1, Math.min(Math.ceil(span / block), Math.floor(L / block)));
  const wrap = (v: number): number => ((Math.round(v) % L) + L) % L;
  return {
    cellsW: cells,
    cellsH: cells,
    x0: span >= L ? 0 : wrap(zoom.x0),
    y0: span >= L ? 0 : wrap(zoom.y0),
    block,
    replica: 0,
  };
}
function activeCanvas(): HTMLCanvasElement {
  return mode === 'gpu' ? gpuCanvas : glCanvas;
}
/** Lattice coordinates under a pointer event. */
function latticeAt(ev: PointerEvent | WheelEvent): { x: number; y: number } {
  const c = activeCanvas();
  const r = c.getBoundingClientRect();
  const fx = (ev.clientX - r.left) / r.width;
  const fy = (ev.clientY - r.top) / r.height;
  const L = engine?.L ?? P.L;
  if (mode === 'cpu') return { x: Math.floor(fx * L), y: Math.floor(fy * L) };
  const v = blockView()!;
  return { x: v.x0 + fx * v.cellsW * v.block, y: v.y0 + fy * v.cellsH * v.block };
}
function draw(): void {
  engine?.draw(mode === 'gpu' ? blockView() : undefined);
}

// ---- building and resetting --------------------------------------------------------------------
async function build(snap?: Snapshot): Promise<void> {
  engine?.destroy();
  engine = undefined;
  if (mode === 'gpu') {
    ctx ??= await openGpu(onLost);
    engine = await gpuEngine(ctx, gpuCanvas, P, snap);
  } else {
    regl ??= new ReglView(glCanvas);
    engine = await cpuEngine(glCanvas, { ...P, L: Math.min(P.L, CPU_MAX_L) }, regl);
    if (snap) await engine.restore(snap);
  }
  series.clear();
  resetZoom();
  const o = await engine.advance(0);
  show(o.bonds, o.magnetization, false);
  draw();
  snapshot = undefined;
}

function onLost(info: GPUDeviceLostInfo): void {
  ctx = undefined;
  const lostEngine = engine;
  engine = undefined;
  recovering = true;
  messageEl.textContent = `GPU device lost (${info.reason || 'unknown'}): ${info.message}. Restarting from the last snapshot…`;
  void serial(async () => {
    try {
      lostEngine?.destroy();
    } catch {
      // the device is gone already
    }
    const snap = snapshot && snapshot.L === P.L ? snapshot : undefined;
    await build(snap);
    messageEl.textContent = `GPU device was lost (${info.reason || 'unknown'}); restarted from ${snap ? `the snapshot at sweep ${snap.sweepsDone}` : 'the initial state'}.`;
    statusEl.textContent = statusLine();
    recovering = false;
  });
}

function statusLine(): string {
  if (mode === 'cpu')
    return `CPU reference sampler in a Web Worker, ${engine?.L}x${engine?.L} lattice, drawn with regl (WebGL); Tc = ${TC.toFixed(6)}`;
  return `WebGPU adapter: ${ctx?.adapterName}${ctx?.hasTimestamps ? ' (timestamp queries)' : ''}; ${P.L}x${P.L} lattice, kernel ${P.kernel}; Tc = ${TC.toFixed(6)}`;
}

function updateHash(): void {
  history.replaceState(null, '', formatHash(P));
}

const reset = (): Promise<void> =>
  serial(async () => {
    await build();
    statusEl.textContent = statusLine();
    updateHash();
  });

async function stepOnce(): Promise<void> {
  if (!engine) return;
  const t0 = performance.now();
  const a = await engine.advance(1);
  rate.sweeps += 1;
  rate.flips += a.flips;
  rate.secs += a.seconds;
  rate.clock = a.clock;
  void t0;
  show(a.bonds, a.magnetization, true);
  draw();
}
const step = (): Promise<void> => serial(stepOnce);

// ---- frame loop --------------------------------------------------------------------------------
let busy = false;
let lastFrame = performance.now();
function frame(): void {
  requestAnimationFrame(frame);
  if (busy || recovering) return;
  busy = true;
  const now = performance.now();
  const interval = now - lastFrame;
  lastFrame = now;
  void serial(async () => {
    if (!engine) return;
    rate.frames++;
    if (running) {
      const sweeps = P.spf === 'auto' ? spf : P.spf;
      const t0 = performance.now();
      const a = await engine.advance(sweeps);
      const ms = performance.now() - t0;
      rate.sweeps += sweeps;
      rate.flips += a.flips;
      rate.secs += a.seconds;
      rate.clock = a.clock;
      show(a.bonds, a.magnetization, true);
      if (P.spf === 'auto') {
        if (interval > 22 || ms > 14) spf = Math.max(1, Math.floor(spf * 0.8));
        else if (ms < 8) spf = Math.min(1000, Math.ceil(spf * 1.15));
      }
    }
    draw();
    showRates();
    if (mode === 'gpu' && engine && performance.now() - lastSnapshotAt > SNAPSHOT_MS) {
      lastSnapshotAt = performance.now();
      snapshot = { spins: await engine.spins(), sweepsDone: engine.sweepsDone, L: engine.L };
    }
  }).finally(() => (busy = false));
}

// ---- downloads ---------------------------------------------------------------------------------
function download(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
const exportPng = (): Promise<void> =>
  serial(async () => {
    if (!engine) return;
    const L = engine.L;
    const spins = await engine.spins();
    const c = document.createElement('canvas');
    c.width = L;
    c.height = L;
    const g = c.getContext('2d')!;
    const img = g.createImageData(L, L);
    for (let i = 0; i < L * L; i++) {
      const v = spins[i] > 0 ? 235 : 20;
      img.data.set([v, v, v, 255], 4 * i);
    }
    g.putImageData(img, 0, 0);
    const sweeps = engine.sweepsDone;
    c.toBlob((b) => b && download(b, `ising-L${L}-T${P.T}-sweep${sweeps}.png`), 'image/png');
  });
const exportCsv = (): void =>
  download(new Blob([series.csv()], { type: 'text/csv' }), `ising-series-L${P.L}-T${P.T}.csv`);
const exportJson = (): Promise<void> =>
  serial(async () => {
    if (!engine) return;
    const text = encodeState({ ...P, L: engine.L }, engine.sweepsDone, await engine.spins());
    download(new Blob([text], { type: 'application/json' }), `ising-state-L${engine.L}-sweep${engine.sweepsDone}.json`);
  });
async function loadState(file: File): Promise<void> {
  const { params, sweepsDone, spins } = decodeState(await file.text());
  Object.assign(P, params);
  syncPane();
  await serial(async () => {
    await build({ spins, sweepsDone });
    statusEl.textContent = statusLine();
    messageEl.textContent = `loaded ${file.name}: sweep ${sweepsDone}`;
    updateHash();
  });
}
let recorder: MediaRecorder | undefined;
function toggleRecording(button: { title: string }): void {
  if (recorder) {
    recorder.stop();
    return;
  }
  if (typeof MediaRecorder === 'undefined' || !MediaRecorder.isTypeSupported('video/webm')) {
    messageEl.textContent = 'this browser cannot record WebM (MediaRecorder with video/webm is missing)';
    return;
  }
  const chunks: Blob[] = [];
  const rec = new MediaRecorder(activeCanvas().captureStream(30), { mimeType: 'video/webm' });
  rec.ondataavailable = (e) => e.data.size && chunks.push(e.data);
  rec.onstop = () => {
    download(new Blob(chunks, { type: 'video/webm' }), `ising-L${P.L}-T${P.T}.webm`);
    recorder = undefined;
    button.title = 'record WebM';
  };
  rec.start();
  recorder = rec;
  button.title = 'stop recording';
}

// ---- controls ----------------------------------------------------------------------------------
const pp = {
  T: P.T,
  Tc: TC,
  h: P.h,
  J: P.J,
  L: P.L,
  alg: P.alg,
  auto: P.spf === 'auto',
  spf: typeof P.spf === 'number' ? P.spf : 10,
  init: P.init,
  seed: P.seed,
  kernel: P.kernel,
};
const pane = new Pane({ container: $('pane'), title: 'controls' });
let syncing = false;
function syncPane(): void {
  Object.assign(pp, {
    T: P.T,
    h: P.h,
    J: P.J,
    L: P.L,
    alg: P.alg,
    auto: P.spf === 'auto',
    init: P.init,
    seed: P.seed,
    kernel: P.kernel,
  });
  if (typeof P.spf === 'number') pp.spf = P.spf;
  syncing = true;
  pane.refresh();
  syncing = false;
}
const setParams = (): void => {
  engine?.setParameters({ temperatures: [P.T], J: P.J, h: P.h, algorithm: P.alg });
  updateHash();
};
pane.addBinding(pp, 'T', { min: 0.5, max: 5, step: 0.001, label: 'T' }).on('change', (e) => {
  if (syncing) return;
  P.T = e.value;
  setParams();
});
pane.addButton({ title: 'T = Tc' }).on('click', () => {
  P.T = TC;
  syncPane();
  setParams();
});
pane.addBinding(pp, 'Tc', { readonly: true, label: 'Tc', format: (v: number) => v.toFixed(6) });
pane.addBinding(pp, 'h', { min: -2, max: 2, step: 0.001, label: 'field h' }).on('change', (e) => {
  if (syncing) return;
  P.h = e.value;
  setParams();
});
pane.addBinding(pp, 'J', { min: 0.1, max: 3, step: 0.01, label: 'coupling J' }).on('change', (e) => {
  if (syncing) return;
  P.J = e.value;
  setParams();
});
pane
  .addBinding(pp, 'alg', { options: { metropolis: 'metropolis', heatbath: 'heatbath' }, label: 'algorithm' })
  .on('change', (e) => {
    if (syncing) return;
    P.alg = e.value;
    setParams();
  });
pane.addBinding(pp, 'auto', { label: 'auto sweeps' }).on('change', (e) => {
  if (syncing) return;
  P.spf = e.value ? 'auto' : pp.spf;
  updateHash();
});
pane.addBinding(pp, 'spf', { min: 1, max: 1000, step: 1, label: 'sweeps/frame' }).on('change', (e) => {
  if (syncing) return;
  spf = e.value;
  P.spf = e.value;
  pp.auto = false;
  syncPane();
  updateHash();
});
const resetters = pane.addFolder({ title: 'lattice (resets)' });
resetters
  .addBinding(pp, 'L', { options: Object.fromEntries(L_CHOICES.map((l) => [`${l}²`, l])), label: 'size L' })
  .on('change', (e) => {
    if (syncing) return;
    P.L = e.value;
    void reset();
  });
resetters
  .addBinding(pp, 'init', { options: { hot: 'hot', cold: 'cold', 'half-half': 'half' }, label: 'initial' })
  .on('change', (e) => {
    if (syncing) return;
    P.init = e.value;
    void reset();
  });
resetters.addBinding(pp, 'seed', { step: 1, min: 0, label: 'seed' }).on('change', (e) => {
  if (syncing) return;
  P.seed = Math.round(e.value);
  void reset();
});
resetters
  .addBinding(pp, 'kernel', { options: Object.fromEntries(KERNEL_NAMES.map((k) => [k, k])), label: 'kernel' })
  .on('change', (e) => {
    if (syncing) return;
    P.kernel = e.value;
    void reset();
  });
const runButton = pane.addButton({ title: running ? 'pause (space)' : 'run (space)' });
const toggleRun = (): void => {
  running = !running;
  runButton.title = running ? 'pause (space)' : 'run (space)';
  document.body.dataset.running = String(running);
};
runButton.on('click', toggleRun);
pane.addButton({ title: 'single step (→)' }).on('click', () => void step());
pane.addButton({ title: 'reset' }).on('click', () => void reset());
const io = pane.addFolder({ title: 'export / load', expanded: false });
io.addButton({ title: 'lattice PNG' }).on('click', () => void exportPng());
io.addButton({ title: 'time series CSV' }).on('click', exportCsv);
io.addButton({ title: 'state JSON' }).on('click', () => void exportJson());
io.addButton({ title: 'load state…' }).on('click', () => $<HTMLInputElement>('load-state').click());
const recButton = io.addButton({ title: 'record WebM' });
recButton.on('click', () => toggleRecording(recButton));
$<HTMLInputElement>('load-state').addEventListener('change', (ev) => {
  const f = (ev.target as HTMLInputElement).files?.[0];
  if (f) loadState(f).catch((e: unknown) => (messageEl.textContent = `could not load state: ${(e as Error).message}`));
});
document.body.dataset.running = String(running);

document.addEventListener('keydown', (ev) => {
  const t = ev.target as HTMLElement;
  if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return;
  if (ev.code === 'Space') {
    ev.preventDefault();
    toggleRun();
  } else if (ev.key === 'ArrowRight') {
    ev.preventDefault();
    void step();
  }
});

// ---- painting, pan and zoom ---------------------------------------------------------------------
let drag: { paint: number; x: number; y: number; px: number; py: number } | undefined;
let paintQueued = false;
const paintPoints: { x: number; y: number }[] = [];
function paintFlush(value: number): void {
  if (paintQueued) return;
  paintQueued = true;
  setTimeout(() => {
    void serial(async () => {
      paintQueued = false;
      if (!engine || paintPoints.length === 0) return;
      const L = engine.L;
      const spins = await engine.spins();
      const r = Math.max(1.5, (mode === 'gpu' ? Math.min(zoom.span || L, L) : L) / 40);
      for (const p of paintPoints.splice(0)) {
        for (let dy = -Math.ceil(r); dy <= Math.ceil(r); dy++)
          for (let dx = -Math.ceil(r); dx <= Math.ceil(r); dx++) {
            if (dx * dx + dy * dy > r * r) continue;
            const x = (((Math.floor(p.x) + dx) % L) + L) % L;
            const y = (((Math.floor(p.y) + dy) % L) + L) % L;
            spins[y * L + x] = value;
          }
      }
      await engine.restore({ spins, sweepsDone: engine.sweepsDone });
      const o = await engine.advance(0);
      show(o.bonds, o.magnetization, false);
      draw();
    });
  }, 60);
}
for (const c of [gpuCanvas, glCanvas]) {
  c.addEventListener('pointerdown', (ev) => {
    c.setPointerCapture(ev.pointerId);
    const at = latticeAt(ev);
    drag = { paint: ev.shiftKey ? (ev.altKey ? -1 : 1) : 0, ...at, px: ev.clientX, py: ev.clientY };
    if (drag.paint) {
      paintPoints.push(at);
      paintFlush(drag.paint);
    }
  });
  c.addEventListener('pointermove', (ev) => {
    if (!drag) return;
    if (drag.paint) {
      paintPoints.push(latticeAt(ev));
      paintFlush(drag.paint);
    } else if (mode === 'gpu') {
      const r = c.getBoundingClientRect();
      const v = blockView()!;
      const perPx = (v.cellsW * v.block) / r.width;
      zoom.x0 -= (ev.clientX - drag.px) * perPx;
      zoom.y0 -= (ev.clientY - drag.py) * perPx;
      drag.px = ev.clientX;
      drag.py = ev.clientY;
      if (!running) void serial(async () => draw());
    }
  });
  c.addEventListener('pointerup', () => (drag = undefined));
  c.addEventListener(
    'wheel',
    (ev) => {
      if (mode !== 'gpu' || !engine) return;
      ev.preventDefault();
      const L = engine.L;
      const before = latticeAt(ev);
      const span = Math.min(L, Math.max(4, (zoom.span || L) * (ev.deltaY > 0 ? 1.25 : 0.8)));
      const r = c.getBoundingClientRect();
      const fx = (ev.clientX - r.left) / r.width;
      const fy = (ev.clientY - r.top) / r.height;
      zoom.span = span;
      zoom.x0 = before.x - fx * span;
      zoom.y0 = before.y - fy * span;
      if (!running) void serial(async () => draw());
    },
    { passive: false },
  );
}

function resizeCanvas(): void {
  const dpr = window.devicePixelRatio || 1;
  for (const c of [gpuCanvas, glCanvas]) {
    if (c.hidden) continue;
    c.width = Math.max(1, Math.round(c.clientWidth * dpr));
    c.height = Math.max(1, Math.round(c.clientHeight * dpr));
  }
}

// ---- start -------------------------------------------------------------------------------------
async function gpuUnavailableReason(): Promise<string | undefined> {
  if (!('gpu' in navigator) || !navigator.gpu)
    return 'WebGPU is not available in this browser (navigator.gpu is missing)';
  try {
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter) return 'WebGPU is present but no adapter was found (navigator.gpu.requestAdapter() returned null)';
  } catch (e) {
    return `WebGPU adapter request failed: ${(e as Error).message}`;
  }
  return undefined;
}

async function start(): Promise<void> {
  charts = new Charts($('chart-e'), $('chart-m'), $('chart-hist'));
  let why = await gpuUnavailableReason();
  if (!why) {
    try {
      ctx = await openGpu(onLost);
    } catch (e) {
      why = `WebGPU device could not be opened: ${(e as Error).message}`;
    }
  }
  if (why) {
    mode = 'cpu';
    $('fallback').textContent =
      `${why}. Enable it at chrome://flags/#enable-unsafe-webgpu or use a browser with WebGPU (Chrome/Edge 113+); meanwhile the CPU reference sampler runs on a ≤ ${CPU_MAX_L}² lattice.`;
    gpuCanvas.hidden = true;
    glCanvas.hidden = false;
  }
  document.body.dataset.backend = mode;
  resizeCanvas();
  new ResizeObserver(resizeCanvas).observe(activeCanvas());
  await serial(async () => {
    await build();
    for (let i = 0; i < P.steps; i++) await stepOnce();
    statusEl.textContent = statusLine();
  });
  if (!parsed.errors.length) updateHash();
  requestAnimationFrame(frame);
}

// A hook for the e2e tests (and for trying the recovery by hand): lose the GPU device as a driver reset would.
(window as unknown as { isingDebug: object }).isingDebug = { loseDevice: () => ctx?.device.destroy() };

void start().catch((e: unknown) => (statusEl.textContent = `error: ${(e as Error).message}`));
