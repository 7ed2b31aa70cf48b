/**
 * The spin-glass page once its sampler runs: two real replicas of one ±J sample at the chosen
 * temperature (the coldest slots of two tempering chains) and their overlap image, redrawn every frame; q and the link overlap of the last
 * sweep; P(q) accumulated since the last change of T; the panel (T live on a log scale, the
 * frustrated plaquettes on or off, a new disorder sample, the URL's parameters, exports).
 */

import type { Pane } from 'tweakpane';
import { couplingsJson, type Couplings } from '../../../models/ising/couplings.ts';
import type { RunResult } from '../../../models/ising/sampler.ts';
import { Announcer } from '../../shared/a11y.ts';
import { byId, download } from '../../shared/dom.ts';
import { RateMeter } from '../../shared/rate-meter.ts';
import { RunPane } from '../../shared/run-pane.ts';
import type { GpuRun } from '../../shared/startup.ts';
import { PairView } from './pair-view.ts';
import { coldOverlaps, coldPair } from './chains.ts';
import { glassLadder, glassQuery, type GlassParams, T_RANGE } from './params.ts';
import { frustratedPlaquettes, OverlapHistogram } from './pictures.ts';
import { drawOverlapHistogram } from './pq-chart.ts';
import type { GlassRunner } from './runner.ts';

/** The URL's parameters on the panel (a change restarts the page with them). */
const PANE_FIELDS = [
  { key: 'L', label: 'size L', options: Object.fromEntries([16, 32, 64, 128, 256].map((l) => [`${l}²`, l])) },
  { key: 'K', label: 'ladder K', min: 1, max: 32, step: 1 },
  { key: 'seed', label: 'seed', min: 0, max: 2 ** 32 - 1, step: 1 },
  { key: 'sample', label: 'disorder sample', min: 0, max: 2 ** 32 - 1, step: 1 },
  { key: 'sweepsPerFrame', label: 'sweeps/frame', min: 1, max: 256, step: 1 },
];

const REDRAW_MS = 250;

export class GlassPage {
  private readonly hist: OverlapHistogram;
  private readonly view: PairView;
  private readonly rate = new RateMeter();
  private readonly announcer = new Announcer(byId('announce'));
  readonly first: Promise<void>;
  private readonly live: { logT: number; frustration: boolean };
  private pendingT: number | undefined;
  private T: number;
  private last = { q: 0, ql: 0, agree: 0 };
  private nextReadout = 0;
  private spins: Int8Array = new Int8Array(0);
  /** Swaps accepted and attempted since the start, over all pairs of slots and both chains. */
  private readonly swaps = { accepted: 0, attempted: 0 };
  readonly pane: RunPane;

  constructor(
    private readonly params: GlassParams,
    private readonly run: GpuRun,
    private readonly runner: GlassRunner,
    private readonly couplings: Couplings,
  ) {
    const { L } = params;
    this.T = params.T;
    this.hist = new OverlapHistogram(L * L);
    const canvases = ['replica-a', 'replica-b', 'overlap'].map((id) => byId<HTMLCanvasElement>(id));
    this.view = new PairView(canvases, L, frustratedPlaquettes(couplings), params.frustration);
    this.live = { logT: Math.log10(params.T), frustration: params.frustration };
    byId('frustrated').textContent = String(frustratedPlaquettes(couplings).length);
    this.pane = new RunPane(byId('pane'), {
      params: { L, K: params.K, seed: params.seed, sample: params.sample, sweepsPerFrame: params.sweepsPerFrame },
      fields: PANE_FIELDS,
      query: (p) => glassQuery({ ...params, ...p, T: this.T, frustration: this.live.frustration }),
      exports: [
        { title: 'P(q) CSV', run: () => this.exportHistogram() },
        { title: 'couplings JSON', run: () => this.exportCouplings() },
      ],
      live: (pane) => this.liveControls(pane),
    });
    // The starting lattices at once (paused pages too).
    this.first = this.redraw();
  }

  /** T on a log scale (applied at the next frame, P(q) restarts), the dots, a new sample. */
  private liveControls(pane: Pane): void {
    const [lo, hi] = T_RANGE.map(Math.log10);
    const t = pane.addBinding(this.live, 'logT', {
      label: 'temperature T',
      min: lo,
      max: hi,
      step: 0.01,
      format: (v) => (10 ** v).toFixed(2),
    });
    t.on('change', (ev) => {
      this.pendingT = Number((10 ** ev.value).toPrecision(3));
    });
    // The box shows T but would read a typed number as log10 T: it only steps (arrow keys), like the slider.
    const box = t.element.querySelector('input');
    if (box) {
      box.readOnly = true;
      box.title = 'log scale: drag the slider or use the arrow keys (T= in the address for an exact value)';
    }
    pane.addBinding(this.live, 'frustration', { label: 'frustrated plaquettes' }).on('change', (ev) => {
      this.view.showFrustration = ev.value;
      this.draw();
    });
    pane.addButton({ title: 'new disorder sample' }).on('click', () => {
      location.search = glassQuery({
        ...this.params,
        T: this.T,
        frustration: this.live.frustration,
        sample: this.params.sample + 1,
      });
    });
  }

