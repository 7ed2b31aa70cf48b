/** The lattice page's readouts: live e and |m| beside Onsager's exact values, rates, and the charts. */

import { energyPerSite } from '../../../models/ising/config.ts';
import { onsagerEnergy, spontaneousMagnetization } from '../../../physics/onsager.ts';
import { Announcer } from '../../shared/a11y.ts';
import { byId } from '../../shared/dom.ts';
import { sig3, updateRates } from '../../shared/numbers.ts';
import { type Charts, Series } from './charts.ts';
import type { Advance, Engine } from './engines.ts';
import { type LatticeParams, showsClusters } from './params.ts';
import { EQUILIBRATING, XiFrames } from './xi-frames.ts';

/** Sets a readout's text and its exact value (data-value, read by the e2e tests). */
function readout(id: string, value: number, text: string): void {
  const el = byId(id);
  el.dataset.value = String(value);
  el.textContent = text;
}

export class Readouts {
  /** m (per site) and F of recent equilibrated frames at the present parameters, for ξ. */
  private readonly xiFrames = new XiFrames();
  readonly series = new Series();
  charts?: Charts;
  /** Since the last showRates: sweeps and frames (wall clock), and the timed sweeps with their accepted flips. */
  private rate = { sweeps: 0, t: performance.now(), frames: 0, timed: 0, flips: 0, secs: 0, sites: 0, clock: 'wall' };

  /** Milliseconds per sweep at the last showRates (NaN before timed sweeps). */
  msPerSweep = NaN;
  /** Side of the lattice last shown. */
  private L = 0;
  private readonly announcer = new Announcer(byId('announce'));

  constructor(private readonly P: LatticeParams) {}

  /** Onsager's e and spontaneous |m| at the page's T and J (none with a field). */
  exact(): { e: number; m: number } {
    const { P } = this;
    if (P.h !== 0) return { e: NaN, m: NaN };
    return { e: onsagerEnergy(P.T, Math.abs(P.J)), m: spontaneousMagnetization(P.T, Math.abs(P.J)) };
  }

  /** Shows a measurement; `advanced`: the chain moved, so it is a new point of the series. */
  show(engine: Engine, bonds: number, magnetization: number, advanced: boolean): { e: number; m: number } {
    const { P, series } = this;
    const N = engine.L * engine.L;
    const e = energyPerSite(bonds, magnetization, P.J, P.h, N);
    const m = magnetization / N;
    if (advanced || series.sweep.length === 0 || series.sweep[series.sweep.length - 1] !== engine.sweepsDone) {
      series.push(engine.sweepsDone, e, m);
      this.xiFrames.energy(e);
    }
    const ex = this.exact();
    this.L = engine.L;
    readout('energy', e, e.toFixed(6));
    readout('m-abs', Math.abs(m), Math.abs(m).toFixed(5));
    readout('sweeps', engine.sweepsDone, String(engine.sweepsDone));
    readout('e-exact', ex.e, Number.isFinite(ex.e) ? ex.e.toFixed(6) : 'n/a (h≠0)');
    readout('m-exact', ex.m, Number.isFinite(ex.m) ? ex.m.toFixed(5) : 'n/a (h≠0)');
    byId('bonds').dataset.value = String(bonds);
    byId('bonds').dataset.magnetization = String(magnetization);
    return { e, m };
  }

  /** Adds a frame's m and F to the ξ estimate (after an advance that measured F; kept once equilibrated). */
  addXi(m: number, F: number | undefined): void {
    this.xiFrames.add(m, F);
  }

  /** Forgets the ξ samples and waits for equilibration again (a parameter or the lattice changed). */
  resetEquilibration(): void {
    this.xiFrames.reset();
  }

  /** "Equilibrating…" until the energy settles after the last change, then ξ and ξ/L of the frames since. */
  private showXi(): void {
    const { xi, xiOverL } = this.xiFrames.shown(this.L);
    byId('settling').textContent = this.xiFrames.equilibration.settled ? '' : EQUILIBRATING;
    readout('xi', xi.value, xi.text);
    readout('xi-over-L', xiOverL.value, xiOverL.text);
  }

  /** Counts `sweeps` sweeps that took `a.seconds` by its clock. */
  count(sweeps: number, a: Advance, sites: number): void {
    this.rate.sweeps += sweeps;
    if (a.seconds > 0) {
      this.rate.timed += sweeps;
      this.rate.flips += a.flips;
      this.rate.secs += a.seconds;
    }
    this.rate.sites = sites;
    this.rate.clock = a.clock;
  }

  countFrame(): void {
    this.rate.frames++;
  }

  /** Sweeps/s, frames/s, flips/ns (attempted) and acceptance over the last half second or more, and the charts; false when it is not time yet. */
  showRates(spf: number): boolean {
    const { rate, P } = this;
    const now = performance.now();
    const dt = (now - rate.t) / 1000;
    if (dt < 0.5) return false;
    const sps = rate.sweeps / dt;
    const fps = rate.frames / dt;
    const { flipsPerNs, acceptance } = updateRates(rate.sites, rate.timed, rate.flips, rate.secs);
    readout('sweeps-per-s', sps, sig3(sps));
    readout('fps', fps, sig3(fps));
    if (rate.timed > 0) {
      this.msPerSweep = (1000 * rate.secs) / rate.timed;
      readout('flips-per-ns', flipsPerNs, `${sig3(flipsPerNs)} (${rate.clock} clock)`);
      readout('acceptance', acceptance, sig3(acceptance));
    }
    readout('spf', spf, `${spf}${P.spf === 'auto' ? ' (auto)' : ''}`);
    this.rate = { ...rate, sweeps: 0, frames: 0, timed: 0, flips: 0, secs: 0, t: now };
    const ex = this.exact();
    this.charts?.update(this.series, ex.e, ex.m);
    this.showXi();
    this.describe();
    return true;
  }

  /** The canvases' text alternative (T, L, |m|, e now) and, now and then, the same words in the live region. */
  private describe(): void {
    const { series, P, L } = this;
    const i = series.sweep.length - 1;
    if (i < 0) return;
    const now = `T = ${P.T.toFixed(3)}, |m| = ${sig3(series.mAbs[i])}, e = ${sig3(series.e[i])}`;
    const colours = showsClusters(P)
      ? 'one colour per Fortuin–Kasteleyn cluster of the last Swendsen–Wang step'
      : 'light: up, dark: down';
    const label = `Ising lattice of ${L}×${L} spins at ${now} after ${series.sweep[i]} sweeps (${colours})`;
    for (const id of ['lattice', 'lattice-gl']) byId(id).setAttribute('aria-label', label);
    this.announcer.say(() => `sweep ${series.sweep[i]}: ${now}`);
  }
}
