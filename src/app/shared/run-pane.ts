/**
 * The tweakpane panel of a page with a live run (tempering, learning): run/pause (Space when no
 * control has the focus), one step, restart; the URL's parameters, applied by restarting the
 * page with them (each page's parameters live in its URL); and the page's exports. Starts paused
 * when the system asks for reduced motion.
 */

import { Pane } from 'tweakpane';
import { labelPaneInputs, prefersReducedMotion, targetsControl } from './a11y.ts';

/** A parameter on the panel: a number (min, max, step) or a choice (options). */
export interface PaneField {
  key: string;
  label: string;
  min?: number;
  max?: number;
  step?: number;
  options?: Record<string, string | number | boolean>;
}

export interface RunPaneOptions {
  /** The parameters now (the pane edits a copy). */
  params: Record<string, string | number | boolean>;
  fields: readonly PaneField[];
  /** The page's URL query for parameters (the page restarts with it). */
  query: (params: Record<string, string | number | boolean>) => string;
  /** Export buttons. */
  exports: readonly { title: string; run: () => unknown }[];
  /** Adds the page's live controls (applied without a restart) below run and step. */
  live?: (pane: Pane) => void;
}

const runTitle = (running: boolean): string => (running ? 'pause (space)' : 'run (space)');

export class RunPane {
  running = !prefersReducedMotion();
  /** Steps asked for while paused; the frame loop takes them one at a time. */
  private steps = 0;
  private readonly runButton;

  constructor(container: HTMLElement, o: RunPaneOptions) {
    const pane = new Pane({ container, title: 'controls' });
    this.runButton = pane.addButton({ title: runTitle(this.running) });
    this.runButton.on('click', () => this.toggle());
    pane.addButton({ title: 'one step' }).on('click', () => this.steps++);
    o.live?.(pane);
    const edited = { ...o.params };
    const folder = pane.addFolder({ title: 'parameters (restart)', expanded: false });
    for (const f of o.fields) {
      const { key, label, ...rest } = f;
      folder.addBinding(edited, key, { label, ...rest });
    }
    folder.addButton({ title: 'restart with these' }).on('click', () => {
      location.search = o.query(edited);
    });
    pane.addButton({ title: 'restart' }).on('click', () => location.reload());
    const io = pane.addFolder({ title: 'export', expanded: false });
    for (const e of o.exports) io.addButton({ title: e.title }).on('click', () => void e.run());
    labelPaneInputs(container);
    this.show();
    if (!this.running) {
      const note = document.createElement('p');
      note.className = 'hint';
      note.textContent = 'Paused at the start because this system asks for reduced motion: press run (or Space).';
      container.append(note);
    }
    document.addEventListener('keydown', (ev) => {
      if (ev.code !== 'Space' || targetsControl(ev)) return;
      ev.preventDefault();
      this.toggle();
    });
  }

  /** Whether this frame runs: running, or a step asked for while paused (taken now). */
  take(): boolean {
    if (this.running) return true;
    if (this.steps === 0) return false;
    this.steps--;
    return true;
  }

  private toggle(): void {
    this.running = !this.running;
    this.show();
  }

  private show(): void {
    this.runButton.title = runTitle(this.running);
    document.body.dataset.running = String(this.running);
  }
}