  private exportHistogram(): void {
    const { hist } = this;
    const density = hist.density();
    const rows = Array.from(
      density,
      (p, b) => `${(-1 + ((b + 0.5) * 2) / hist.bins).toFixed(6)},${p},${hist.counts[b]}`,
    );
    const csv = `q,P(q),count\n${rows.join('\n')}\n`;
    download(new Blob([csv], { type: 'text/csv' }), `spin-glass-L${this.params.L}-T${this.T}-Pq.csv`);
  }

  private exportCouplings(): void {
    const { L, seed, sample } = this.params;
    download(
      new Blob([couplingsJson(this.couplings)], { type: 'application/json' }),
      `couplings-L${L}-seed${seed}-sample${sample}.json`,
    );
  }

  /** One frame: a temperature change if asked, a few sweeps, the pictures, readouts and P(q) when due. */
  readonly frame = async (): Promise<void> => {
    if (this.pendingT !== undefined) await this.applyTemperature(this.pendingT);
    if (!this.pane.take()) return;
    const result = await this.runner.sweep(this.params.sweepsPerFrame);
    if (this.run.stopped) return;
    this.accumulate(result);
    await this.redraw();
    const now = performance.now();
    const sps = this.rate.add(now, this.runner.sweepsDone);
    if (now >= this.nextReadout || !this.pane.running) this.readout(now, sps);
  };

  private async applyTemperature(T: number): Promise<void> {
    this.pendingT = undefined;
    await this.runner.setTemperatures(glassLadder(T, this.params.K));
    this.T = T;
    this.hist.clear();
    drawOverlapHistogram(byId<HTMLCanvasElement>('pq-hist'), this.hist);
    this.announcer.say(() => `temperature set to ${T}; P(q) starts again`, true);
  }

  /** q of the coldest pair after every sweep into P(q); the last q and link overlap; the swaps. */
  private accumulate(r: RunResult): void {
    if (!r.overlap || !r.linkOverlap || r.samples === 0) return;
    const q = coldOverlaps(r);
    for (const qN of q) this.hist.add(qN);
    const N = this.params.L ** 2;
    const t = r.samples - 1;
    this.last.q = q[t] / N;
    this.last.ql = r.linkOverlap[t * r.replicas + (r.permutations?.[t * r.replicas] ?? 0)] / (2 * N);
    if (r.swapAccepted && r.swapAttempted)
      for (let k = 0; k < r.swapAccepted.length; k++) {
        this.swaps.accepted += r.swapAccepted[k];
        this.swaps.attempted += r.swapAttempted[k];
      }
  }

  /** The spins now, read back (on the GPU) and drawn. */
  private async redraw(): Promise<void> {
    this.spins = await this.runner.spins();
    this.draw();
  }

  /** The last spins read back, drawn again (the dots toggled while a frame may be in flight). */
  private draw(): void {
    const [a, b] = coldPair(this.runner.slots());
    this.last.agree = this.view.draw(this.spins, a, b) / this.params.L ** 2;
    this.labelPictures();
  }

  private labelPictures(): void {
    const { L } = this.params;
    const at = `T = ${this.T.toFixed(2)}, L = ${L}, q = ${this.last.q.toFixed(3)}`;
    this.view.label(0, `replica a of one disorder sample at ${at}: its spins`);
    this.view.label(1, `replica b of the same sample at ${at}: its spins`);
    this.view.label(2, `overlap of replicas a and b at ${at}: ${(100 * this.last.agree).toFixed(0)} % of sites agree`);
    byId('overlap').dataset.agree = this.last.agree.toFixed(4);
  }

  private readout(now: number, sps: number): void {
    const { q, ql } = this.last;
    const sweeps = this.runner.sweepsDone;
    byId('sweeps').textContent = String(sweeps);
    byId('rate').textContent = sps.toFixed(0);
    byId('T').textContent = this.T.toFixed(2);
    const { accepted, attempted } = this.swaps;
    byId('swaps').textContent = attempted ? `${Math.round((100 * accepted) / attempted)} %` : '–';
    for (const [id, v] of [
      ['q', q],
      ['ql', ql],
    ] as const) {
      byId(id).textContent = v.toFixed(3);
      byId(id).dataset.value = String(v);
    }
    const pq = byId<HTMLCanvasElement>('pq-hist');
    drawOverlapHistogram(pq, this.hist);
    pq.dataset.points = String(this.hist.total);
    pq.setAttribute(
      'aria-label',
      `histogram P(q) of the overlap of the two replicas at T = ${this.T.toFixed(2)}, L = ${this.params.L}, from ${this.hist.total} sweeps; last q = ${q.toFixed(3)}`,
    );
    byId('pq-note').textContent = `${this.hist.total} sweeps at T = ${this.T.toFixed(2)} since the last change`;
    this.announcer.say(
      () => `${sweeps} sweeps at T = ${this.T.toFixed(2)}: overlap q = ${q.toFixed(2)}, link overlap ${ql.toFixed(2)}`,
    );
    this.nextReadout = now + REDRAW_MS;
  }
}
