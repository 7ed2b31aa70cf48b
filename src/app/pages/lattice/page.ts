/**
 * The lattice page object: the engine (WebGPU sampler, or the CPU reference in a worker), its
 * serial task queue, building and rebuilding it (also after a device loss, from the last
 * snapshot), the frame loop with its automatic sweeps per frame, and the URL hash.
 */

import type { GpuContext } from '../../../gpu/device.ts';
import { TC } from '../../../physics/constants.ts';
import { byId, errorMessage } from '../../shared/dom.ts';
import { openGpu } from '../../shared/startup.ts';
import { nextAutoSpf } from './auto-spf.ts';
import { cpuEngine, gpuEngine, probeSweepMs, type Engine, type Snapshot } from './engines.ts';
import type { ExperimentPanel } from './experiment-view.ts';
import { EXPERIMENTS, type ExperimentName } from './experiments.ts';
import { isClusterAlgorithm } from '../../../models/ising/config.ts';
import { clusterDisplay, clusterKernel, formatHash, type LatticeParams, showsClusters } from './params.ts';
import { PROBE_L } from './size-probe.ts';
import { Readouts } from './readouts.ts';
import { ReglView } from './regl-view.ts';
import { Zoom } from './zoom.ts';

/** Largest lattice the CPU fallback runs. */
export const CPU_MAX_L = 256;
/** Time between two snapshots of the GPU lattice (the restart point after a device loss). */
const SNAPSHOT_MS = 3000;

export class LatticePage {
  engine?: Engine;
  mode: 'gpu' | 'cpu' = 'gpu';
  running: boolean;
  /** Sweeps per frame now (adapted when the URL says spf=auto). */
  spf: number;
  readonly readouts: Readouts;
  readonly zoom = new Zoom();
  readonly gpuCanvas = byId<HTMLCanvasElement>('lattice');
  readonly glCanvas = byId<HTMLCanvasElement>('lattice-gl');
  readonly message = byId('message');
  /** The experiment panel (set by main.ts), and what to call after an experiment changed P. */
  experiments?: ExperimentPanel;
  onParams?: () => void;
  /** Shows the automatic sweeps per frame on the slider (called with the readouts, twice a second). */
  onSpf?: (spf: number) => void;
  /** Milliseconds of a PROBE_L² sweep here (measured when the URL names no size), and what it chose. */
  probeMs?: number;
  sizeNote = '';
  /** Called once the sweep time is known (from the probe, or from the first half second of sweeps). */
  onProbe?: (msAtProbe: number) => void;
  private readonly status = byId('status');
  private ctx?: GpuContext;
  private regl?: ReglView;
  private snapshot?: Snapshot & { L: number };
  private lastSnapshotAt = 0;
  private recovering = false;
  /** Every use of the engine goes through this queue. */
  private chain: Promise<void> = Promise.resolve();
  private busy = false;
  private lastFrame = performance.now();

  constructor(readonly P: LatticeParams) {
    this.running = !P.paused;
    this.spf = typeof P.spf === 'number' ? P.spf : 1;
    this.readouts = new Readouts(P);
  }

  /** Runs `fn` after every task queued before it; an error goes to the status line. */
  serial(fn: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(fn).catch((e: unknown) => {
      this.status.textContent = `error: ${errorMessage(e)}`;
    });
    return this.chain;
  }

  activeCanvas(): HTMLCanvasElement {
    return this.mode === 'gpu' ? this.gpuCanvas : this.glCanvas;
  }

  draw(): void {
    const { engine, P } = this;
    engine?.draw(this.mode === 'gpu' ? this.zoom.blockView(engine.L, this.gpuCanvas) : undefined, showsClusters(P));
  }

  /** Opens the GPU device, with recovery from its loss. */
  async openDevice(): Promise<void> {
    this.ctx = await openGpu((info) => this.onLost(info));
  }

  /** Milliseconds of one PROBE_L² sweep on this device (engines.ts). */
  async probe(): Promise<number> {
    if (!this.ctx) await this.openDevice();
    return probeSweepMs(this.ctx!, { ...this.P, L: PROBE_L });
  }

