/**
 * The lattice page's experiments (src/app/pages/lattice/experiments.ts): the heating schedule and
 * its plateau means, the field cycle, the domain size of a quench, and the #exp= URL parameter.
 */
import { describe, expect, it } from 'vitest';
import {
  CYCLE,
  cycleField,
  domainLength,
  HEAT,
  HEAT_STEPS,
  heatTemperature,
  PlateauMeans,
} from '../src/app/pages/lattice/experiments.ts';
import { formatHash, parseHash } from '../src/app/pages/lattice/params.ts';

describe('heating schedule', () => {
  it('holds each temperature for one plateau, from T0 to T1 in steps of dT, then stays', () => {
    expect(HEAT_STEPS).toBe(21);
    expect(heatTemperature(0)).toBe(1.5);
    expect(heatTemperature(HEAT.plateau - 1)).toBe(1.5);
    expect(heatTemperature(HEAT.plateau)).toBe(1.6);
    expect(heatTemperature(10 * HEAT.plateau + 7)).toBe(2.5);
    expect(heatTemperature(20 * HEAT.plateau)).toBe(3.5);
    expect(heatTemperature(1e6)).toBe(3.5);
  });

  it("averages each plateau's second half only, per plateau", () => {
    const means = new PlateauMeans();
    // Sweep s (sweeps done) measures the state after sweep index s − 1: plateau 0 is s = 1 … 200.
    for (let s = 1; s <= 2 * HEAT.plateau; s++) means.add(s, s <= HEAT.plateau ? -(s > 100 ? 1 : 9) : -0.5, 0.25);
    const p = means.points();
    expect(p.T).toEqual([1.5, 1.6]);
    expect(p.e).toEqual([-1, -0.5]); // the first 100 (e = −9) are left out
    expect(p.m).toEqual([0.25, 0.25]);
  });
});

describe('field cycle', () => {
  it('is a triangle from +amplitude through −amplitude and back, period CYCLE.period', () => {
    const P = CYCLE.period;
    expect(cycleField(0)).toBe(CYCLE.amplitude);
    expect(cycleField(P / 4)).toBeCloseTo(0, 12);
    expect(cycleField(P / 2)).toBe(-CYCLE.amplitude);
    expect(cycleField((3 * P) / 4)).toBeCloseTo(0, 12);
    expect(cycleField(P)).toBe(CYCLE.amplitude);
    expect(cycleField(P / 8)).toBeCloseTo(CYCLE.amplitude / 2, 12);
  });
});

describe('quench', () => {
  it('domain size is 4 over the energy excess: exact for a checkerboard of ℓ×ℓ squares', () => {
    for (const [L, l] of [
      [64, 8],
      [48, 4],
      [32, 16],
    ]) {
      const s = (x: number, y: number): number =>
        (Math.floor(((x + L) % L) / l) + Math.floor(((y + L) % L) / l)) % 2 ? -1 : 1;
      let bonds = 0;
      for (let y = 0; y < L; y++) for (let x = 0; x < L; x++) bonds += s(x, y) * (s(x + 1, y) + s(x, y + 1));
      expect(domainLength(-bonds / (L * L), -2)).toBe(l);
    }
    expect(domainLength(-2, -2)).toBeNaN();
  });
});

describe('#exp= in the URL hash', () => {
  it('reads and writes the experiment; a bad name is refused naming the parameter', () => {
    const { params, errors } = parseHash('#L=32&exp=heat');
    expect(errors).toEqual([]);
    expect(params.exp).toBe('heat');
    expect(formatHash(params)).toMatch(/&exp=heat$/);
    expect(formatHash({ ...params, exp: undefined })).not.toContain('exp');
    const bad = parseHash('#exp=boil');
    expect(bad.errors.map((e) => e.message)).toEqual([
      'bad URL parameter exp=boil: must be one of quench, critical, heat, hysteresis',
    ]);
  });
});
