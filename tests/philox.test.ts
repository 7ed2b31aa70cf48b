import { describe, expect, it } from 'vitest';
import { philox4x32, mulhi32 } from '../src/rng/philox.ts';
import { randomWords, seedKey, STREAMS } from '../src/rng/streams.ts';
import { gpuGenerator } from './helpers/gpu-generator.ts';

// Known-answer vectors for Philox4x32-10 published with the Random123 library (Salmon, Moraes,
// Dror & Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC'11): counter, key → output.
const KAT: [number[], number[], number[]][] = [
  [
    [0, 0, 0, 0],
    [0, 0],
    [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8],
  ],
  [
    [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
    [0xffffffff, 0xffffffff],
    [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd],
  ],
  [
    [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
    [0xa4093822, 0x299f31d0],
    [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1],
  ],
];

/** Run philox4x32_10 of shaders/philox.wgsl on the GPU for n (counter, key) inputs. */
const gpuPhilox = (inputs: Uint32Array): Promise<Uint32Array> =>
  gpuGenerator(['philox.wgsl'], 'philox4x32_10(vec4u(w(0), w(1), w(2), w(3)), vec2u(w(4), w(5)))', 6, inputs);

describe('Philox4x32-10', () => {
  it('TypeScript matches the Random123 known answers', () => {
    for (const [c, k, want] of KAT) {
      expect([...philox4x32(c[0], c[1], c[2], c[3], k[0], k[1])]).toEqual(want);
    }
  });

  it('mulhi32 matches BigInt arithmetic', () => {
    let x = 0x12345678;
    for (let i = 0; i < 2000; i++) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      const y = (Math.imul(x, 22695477) + 1) >>> 0;
      expect(mulhi32(x, y)).toBe(Number((BigInt(x) * BigInt(y)) >> 32n));
    }
    expect(mulhi32(0xffffffff, 0xffffffff)).toBe(0xfffffffe);
  });

  it('WGSL matches the Random123 known answers', async () => {
    const out = await gpuPhilox(Uint32Array.from(KAT.flatMap(([c, k]) => [...c, ...k])));
    KAT.forEach(([, , want], i) => {
      expect([...out.subarray(4 * i, 4 * i + 4)]).toEqual(want);
    });
  });

  it('WGSL equals TypeScript on 4096 pseudo-random inputs', async () => {
    const n = 4096;
    const inputs = new Uint32Array(6 * n);
    let x = 1;
    for (let i = 0; i < inputs.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      inputs[i] = x >>> 0;
    }
    const gpu = await gpuPhilox(inputs);
    const cpu = new Uint32Array(4 * n);
    for (let i = 0; i < n; i++) {
      const b = 6 * i;
      cpu.set(philox4x32(inputs[b], inputs[b + 1], inputs[b + 2], inputs[b + 3], inputs[b + 4], inputs[b + 5]), 4 * i);
    }
    expect(gpu).toEqual(cpu);
  });

  it('documented counter layout: streams, phases, sweeps and seeds give distinct words', () => {
    const key = seedKey(2 ** 40 + 7);
    expect(key).toEqual([7, 256]);
    const w = (...a: [number, number, number, number, number]) => [...randomWords(key, ...a)];
    const base = w(3, 5, 1, 9, STREAMS.ISING_UPDATE);
    expect(w(3, 5, 0, 9, STREAMS.ISING_UPDATE)).not.toEqual(base);
    expect(w(3, 5, 1, 9, STREAMS.ISING_INIT)).not.toEqual(base);
    expect(w(3, 5 + 2 ** 32, 1, 9, STREAMS.ISING_UPDATE)).not.toEqual(base);
    // counter = (group, replica, sweep_lo, stream<<24 | phase<<16 | sweep_hi)
    expect(w(3, 5 + 2 ** 32, 1, 9, STREAMS.ISING_INIT)).toEqual([
      ...philox4x32(9, 3, 5, (1 << 24) | (1 << 16) | 1, 7, 256),
    ]);
    expect(() => seedKey(-1)).toThrow(/seed/);
    expect(() => seedKey(1.5)).toThrow(/seed/);
  });
});
