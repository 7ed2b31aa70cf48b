/** Automatic sweeps per frame (src/app/pages/lattice/auto-spf.ts): toward the frame budget, never pinned at 1. */
import { describe, expect, it } from 'vitest';
import { MAX_SPF, nextAutoSpf } from '../src/app/pages/lattice/auto-spf.ts';

/** Runs the rule on a device whose frame costs `overheadMs` plus `msPerSweep` per sweep, vsync at 60 Hz. */
function settle(
  overheadMs: number,
  msPerSweep: number,
  frames = 400,
): { spf: number; fps: number; sweepsPerS: number } {
  let spf = 1;
  let interval = 0;
  for (let i = 0; i < frames; i++) {
    const work = overheadMs + spf * msPerSweep;
    interval = Math.ceil(work / (1000 / 60)) * (1000 / 60); // the display's next frame
    spf = nextAutoSpf(spf, interval, spf * msPerSweep);
  }
  return { spf, fps: 1000 / interval, sweepsPerS: (1000 * spf) / interval };
}

describe('nextAutoSpf', () => {
  it('on a fast device keeps 60 fps with many sweeps per frame', () => {
    const fast = settle(2, 0.05);
    expect(fast.fps).toBeCloseTo(60, 9);
    expect(fast.spf).toBeGreaterThan(100);
  });

  it('on a slow adapter (drawing alone > one 60 Hz frame) raises the sweeps above 1 and keeps ≥ 5 fps', () => {
    // The case: 256² on a software adapter, ~90 ms per frame besides ~10 ms per sweep.
    const slow = settle(90, 10);
    expect(slow.spf).toBeGreaterThan(1);
    expect(slow.fps).toBeGreaterThanOrEqual(5);
    expect(slow.sweepsPerS).toBeGreaterThan(2 * (1000 / 100)); // more than twice the 10 sweeps/s of spf = 1
  });

  it('shrinks when the sweeps alone overrun the frame, within [1, MAX_SPF]', () => {
    expect(nextAutoSpf(100, 400, 390)).toBe(80);
    expect(nextAutoSpf(1, 400, 390)).toBe(1);
    expect(nextAutoSpf(MAX_SPF, 16.7, 0.1)).toBe(MAX_SPF);
  });
});
