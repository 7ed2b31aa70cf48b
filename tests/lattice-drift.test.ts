/**
 * The lattice page's "equilibrating…" test (src/app/pages/lattice/drift.ts) and the ξ readout that
 * waits for it (xi-frames.ts): only frames after the energy settles enter ξ, and any change restarts it.
 */
import { describe, expect, it } from 'vitest';
import { DRIFT_WINDOW, drifting, Equilibration } from '../src/app/pages/lattice/drift.ts';
import { EQUILIBRATING, XI_MIN, XiFrames } from '../src/app/pages/lattice/xi-frames.ts';

/** A fixed-seed uniform in [−1, 1). */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (2 * s) / 2 ** 32 - 1;
  };
}

describe('drifting', () => {
  const n = 4 * DRIFT_WINDOW;

  it('is true before two windows of samples', () => {
    expect(drifting(new Array(2 * DRIFT_WINDOW - 1).fill(-1.4))).toBe(true);
    expect(drifting(new Array(2 * DRIFT_WINDOW).fill(-1.4))).toBe(false);
  });

  it('is false for a settled series with noise, true while it relaxes', () => {
    const r = noise(7);
    const settled = Array.from({ length: n }, () => -1.35 + 0.02 * r());
    expect(drifting(settled)).toBe(false);
    // Relaxing from e = 0 toward −1.35 with a time constant of 100 samples.
    const relaxing = Array.from({ length: n }, (_, t) => -1.35 * (1 - Math.exp(-t / 100)) + 0.02 * r());
    expect(drifting(relaxing)).toBe(true);
  });
});

/** Energies relaxing from 0 toward −1.35 (time constant 100 frames), then settled there; both with noise. */
function relaxThenSettle(seed: number, relaxing: number, settled: number): number[] {
  const r = noise(seed);
  return Array.from({ length: relaxing + settled }, (_, t) =>
    t < relaxing ? -1.35 * (1 - Math.exp(-t / 100)) + 0.02 * r() : -1.35 + 0.02 * r(),
  );
}

describe('Equilibration', () => {
  it('settles once the energies since the last reset stop drifting, stays settled, and starts over on reset', () => {
    const q = new Equilibration();
    const e = relaxThenSettle(3, 200, 4 * DRIFT_WINDOW);
    const settledAt = e.findIndex((x) => {
      q.add(x);
      return q.settled;
    });
    expect(settledAt).toBeGreaterThanOrEqual(200);
    // Latched: a window-long jump after settling does not bring "equilibrating…" back; a reset does.
    for (let i = 0; i < DRIFT_WINDOW; i++) q.add(0);
    expect(q.settled).toBe(true);
    q.reset();
    expect(q.settled).toBe(false);
    for (let i = 0; i < 2 * DRIFT_WINDOW - 1; i++) q.add(-1.35);
    expect(q.settled).toBe(false);
    q.add(-1.35);
    expect(q.settled).toBe(true);
  });
});

describe('XiFrames (the lattice page ξ readout)', () => {
  const L = 16;
  const N = L * L;
  /** ξ = sqrt(N⟨m²⟩/⟨F⟩ − 1) / (2 sin(π/L)) of the given frames. */
  const exactXi = (m: number[], F: number[]): number => {
    const m2 = m.reduce((a, x) => a + x * x, 0) / m.length;
    const f = F.reduce((a, x) => a + x, 0) / F.length;
    return Math.sqrt((N * m2) / f - 1) / (2 * Math.sin(Math.PI / L));
  };

  /** Feeds frames (e, m, F) as the page does; returns the m and F of the frames after the energy settled. */
  function feed(x: XiFrames, e: number[], m: (t: number) => number, F: (t: number) => number) {
    const kept = { m: [] as number[], F: [] as number[] };
    e.forEach((et, t) => {
      x.energy(et);
      if (!x.equilibration.settled) {
        expect(x.shown(L).xi.text).toBe(EQUILIBRATING);
        expect(x.shown(L).xiOverL.text).toBe(EQUILIBRATING);
        expect(Number.isNaN(x.shown(L).xi.value)).toBe(true);
      } else {
        kept.m.push(m(t));
        kept.F.push(F(t));
      }
      x.add(m(t), F(t));
    });
    return kept;
  }

  it('shows "equilibrating…" while e relaxes, then ξ of the frames after it settled only', () => {
    const x = new XiFrames();
    const r = noise(11);
    const e = relaxThenSettle(5, 200, 200);
    // While relaxing the lattice is ordered-looking (m = 0.9, a huge χ); settled, |m| ≈ 0.3.
    const m = e.map((_, t) => (t < 200 ? 0.9 : 0.3 + 0.05 * r()) * (t % 2 ? 1 : -1));
    const F = e.map((_, t) => (t < 200 ? 1 : 2 + 0.5 * r()));
    const kept = feed(
      x,
      e,
      (t) => m[t],
      (t) => F[t],
    );
    expect(kept.m.length).toBeGreaterThanOrEqual(XI_MIN);
    expect(kept.m.length).toBeLessThanOrEqual(200);
    const shown = x.shown(L);
    expect(shown.xi.value).toBeCloseTo(exactXi(kept.m, kept.F), 9);
    expect(shown.xiOverL.value).toBeCloseTo(exactXi(kept.m, kept.F) / L, 9);
    expect(shown.xi.text).toMatch(/^\S+ ± \S+$/);
  });

  it('a reset (any parameter change) forgets the frames and waits for the energy to settle again', () => {
    const x = new XiFrames();
    const r = noise(13);
    // Before the reset: a settled lattice at other parameters (|m| = 0.6).
    feed(
      x,
      relaxThenSettle(7, 0, 200),
      (t) => 0.6 * (t % 2 ? 1 : -1),
      () => 1,
    );
    expect(Number.isFinite(x.shown(L).xi.value)).toBe(true);
    x.reset();
    expect(x.shown(L).xi.text).toBe(EQUILIBRATING);
    expect(x.shown(L).xiOverL.text).toBe(EQUILIBRATING);
    const m = Array.from({ length: 400 }, () => 0.2 + 0.05 * r());
    const F = Array.from({ length: 400 }, () => 2 + 0.5 * r());
    const kept = feed(
      x,
      relaxThenSettle(9, 200, 200),
      (t) => m[t],
      (t) => F[t],
    );
    expect(x.shown(L).xi.value).toBeCloseTo(exactXi(kept.m, kept.F), 9);
  });
});
