/**
 * The lattice page's running ξ estimate: m and F of recent frames, kept only once the energy has
 * stopped drifting after the last change (drift.ts decides), so the frames of the relaxation from
 * the previous state do not bias it. Without DOM, so tests can drive it.
 */

import { correlationLength } from '../../../analysis/correlation-length.ts';
import { sig3 } from '../../shared/numbers.ts';
import { Equilibration } from './drift.ts';

/** Frames of m and F kept for the running ξ estimate, and the fewest it is shown from. */
export const XI_KEEP = 400;
export const XI_MIN = 20;

/** The text of the "equilibrating…" indicator and of ξ until the energy settles. */
export const EQUILIBRATING = 'equilibrating…';

/** What a readout shows: its exact value (NaN for none) and its text. */
export interface Shown {
  value: number;
  text: string;
}

export class XiFrames {
  readonly equilibration = new Equilibration();
  private readonly m: number[] = [];
  private readonly F: number[] = [];

  /** Forgets the frames and waits for equilibration again (a parameter or the lattice changed). */
  reset(): void {
    this.equilibration.reset();
    this.m.length = 0;
    this.F.length = 0;
  }

  /** A new frame's energy per site (every frame the chain moved). */
  energy(e: number): void {
    this.equilibration.add(e);
  }

  /** A frame's m (per site) and F; kept only after equilibration. */
  add(m: number, F: number | undefined): void {
    if (F === undefined || !this.equilibration.settled) return;
    this.m.push(m);
    this.F.push(F);
    if (this.m.length > XI_KEEP) {
      this.m.shift();
      this.F.shift();
    }
  }

  /** ξ and ξ/L of the kept frames of an L×L lattice, with jackknife errors, as the readouts show them. */
  shown(L: number): { xi: Shown; xiOverL: Shown } {
    const none = (text: string) => ({ xi: { value: NaN, text }, xiOverL: { value: NaN, text } });
    if (!this.equilibration.settled) return none(EQUILIBRATING);
    if (this.m.length < XI_MIN || L === 0) return none('–');
    const { xi, xi_over_L } = correlationLength([this.m], [this.F], L);
    // N⟨m²⟩ ≤ F (far above Tc, few samples) leaves ξ undefined: say so rather than NaN.
    if (!Number.isFinite(xi.mean)) return none('n/a (χ ≤ F)');
    return {
      xi: { value: xi.mean, text: `${sig3(xi.mean)} ± ${sig3(xi.err)}` },
      xiOverL: { value: xi_over_L.mean, text: `${sig3(xi_over_L.mean)} ± ${sig3(xi_over_L.err)}` },
    };
  }
}
