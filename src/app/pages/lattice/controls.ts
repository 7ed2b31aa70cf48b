/** The lattice page's tweakpane controls and keyboard: parameters, run/pause/step/reset, exports. */

import { type BladeApi, type FolderApi, Pane } from 'tweakpane';
import { KERNEL_NAMES } from '../../../models/ising/kernels.ts';
import { TC } from '../../../physics/constants.ts';
import { labelPaneInputs, targetsControl } from '../../shared/a11y.ts';
import { byId } from '../../shared/dom.ts';
import { sig3 } from '../../shared/numbers.ts';
import { MAX_SPF } from './auto-spf.ts';
import { MIN_FPS, sweepMs, tooSlow } from './size-probe.ts';
import { exportCsv, exportJson, exportPng, Recorder } from './exports.ts';
import type { LatticePage } from './page.ts';
import { ALGORITHMS, type Algorithm, isClusterAlgorithm } from '../../../models/ising/config.ts';
import { ALGORITHM_NOTES, clusterDisplay, DISPLAYS, type Display, CLUSTER_COLOURS_NOTE, L_CHOICES } from './params.ts';

const runTitle = (running: boolean): string => (running ? 'pause (space)' : 'run (space)');

export class Controls {
  private readonly pane = new Pane({ container: byId('pane'), title: 'controls' });
  /** The pane's values (P's, and the sweeps per frame when not automatic). */
  private readonly pp;
  /** True while the pane shows new values of P: its change events are not the user's. */
  private syncing = false;
  private readonly runButton;
  private spfBinding?: { refresh(): void };
  private sizeFolder?: FolderApi;
  private sizeBinding?: BladeApi;
  /** The display control and its note, shown with Swendsen–Wang only (a disabled row would be grey on grey). */
  private readonly displayRows: BladeApi[] = [];

  constructor(private readonly page: LatticePage) {
    const { P } = page;
    this.pp = {
      T: P.T,
      Tc: TC,
      h: P.h,
      J: P.J,
      L: P.L,
      alg: P.alg,
      algNote: ALGORITHM_NOTES[P.alg],
      auto: P.spf === 'auto',
      spf: typeof P.spf === 'number' ? P.spf : page.spf,
      init: P.init,
      seed: P.seed,
      kernel: P.kernel,
      display: P.display,
      displayNote: CLUSTER_COLOURS_NOTE,
    };
    this.addParameters();
    this.addResetters();
    this.runButton = this.pane.addButton({ title: runTitle(page.running) });
    this.runButton.on('click', () => this.toggleRun());
    this.pane.addButton({ title: 'single step (→)' }).on('click', () => void page.step());
    this.pane.addButton({ title: 'reset' }).on('click', () => {
      page.endExperiment();
      void page.reset();
    });
    this.addExports();
    labelPaneInputs(byId('pane'));
    document.body.dataset.running = String(page.running);
    document.addEventListener('keydown', (ev) => this.key(ev));
  }

  /** Shows P's values (after a state file set them). */
  sync(): void {
    const { P } = this.page;
    Object.assign(this.pp, {
      T: P.T,
      h: P.h,
      J: P.J,
      L: P.L,
      alg: P.alg,
      algNote: ALGORITHM_NOTES[P.alg],
      auto: P.spf === 'auto',
      init: P.init,
      seed: P.seed,
      kernel: P.kernel,
    });
    this.showDisplay();
    this.pp.spf = typeof P.spf === 'number' ? P.spf : this.page.spf;
    this.syncing = true;
    this.pane.refresh();
    this.syncing = false;
    this.showRunning();
  }

  /** The automatic sweeps per frame, shown on the slider (as the readout shows them). */
  showAutoSpf(spf: number): void {
    this.pp.spf = spf;
    this.syncing = true;
    this.spfBinding?.refresh();
    this.syncing = false;
  }

  toggleRun(): void {
    this.page.running = !this.page.running;
    this.showRunning();
  }

  private showRunning(): void {
    const { running } = this.page;
    this.runButton.title = runTitle(running);
    document.body.dataset.running = String(running);
  }

  /**
   * `apply(value)` on the user's changes of a binding (not on sync()); a change of the physics
   * (`physics`, the default) takes over from a running experiment and ends it.
   */
  private user<T>(apply: (value: T) => void, physics = true): (e: { value: T }) => void {
    return (e) => {
      if (this.syncing) return;
      if (physics) this.page.endExperiment();
      apply(e.value);
    };
  }

  private addParameters(): void {
    const { pane, pp, page } = this;
    const { P } = page;
    pane.addBinding(pp, 'T', { min: 0.5, max: 5, step: 0.001, label: `T (Tc ${TC.toFixed(3)})` }).on(
      'change',
      this.user((v) => {
        P.T = v;
        page.setParams();
      }),
    );
    pane.addButton({ title: 'T = Tc' }).on('click', () => {
      page.endExperiment();
      P.T = TC;
      this.sync();
      page.setParams();
    });
    pane.addBinding(pp, 'Tc', { readonly: true, label: 'Tc', format: (v: number) => v.toFixed(6) });
    pane.addBinding(pp, 'h', { min: -2, max: 2, step: 0.001, label: 'field h' }).on(
      'change',
      this.user((v) => {
        P.h = v;
        page.setParams();
      }),
    );
    pane.addBinding(pp, 'J', { min: 0.1, max: 3, step: 0.01, label: 'coupling J' }).on(
      'change',
      this.user((v) => {
        P.J = v;
        page.setParams();
      }),
    );
    pane.addBinding(pp, 'alg', { options: Object.fromEntries(ALGORITHMS.map((a) => [a, a])), label: 'algorithm' }).on(
      'change',
      this.user((v: Algorithm) => {
        P.alg = v;
        pp.algNote = ALGORITHM_NOTES[v];
        page.setParams();
        this.sync();
      }),
    );
    pane.addBinding(pp, 'algNote', { readonly: true, multiline: true, rows: 3, label: 'how' });
    this.addDisplay();
    this.addSweepsPerFrame();
  }

