/**
 * The lattice page's experiment panel: one button per experiment (experiments.ts), the running
 * one's sentence, its schedule applied frame by frame, and its plot (experiment-plots.ts).
 */

import { onsagerEnergy } from '../../../physics/onsager.ts';
import { byId } from '../../shared/dom.ts';
import { type Active, critical, type Drive, heat, hysteresis, quench } from './experiment-plots.ts';
import { EXPERIMENT_NAMES, EXPERIMENTS, type ExperimentName } from './experiments.ts';

/** The panel: buttons, the running experiment's sentence, and its plot. */
export class ExperimentPanel {
  private active?: Active;
  private readonly root = byId('experiment');
  private readonly plotEl = byId('exp-plot');
  private readonly loop = byId<HTMLCanvasElement>('exp-loop');

  /** `start(name)` sets the experiment up (parameters, a new lattice) and then calls begin(). */
  private readonly buttons: HTMLButtonElement[] = [];

  constructor(start: (name: ExperimentName) => void) {
    const buttons = byId('exp-buttons');
    for (const name of EXPERIMENT_NAMES) {
      const b = document.createElement('button');
      b.type = 'button';
      b.setAttribute('aria-pressed', 'false');
      this.buttons.push(b);
      b.textContent = EXPERIMENTS[name].title;
      b.dataset.experiment = name;
      b.addEventListener('click', () => start(name));
      buttons.append(b);
    }
  }

  /** Starts `name`'s plot and schedule on a lattice just set up for it (J: the coupling). */
  begin(name: ExperimentName, J: number): void {
    this.end();
    this.root.dataset.experiment = name;
    for (const b of this.buttons) b.setAttribute('aria-pressed', String(b.dataset.experiment === name));
    byId('exp-text').textContent = EXPERIMENTS[name].text;
    this.loop.hidden = name !== 'hysteresis';
    this.active =
      name === 'quench'
        ? quench(this.plotEl, onsagerEnergy(EXPERIMENTS.quench.setup.T, J))
        : name === 'critical'
          ? critical(this.plotEl)
          : name === 'heat'
            ? heat(this.plotEl, J)
            : hysteresis(this.loop);
  }

  end(): void {
    this.active = undefined;
    this.plotEl.replaceChildren();
    this.loop.hidden = true;
    delete this.root.dataset.experiment;
    for (const b of this.buttons) b.setAttribute('aria-pressed', 'false');
    this.root.dataset.points = '0';
    byId('exp-text').textContent = '';
  }

  get running(): boolean {
    return this.active !== undefined;
  }

  measured(sweeps: number, e: number, m: number): Drive {
    if (!this.active) return {};
    const drive = this.active.measured(sweeps, e, m);
    this.root.dataset.points = String(this.active.points());
    return drive;
  }

  maxSweeps(sweeps: number): number {
    return this.active ? this.active.maxSweeps(sweeps) : Infinity;
  }
}
