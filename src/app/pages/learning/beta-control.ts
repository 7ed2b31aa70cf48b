/**
 * The learning page's β slider: a log scale wider than the ladder, whose temperatures are its tick
 * marks. It moves the marker on the exact panel and the self-averaging histogram's β, and its
 * readout shows the exact F and <H> at β beside the live running loss at the nearest ladder slot.
 */

import { freeEnergy, meanEnergy } from '../../../models/weights/enumeration.ts';
import { byId } from '../../shared/dom.ts';
import type { ChartMarker } from './charts.ts';
import { fixed } from './format.ts';
import type { ExactPanel } from './panels.ts';
import { type BetaScale, nearestSlot } from './params.ts';
import type { SelfAverageHistogram } from './selfavg.ts';

/** Live running means per temperature slot, once the sampler runs. */
export interface LiveMeans {
  loss(k: number): number;
  eps(k: number): number;
}

export class BetaControl {
  /** The coldest ladder temperature at first, exactly (a slider position is rounded). */
  beta: number;
  exact?: ExactPanel;
  selfavg?: SelfAverageHistogram;
  live?: LiveMeans;
  private readonly slider = byId<HTMLInputElement>('beta');
  private readonly readout = byId('beta-readout');

  constructor(
    private readonly temperatures: readonly number[],
    /** Examples in the dataset (E/P is the loss per example). */
    private readonly P: number,
    readonly scale: BetaScale,
  ) {
    const { slider } = this;
    slider.min = '0';
    slider.max = String(scale.steps);
    slider.step = '1';
    byId('ladder-ticks').innerHTML = temperatures
      .map((T) => `<option value="${scale.position(1 / T)}"></option>`)
      .join('');
    slider.value = String(scale.position(1 / temperatures[0]));
    this.beta = 1 / temperatures[0];
  }

  /** The exact panel's marker at β (undefined until the panel exists). */
  marker(): ChartMarker | undefined {
    const { exact, beta } = this;
    if (!exact) return undefined;
    return { x: beta, ys: [freeEnergy(exact.en, beta), meanEnergy(exact.en, beta), exact.en.groundEnergy] };
  }

  /** Follows the slider from now on. */
  listen(): void {
    this.slider.addEventListener('input', () => {
      this.beta = this.scale.beta(Number(this.slider.value));
      this.show();
      this.exact?.redraw();
      this.selfavg?.setBeta(this.beta);
    });
  }

  show(): void {
    const { beta, exact, readout, temperatures } = this;
    const k = nearestSlot(temperatures, 1 / beta);
    const Tk = temperatures[k];
    const parts = [`β = <b>${beta.toPrecision(3)}</b> (T = ${(1 / beta).toPrecision(3)})`];
    readout.dataset.beta = beta.toFixed(5);
    readout.dataset.slot = String(k);
    if (exact) {
      const f = freeEnergy(exact.en, beta);
      const h = meanEnergy(exact.en, beta);
      readout.dataset.f = f.toFixed(6);
      readout.dataset.h = h.toFixed(6);
      parts.push(
        `exact F = <b>${fixed(f, 3)}</b>, &lt;H&gt; = <b>${fixed(h, 3)}</b>, min H = ${exact.en.groundEnergy}`,
      );
    }
    const l = this.live?.loss(k) ?? NaN;
    const e = this.live?.eps(k) ?? NaN;
    const there = exact ? meanEnergy(exact.en, 1 / Tk) / this.P : NaN;
    const exactHere = exact ? ` (exact &lt;H&gt;/P there ${fixed(there, 3)})` : '';
    readout.dataset.live = Number.isFinite(l) ? l.toFixed(5) : '';
    readout.dataset.exactThere = Number.isFinite(there) ? there.toFixed(5) : '';
    parts.push(
      `nearest ladder T = ${Tk.toFixed(3)}: live E/P = <b>${Number.isFinite(l) ? fixed(l, 3) : '–'}</b>${exactHere}, ε = ${Number.isFinite(e) ? fixed(e, 3) : '–'}`,
    );
    readout.innerHTML = parts.join(' · ');
  }
}
