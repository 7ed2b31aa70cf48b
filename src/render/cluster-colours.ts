/**
 * The colour of a cluster label: a small integer hash of the label picks one of 256 palette
 * colours. Written once here: clusterRgb runs it in TypeScript (the CPU fallback's drawing) and
 * clusterColourWgsl emits the same steps and palette as WGSL (the WebGPU renderer), so every
 * path colours a label alike. Labels are canonical (a cluster's smallest site index), so a
 * cluster's colour depends on the cluster only, not on the order its sites were found.
 */

/** One u32 step of the hash: x ^= x >> n, or x *= c (mod 2^32). */
type HashStep = { xorShift: number } | { multiply: number };

/** lowbias32 (C. Wellons, "hash-prospector"): full avalanche, so nearby labels get unrelated colours. */
const HASH_STEPS: readonly HashStep[] = [
  { xorShift: 16 },
  { multiply: 0x7feb352d },
  { xorShift: 15 },
  { multiply: 0x846ca68b },
  { xorShift: 16 },
];

/** The palette index is the hash's top PALETTE_BITS bits. */
const PALETTE_BITS = 8;

/** RGB bytes of HSL (h in turns, s and l in [0, 1]). */
function hslBytes(h: number, s: number, l: number): number {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number): number => {
    const k = (n + 12 * h) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return (f(0) << 16) | (f(8) << 8) | f(4);
}

/** 0xRRGGBB: 64 hues around the wheel × 4 (saturation, lightness) pairs, none near black or white. */
export const CLUSTER_PALETTE: Uint32Array = Uint32Array.from({ length: 1 << PALETTE_BITS }, (_, k) => {
  const shades = [
    [0.85, 0.55],
    [0.7, 0.4],
    [0.9, 0.7],
    [0.6, 0.3],
  ];
  const [s, l] = shades[k >> 6];
  return hslBytes((k & 63) / 64, s, l);
});

/** The u32 hash of a label. */
export function clusterHash(label: number): number {
  let x = label >>> 0;
  for (const step of HASH_STEPS) {
    x = 'xorShift' in step ? (x ^ (x >>> step.xorShift)) >>> 0 : Math.imul(x, step.multiply) >>> 0;
  }
  return x;
}

/** 0xRRGGBB of a label. */
export function clusterRgb(label: number): number {
  return CLUSTER_PALETTE[clusterHash(label) >>> (32 - PALETTE_BITS)];
}

const hex = (v: number): string => `0x${v.toString(16).padStart(8, '0')}u`;

/** WGSL of clusterHash and clusterRgb: `cluster_hash(label: u32) -> u32`, `cluster_rgb(label: u32) -> u32`. */
export function clusterColourWgsl(): string {
  const steps = HASH_STEPS.map((s) => ('xorShift' in s ? `  x ^= x >> ${s.xorShift}u;` : `  x *= ${hex(s.multiply)};`));
  return [
    `const CLUSTER_PALETTE = array<u32, ${CLUSTER_PALETTE.length}>(${Array.from(CLUSTER_PALETTE, hex).join(', ')});`,
    'fn cluster_hash(label: u32) -> u32 {',
    '  var x = label;',
    ...steps,
    '  return x;',
    '}',
    `fn cluster_rgb(label: u32) -> u32 { return CLUSTER_PALETTE[cluster_hash(label) >> ${32 - PALETTE_BITS}u]; }`,
  ].join('\n');
}
