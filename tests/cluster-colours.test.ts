/** The colour of a cluster label: the WGSL the renderer runs against the TypeScript the CPU fallback runs. */
import { describe, expect, it } from 'vitest';
import { CLUSTER_PALETTE, clusterColourWgsl, clusterHash, clusterRgb } from '../src/render/cluster-colours.ts';
import { gpuGenerator } from './helpers/gpu-generator.ts';

/** Labels 0 … 4095 (small lattices), then spread up to the largest u32. */
const LABELS = Uint32Array.from({ length: 8192 }, (_, i) =>
  i < 4096 ? i : Math.floor(((i - 4096) * 0xffffffff) / 4095),
);

describe('cluster colours', () => {
  it('the generated WGSL gives the hash and colour of the TypeScript for every label (SwiftShader)', async () => {
    const out = await gpuGenerator([], 'vec4u(cluster_hash(w(0)), cluster_rgb(w(0)), 0u, 0u)', 1, LABELS, {}, [
      clusterColourWgsl(),
    ]);
    const mismatches: string[] = [];
    for (let i = 0; i < LABELS.length; i++) {
      const label = LABELS[i];
      const want = [clusterHash(label), clusterRgb(label)];
      const got = [out[4 * i], out[4 * i + 1]];
      if (got[0] !== want[0] || got[1] !== want[1]) mismatches.push(`${label}: GPU ${got}, TS ${want}`);
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('has 256 distinct colours, none near black or white', () => {
    expect(new Set(CLUSTER_PALETTE).size).toBe(256);
    for (const c of CLUSTER_PALETTE) {
      const rgb = [c >> 16, (c >> 8) & 255, c & 255];
      expect(Math.max(...rgb), c.toString(16)).toBeGreaterThan(40);
      expect(Math.min(...rgb), c.toString(16)).toBeLessThan(230);
    }
  });

  it('distinct small labels share a colour no more often than random picks from the palette would', () => {
    // For independent uniform picks among 256 colours a pair collides with p = 1/256; bounds are 4σ of binomial counts.
    const p = 1 / 256;
    const bound = (n: number): number => n * p + 4 * Math.sqrt(n * p * (1 - p));
    const colours = Array.from({ length: 1024 }, (_, l) => clusterRgb(l));
    let pairs = 0;
    for (let a = 0; a < colours.length; a++)
      for (let b = a + 1; b < colours.length; b++) if (colours[a] === colours[b]) pairs++;
    const all = (1024 * 1023) / 2;
    // Neighbouring labels (clusters next to each other in a row) in particular.
    let adjacent = 0;
    for (let l = 0; l < 4095; l++) if (clusterRgb(l) === clusterRgb(l + 1)) adjacent++;
    console.log(
      `label pairs sharing a colour: ${pairs} of ${all} (random: ${(all * p).toFixed(0)}), consecutive: ${adjacent} of 4095`,
    );
    expect(pairs).toBeLessThan(bound(all));
    expect(adjacent).toBeLessThan(bound(4095));
  });
});