  /** A new engine from the parameters (and from `snap` when given); measures and draws it. */
  async build(snap?: Snapshot): Promise<void> {
    const { P } = this;
    this.engine?.destroy();
    this.engine = undefined;
    if (this.mode === 'gpu') {
      if (!this.ctx) await this.openDevice();
      this.engine = await gpuEngine(this.ctx!, this.gpuCanvas, P, snap);
    } else {
      this.regl ??= new ReglView(this.glCanvas);
      this.engine = await cpuEngine({ ...P, L: Math.min(P.L, CPU_MAX_L) }, this.regl);
      if (snap) await this.engine.restore(snap);
    }
    this.readouts.series.clear();
    this.readouts.resetEquilibration();
    this.zoom.reset(this.engine.L);
    const o = await this.engine.advance(0);
    this.readouts.show(this.engine, o.bonds, o.magnetization, false);
    this.draw();
    this.snapshot = undefined;
  }

  /** After a device loss: says so, and rebuilds from the last snapshot on a new device. */
  private onLost(info: GPUDeviceLostInfo): void {
    this.ctx = undefined;
    const lostEngine = this.engine;
    this.engine = undefined;
    this.recovering = true;
    const reason = info.reason || 'unknown';
    this.message.textContent = `GPU device lost (${reason}): ${info.message}. Restarting from the last snapshot…`;
    void this.serial(async () => {
      try {
        lostEngine?.destroy();
      } catch {
        // the device is gone already
      }
      const snap = this.snapshot && this.snapshot.L === this.P.L ? this.snapshot : undefined;
      await this.build(snap);
      const from = snap ? `the snapshot at sweep ${snap.sweepsDone}` : 'the initial state';
      this.message.textContent = `GPU device was lost (${reason}); restarted from ${from}.`;
      this.showStatus();
      this.recovering = false;
    });
  }

  showStatus(): void {
    const { P, ctx, engine } = this;
    this.status.textContent =
      this.mode === 'cpu'
        ? `CPU reference sampler in a Web Worker, ${engine?.L}x${engine?.L} lattice, drawn with regl (WebGL); Tc = ${TC.toFixed(6)}`
        : `WebGPU adapter: ${ctx?.adapterName}${ctx?.hasTimestamps ? ' (timestamp queries)' : ''}; ${P.L}x${P.L} lattice, kernel ${P.kernel}; Tc = ${TC.toFixed(6)}${this.sizeNote}`;
  }

  updateHash(): void {
    history.replaceState(null, '', formatHash(this.P));
  }

  /** Sets up `name` (its T, h and start on a new lattice), runs it, and starts its plot. */
  startExperiment(name: ExperimentName): Promise<void> {
    const { setup } = EXPERIMENTS[name];
    const alg = setup.alg ?? (isClusterAlgorithm(this.P.alg) ? 'metropolis' : this.P.alg);
    Object.assign(this.P, setup, { alg, exp: name });
    clusterKernel(this.P);
    clusterDisplay(this.P);
    this.running = true;
    this.onParams?.();
    return this.serial(async () => {
      await this.build();
      this.experiments?.begin(name, this.P.J);
      this.showStatus();
      this.updateHash();
    });
  }

  /** Ends the experiment (the user took over a parameter); the lattice runs on as it is. */
  endExperiment(): void {
    if (!this.P.exp) return;
    this.P.exp = undefined;
    this.experiments?.end();
    this.updateHash();
  }

  /** A new engine from the parameters (after a change that resets the lattice). */
  reset(): Promise<void> {
    return this.serial(async () => {
      await this.build();
      this.showStatus();
      this.updateHash();
    });
  }

  /**
   * Sends T, J, h and the algorithm to the running engine. Wolff needs h = 0: a field switches it to
   * Swendsen–Wang; a cluster update on another kernel switches to checkerboard-u32 (a new lattice);
   * the clusters display goes back to spins without Swendsen–Wang.
   */
  setParams(): void {
    const { P } = this;
    clusterDisplay(P); // the clusters display needs Swendsen–Wang
    if (P.alg === 'wolff' && P.h !== 0) {
      P.alg = 'swendsen-wang';
      this.message.textContent = 'Wolff needs h = 0: switched to Swendsen–Wang for the field.';
      this.onParams?.();
    }
    if (clusterKernel(P)) {
      this.message.textContent = 'The cluster updates run on kernel checkerboard-u32: switched to it (a new lattice).';
      this.onParams?.();
      void this.reset();
      return;
    }
    this.engine?.setParameters({ temperatures: [P.T], J: P.J, h: P.h, algorithm: P.alg });
    this.readouts.resetEquilibration();
    this.updateHash();
  }

