/** The lattice page's starting size from a probe (src/app/pages/lattice/size-probe.ts). */
import { describe, expect, it } from 'vitest';
import { PROBE_L, startingSize, sweepMs, tooSlow } from '../src/app/pages/lattice/size-probe.ts';

describe('size probe', () => {
  it('scales the probe sweep by the number of sites', () => {
    expect(sweepMs(2, PROBE_L)).toBe(2);
    expect(sweepMs(2, 2 * PROBE_L)).toBe(8);
    expect(sweepMs(2, 4096)).toBe(512);
  });

  it('starts a real GPU at 1024², a slow adapter at 512² or 256²', () => {
    expect(startingSize(0.05)).toBe(1024); // 0.8 ms per 1024² sweep
    expect(startingSize(0.25)).toBe(1024); // exactly the 4 ms budget
    expect(startingSize(0.5)).toBe(512);
    expect(startingSize(3)).toBe(256);
    expect(startingSize(40)).toBe(256); // never below the probe's own size
  });

  it('marks the sizes whose one sweep holds a frame below 5 fps', () => {
    expect(tooSlow(3, 1024)).toBe(false); // 48 ms
    expect(tooSlow(3, 4096)).toBe(true); // 768 ms
    expect(tooSlow(0.05, 4096)).toBe(false);
  });
});
