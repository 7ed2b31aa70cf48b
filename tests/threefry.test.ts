/**
 * Threefry-4x32 (the generator probe of `ising bench`): TypeScript and WGSL against the known-answer
 * vectors published with Random123 (Salmon et al., SC'11), 13 and 20 rounds.
 */
import { describe, expect, it } from 'vitest';
import { threefry4x32 } from '../src/rng/threefry.ts';
import { THREEFRY_CONSTANTS } from '../src/gpu/microbench.ts';
import { gpuGenerator } from './helpers/gpu-generator.ts';

const ONES = [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff];
const PI_C = [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344];
const PI_K = [0xa4093822, 0x299f31d0, 0x082efa98, 0xec4e6c89];
// [rounds, counter, key, output]
const KAT: [number, number[], number[], number[]][] = [
  [13, [0, 0, 0, 0], [0, 0, 0, 0], [0x531c7e4f, 0x39491ee5, 0x2c855a92, 0x3d6abf9a]],
  [13, ONES, ONES, [0xc4189358, 0x1c9cc83a, 0xd5881c67, 0x6a0a89e0]],
  [13, PI_C, PI_K, [0x4aa71d8f, 0x734738c2, 0x431fc6a8, 0xae6debf1]],
  [20, [0, 0, 0, 0], [0, 0, 0, 0], [0x9c6ca96a, 0xe17eae66, 0xfc10ecd4, 0x5256a7d8]],
  [20, ONES, ONES, [0x2a881696, 0x57012287, 0xf6c7446e, 0xa16a6732]],
];

describe('Threefry-4x32', () => {
  it('TypeScript matches the Random123 known answers (13 and 20 rounds)', () => {
    for (const [rounds, c, k, out] of KAT) expect(Array.from(threefry4x32(c, k, rounds))).toEqual(out);
  });

  it('WGSL (20 rounds) matches the known answers and TypeScript on pseudo-random inputs', async () => {
    const inputs: number[][] = KAT.filter(([r]) => r === 20).map(([, c, k]) => [...c, ...k]);
    for (let i = 0; i < 64; i++)
      inputs.push(Array.from({ length: 8 }, (_, j) => Math.imul(i * 8 + j + 1, 0x9e3779b1) >>> 0));
    const out = await gpuGenerator(
      ['threefry.wgsl'],
      'threefry4x32_20(vec4u(w(0), w(1), w(2), w(3)), vec4u(w(4), w(5), w(6), w(7)))',
      8,
      Uint32Array.from(inputs.flat()),
      THREEFRY_CONSTANTS,
    );
    inputs.forEach((x, i) => {
      expect(Array.from(out.subarray(4 * i, 4 * i + 4)), `input ${i}`).toEqual(
        Array.from(threefry4x32(x.slice(0, 4), x.slice(4))),
      );
    });
  });
});