  async stepOnce(): Promise<void> {
    const { engine } = this;
    if (!engine) return;
    const a = await engine.advance(1);
    this.readouts.count(1, a, engine.L * engine.L);
    this.readouts.show(engine, a.bonds, a.magnetization, true);
    this.draw();
  }

  step(): Promise<void> {
    return this.serial(() => this.stepOnce());
  }

  /** One animation frame: sweeps when running, the drawing, rates, and a snapshot now and then. */
  readonly frame = (): void => {
    requestAnimationFrame(this.frame);
    if (this.busy || this.recovering) return;
    this.busy = true;
    const now = performance.now();
    const interval = now - this.lastFrame;
    this.lastFrame = now;
    void this.serial(async () => {
      if (!this.engine) return;
      this.readouts.countFrame();
      if (this.running) await this.advance(this.engine, interval);
      this.draw();
      // The slider shows the automatic sweeps per frame when the readout does, so the two agree.
      if (this.readouts.showRates(this.spf)) {
        if (this.P.spf === 'auto') this.onSpf?.(this.spf);
        this.measured(this.engine);
      }
      await this.takeSnapshot();
    }).finally(() => {
      this.busy = false;
    });
  };

  /** A frame's sweeps; with spf=auto, adapts their number to the frame (auto-spf.ts). */
  private async advance(engine: Engine, interval: number): Promise<void> {
    const { P } = this;
    const wanted = P.spf === 'auto' ? this.spf : P.spf;
    const sweeps = Math.max(1, Math.min(wanted, this.experiments?.maxSweeps(engine.sweepsDone) ?? Infinity));
    const t0 = performance.now();
    const a = await engine.advance(sweeps);
    const ms = performance.now() - t0;
    this.readouts.count(sweeps, a, engine.L * engine.L);
    const { e, m } = this.readouts.show(engine, a.bonds, a.magnetization, true);
    this.readouts.addXi(m, a.structure);
    this.drive(engine, e, m);
    if (P.spf === 'auto' && sweeps === wanted) {
      // The sweeps' own cost: GPU time where timestamps give it (the readback's wait is the frame's rest).
      this.spf = nextAutoSpf(this.spf, interval, a.clock === 'gpu' ? 1000 * a.seconds : ms);
    }
  }

  /** The first measured sweep time at this size, scaled to PROBE_L², for the size choices (once). */
  private measured(engine: Engine): void {
    const ms = this.readouts.msPerSweep;
    if (this.probeMs !== undefined || !Number.isFinite(ms)) return;
    this.probeMs = ms * (PROBE_L / engine.L) ** 2;
    this.onProbe?.(this.probeMs);
  }

  /** The running experiment's next T or h, sent to the engine and shown in the controls. */
  private drive(engine: Engine, e: number, m: number): void {
    const { P } = this;
    const next = this.experiments?.measured(engine.sweepsDone, e, m) ?? {};
    const T = next.T ?? P.T;
    const h = next.h ?? P.h;
    if (T === P.T && h === P.h) return;
    P.T = T;
    P.h = h;
    engine.setParameters({ temperatures: [T], J: P.J, h, algorithm: P.alg });
    this.readouts.resetEquilibration();
    this.onParams?.();
  }

  private async takeSnapshot(): Promise<void> {
    const { engine } = this;
    if (this.mode !== 'gpu' || !engine || performance.now() - this.lastSnapshotAt <= SNAPSHOT_MS) return;
    this.lastSnapshotAt = performance.now();
    this.snapshot = { spins: await engine.spins(), sweepsDone: engine.sweepsDone, L: engine.L };
  }

  /** The debugging hook: lose the GPU device as a driver reset would. */
  loseDevice(): void {
    this.ctx?.device.destroy();
  }
}
