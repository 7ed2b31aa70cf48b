/**
 * The pages' rates (src/app/shared/numbers.ts): flips/ns counts attempted updates, as the kernel
 * benchmark does (sites × sweeps per ns), the acceptance is the accepted share, both shown to
 * 3 significant figures.
 */
import { describe, expect, it } from 'vitest';
import { sig3, updateRates } from '../src/app/shared/numbers.ts';

describe('updateRates', () => {
  it('counts attempted updates per ns, whatever was accepted', () => {
    // 1024² sites × 10 sweeps in 2 ms: 10 485 760 / 2e6 ns.
    const cold = updateRates(1024 * 1024, 10, 0, 0.002);
    expect(cold.flipsPerNs).toBe(5.24288);
    expect(cold.acceptance).toBe(0);
    const hot = updateRates(1024 * 1024, 10, 5_242_880, 0.002);
    expect(hot.flipsPerNs).toBe(cold.flipsPerNs);
    expect(hot.acceptance).toBe(0.5);
  });

  it('is NaN (shown as –) without time or without sweeps', () => {
    expect(updateRates(16, 4, 3, 0).flipsPerNs).toBeNaN();
    expect(updateRates(16, 0, 0, 1).acceptance).toBeNaN();
    expect(sig3(NaN)).toBe('–');
  });
});

describe('sig3', () => {
  it('keeps 3 significant figures', () => {
    expect(sig3(5.24288)).toBe('5.24');
    expect(sig3(0.000366218)).toBe('0.000366');
    expect(sig3(61.04)).toBe('61');
    expect(sig3(1234.5)).toBe('1230');
    expect(sig3(-1.3464)).toBe('-1.35');
    expect(sig3(0)).toBe('0');
    expect(sig3(3.2e-7)).toBe('3.20e-7');
    expect(sig3(2.5e9)).toBe('2.50e+9');
  });
});
