/** The lattice page's readouts: live e and |m| beside Onsager's exact values, rates, and the charts. */

import { energyPerSite } from '../../../models/ising/config.ts';
import { onsagerEnergy, spontaneousMagnetization } from '../../../physics/onsager.ts';
import { byId } from '../../shared/dom.ts';
import { type Charts, Series } from './charts.ts';
import type { Advance, Engine } from './engines.ts';
import type { LatticeParams } from './params.ts';

/** Sets a readout's text and its exact value (data-value, read by the e2e tests). */
function readout(id: string, value: number, text: string): void {
  const el = byId(id);
  el.dataset.value = String(value);
  el.textContent = text;
}

export class Readouts {
  readonly series = new Series();
  charts?: Charts;
  private rate = { sweeps: 0, t: performance.now(), frames: 0, flips: 0, secs: 0, clock: 'wall' };

  constructor(private readonly P: LatticeParams) {}

  /** Onsager's e and spontaneous |m| at the page's T and J (none with a field). */
  exact(): { e: number; m: number } {
    const { P } = this;
    if (P.h !== 0) return { e: NaN, m: NaN };
    return { e: onsagerEnergy(P.T, Math.abs(P.J)), m: spontaneousMagnetization(P.T, Math.abs(P.J)) };
  }

  /** Shows a measurement; `advanced`: the chain moved, so it is a new point of the series. */
  show(engine: Engine, bonds: number, magnetization: number, advanced: boolean): void {
    const { P, series } = this;
    const N = engine.L * engine.L;
    const e = energyPerSite(bonds, magnetization, P.J, P.h, N);
    const m = magnetization / N;
    if (advanced || series.sweep.length === 0 || series.sweep[series.sweep.length - 1] !== engine.sweepsDone)
      series.push(engine.sweepsDone, e, m);
    const ex = this.exact();
    readout('energy', e, e.toFixed(6));
    readout('m-abs', Math.abs(m), Math.abs(m).toFixed(5));
    readout('sweeps', engine.sweepsDone, String(engine.sweepsDone));
    readout('e-exact', ex.e, Number.isFinite(ex.e) ? ex.e.toFixed(6) : 'n/a (h≠0)');
    readout('m-exact', ex.m, Number.isFinite(ex.m) ? ex.m.toFixed(5) : 'n/a (h≠0)');
    byId('bonds').dataset.value = String(bonds);
    byId('bonds').dataset.magnetization = String(magnetization);
  }

  /** Counts `sweeps` sweeps that took `a.seconds` by its clock. */
  count(sweeps: number, a: Advance): void {
    this.rate.sweeps += sweeps;
    this.rate.flips += a.flips;
    this.rate.secs += a.seconds;
    this.rate.clock = a.clock;
  }

  countFrame(): void {
    this.rate.frames++;
  }

  /** Sweeps/s, frames/s and flips/ns over the last half second or more, and the charts. */
  showRates(spf: number): void {
    const { rate, P } = this;
    const now = performance.now();
    const dt = (now - rate.t) / 1000;
    if (dt < 0.5) return;
    const sps = rate.sweeps / dt;
    const fps = rate.frames / dt;
    const fpns = rate.secs > 0 ? rate.flips / (rate.secs * 1e9) : 0;
    readout('sweeps-per-s', sps, sps.toFixed(1));
    readout('fps', fps, fps.toFixed(1));
    readout('flips-per-ns', fpns, `${fpns.toFixed(4)} (${rate.clock})`);
    readout('spf', spf, `${spf}${P.spf === 'auto' ? ' (auto)' : ''}`);
    this.rate = { ...rate, sweeps: 0, frames: 0, flips: 0, secs: 0, t: now };
    const ex = this.exact();
    this.charts?.update(this.series, ex.e, ex.m);
  }
}