  /** Spins or clusters on the canvas (clusters with Swendsen–Wang only; page.draw reads P.display). */
  private addDisplay(): void {
    const { pane, pp, page } = this;
    const options = Object.fromEntries(DISPLAYS.map((d) => [d, d]));
    const binding = pane.addBinding(pp, 'display', { options, label: 'display' });
    binding.on(
      'change',
      this.user((v: Display) => {
        page.P.display = v;
        page.updateHash();
      }, false),
    );
    const note = pane.addBinding(pp, 'displayNote', { readonly: true, multiline: true, rows: 3, label: 'colours' });
    this.displayRows.push(binding, note);
    this.showDisplay();
  }

  /** The display control after an algorithm change: back to spins (in P too) and hidden without Swendsen–Wang. */
  private showDisplay(): void {
    const { P } = this.page;
    clusterDisplay(P);
    this.pp.display = P.display;
    for (const row of this.displayRows) row.hidden = P.alg !== 'swendsen-wang';
  }

  private addSweepsPerFrame(): void {
    const { pane, pp, page } = this;
    pane.addBinding(pp, 'auto', { label: 'auto sweeps' }).on(
      'change',
      this.user((v) => {
        page.P.spf = v ? 'auto' : pp.spf;
        page.updateHash();
      }, false),
    );
    const binding = pane.addBinding(pp, 'spf', { min: 1, max: MAX_SPF, step: 1, label: 'sweeps/frame' });
    this.spfBinding = binding;
    binding.on(
      'change',
      this.user((v) => {
        page.spf = v;
        page.P.spf = v;
        pp.auto = false;
        this.sync();
        page.updateHash();
      }, false),
    );
  }

  /** The size list, its choices marked "slow here" once the sweep time is known (`msAtProbe`). */
  private addSize(msAtProbe?: number): void {
    const { pp, page } = this;
    const slow = (L: number): boolean => msAtProbe !== undefined && tooSlow(msAtProbe, L);
    const options = Object.fromEntries(L_CHOICES.map((l) => [`${l}²${slow(l) ? ' (slow here)' : ''}`, l]));
    this.sizeBinding?.dispose();
    const binding = this.sizeFolder!.addBinding(pp, 'L', { options, label: 'size L', index: 0 });
    this.sizeBinding = binding;
    binding.on(
      'change',
      this.user((v) => {
        page.P.L = v;
        if (slow(v)) {
          page.message.dataset.kind = 'warning';
          page.message.textContent =
            `${v}² is slow on this device: one sweep takes about ${sig3(sweepMs(msAtProbe!, v))} ms, ` +
            `below ${MIN_FPS} frames per second; a smaller L keeps the view live.`;
        }
        void page.reset();
      }),
    );
    labelPaneInputs(byId('pane'));
  }

  /** Marks the sizes that would run below MIN_FPS here. */
  markSlowSizes(msAtProbe: number): void {
    this.addSize(msAtProbe);
  }

  /** The parameters that make a new lattice. */
  private addResetters(): void {
    const { pp, page } = this;
    const { P } = page;
    const folder = this.pane.addFolder({ title: 'lattice (resets)' });
    this.sizeFolder = folder;
    const reset = (): void => void page.reset();
    this.addSize();
    folder.addBinding(pp, 'init', { options: { hot: 'hot', cold: 'cold', 'half-half': 'half' }, label: 'initial' }).on(
      'change',
      this.user((v) => {
        P.init = v;
        reset();
      }),
    );
    folder.addBinding(pp, 'seed', { step: 1, min: 0, label: 'seed' }).on(
      'change',
      this.user((v) => {
        P.seed = Math.round(v);
        reset();
      }),
    );
    folder
      .addBinding(pp, 'kernel', { options: Object.fromEntries(KERNEL_NAMES.map((k) => [k, k])), label: 'kernel' })
      .on(
        'change',
        this.user((v) => {
          P.kernel = v;
          if (isClusterAlgorithm(P.alg) && v !== 'checkerboard-u32') {
            // The cluster updates run on checkerboard-u32 only (page.setParams switches back to it).
            P.alg = 'metropolis';
            page.message.textContent = `Kernel ${v} has no cluster updates: switched to Metropolis.`;
            this.sync();
          }
          reset();
        }),
      );
  }

  private addExports(): void {
    const { page } = this;
    const io = this.pane.addFolder({ title: 'export / load', expanded: false });
    io.addButton({ title: 'lattice PNG' }).on('click', () => void exportPng(page));
    io.addButton({ title: 'time series CSV' }).on('click', () => exportCsv(page));
    io.addButton({ title: 'state JSON' }).on('click', () => void exportJson(page));
    io.addButton({ title: 'load state…' }).on('click', () => byId<HTMLInputElement>('load-state').click());
    const recorder = new Recorder(page);
    const recButton = io.addButton({ title: 'record WebM' });
    recButton.on('click', () => recorder.toggle(recButton));
  }

  /** Space: run/pause; →: one sweep (only when no control has the focus: a focused button takes its Space). */
  private key(ev: KeyboardEvent): void {
    if (targetsControl(ev)) return;
    if (ev.code === 'Space') {
      ev.preventDefault();
      this.toggleRun();
    } else if (ev.key === 'ArrowRight') {
      ev.preventDefault();
      void this.page.step();
    }
  }
}
