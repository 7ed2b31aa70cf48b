/**
 * ±J couplings on the Lx × Ly torus (the Edwards–Anderson model when a fraction p of the bonds is
 * antiferromagnetic): per site, the right bond (x, y)–(x+1, y) and the down bond (x, y)–(x, y+1),
 * row-major, each ±1. With couplings the Hamiltonian is H = −J Σ J_ij s_i s_j, and samplers report
 * the bond sum Σ J_ij s_i s_j, so energies stay integers times J.
 *
 * Seeded couplings: bond b = 2·(y·Lx + x) + d (d = 0 right, 1 down) of disorder sample `sample`
 * takes word b & 3 of Philox(counter = (b >> 2, sample, 0, COUPLINGS << 24), key = seed); it is
 * antiferromagnetic iff that word < probabilityThreshold(p) (all bonds when p = 1).
 */

import { readRegularFile } from '../../io/files.ts';
import { ParameterError, checkParameter } from '../../params/errors.ts';
import { probabilityThreshold } from '../../params/thresholds.ts';
import { STREAMS, randomWords, seedKey } from '../../rng/streams.ts';

/** One disorder sample: J_ij = ±1 for the right and down bond of each site (index y·Lx + x). */
export interface Couplings {
  Lx: number;
  Ly: number;
  right: Int8Array;
  down: Int8Array;
}

/** Largest coupling file read (4 bytes a value is plenty for a 1024² lattice). */
const MAX_COUPLING_FILE_BYTES = 64 << 20;

/** The couplings of disorder sample `sample` from `seed` with a fraction p of antiferromagnetic bonds. */
export function seededCouplings(Lx: number, Ly: number, p: number, seed: number, sample: number): Couplings {
  checkParameter(p >= 0 && p <= 1, 'p', `must be in [0, 1], got ${p}`);
  checkParameter(Number.isInteger(sample) && sample >= 0 && sample < 2 ** 32, 'sample', `must be a u32, got ${sample}`);
  const N = Lx * Ly;
  const t = probabilityThreshold(p);
  const key = seedKey(seed);
  const right = new Int8Array(N);
  const down = new Int8Array(N);
  const w = new Uint32Array(4);
  for (let g = 0; g < Math.ceil((2 * N) / 4); g++) {
    randomWords(key, sample, 0, 0, g, STREAMS.COUPLINGS, w);
    for (let k = 0; k < 4 && 4 * g + k < 2 * N; k++) {
      const b = 4 * g + k;
      const J = p === 1 || w[k] < t ? -1 : 1;
      if (b & 1) down[b >> 1] = J;
      else right[b >> 1] = J;
    }
  }
  return { Lx, Ly, right, down };
}

/**
 * The seed of the Monte Carlo run of a disorder study: two words of Philox(counter = (0, 0, 0,
 * COUPLINGS << 24 | 1 << 16), key = seed) (phase 1 of the couplings' stream, which the couplings
 * never use), 52 bits. Every shard of a disorder average runs with it: a shard whose samples start
 * at s numbers its replicas from the index they have in the whole batch (IsingConfig.replicaBase),
 * so it runs exactly what the unsharded run runs for those samples.
 */
export function disorderRunSeed(seed: number): number {
  const w = randomWords(seedKey(seed), 0, 0, 1, 0, STREAMS.COUPLINGS);
  return w[0] + (w[1] & 0xfffff) * 2 ** 32;
}

/** All-ferromagnetic couplings (p = 0). */
export const ferromagneticCouplings = (Lx: number, Ly: number): Couplings => ({
  Lx,
  Ly,
  right: new Int8Array(Lx * Ly).fill(1),
  down: new Int8Array(Lx * Ly).fill(1),
});

/**
 * Per site, the antiferromagnetic bits of its bonds (bit 0: right, bit 1: down), the layout the
 * kernels read: up-neighbour counts become counts of neighbours with J_ij s_j = +1.
 */
export function antiferroBits(c: Couplings): Uint8Array {
  return Uint8Array.from(c.right, (J, i) => (J < 0 ? 1 : 0) | (c.down[i] < 0 ? 2 : 0));
}

/** Throws ParameterError (parameter `what`) unless c is a valid coupling set of an Lx × Ly lattice. */
export function checkCouplings(c: Couplings, Lx: number, Ly: number, what = 'couplings'): void {
  if (c.Lx !== Lx || c.Ly !== Ly)
    throw new ParameterError(what, `${what} are for a ${c.Lx}x${c.Ly} lattice, the sampler's is ${Lx}x${Ly}`);
  for (const [name, a] of [
    ['right', c.right],
    ['down', c.down],
  ] as const) {
    if (a.length !== Lx * Ly)
      throw new ParameterError(what, `${what}: '${name}' must have Lx*Ly = ${Lx * Ly} values, got ${a.length}`);
    const i = a.findIndex((J) => J !== 1 && J !== -1);
    if (i >= 0) throw new ParameterError(what, `${what}: '${name}'[${i}] must be 1 or -1, got ${a[i]}`);
  }
}

/** The JSON of a coupling file: {"Lx", "Ly", "right": [...], "down": [...]}. */
export function couplingsJson(c: Couplings): string {
  return `${JSON.stringify({ Lx: c.Lx, Ly: c.Ly, right: Array.from(c.right), down: Array.from(c.down) })}\n`;
}

/** Parse a coupling file's text; errors name the file and the field (ParameterError on `flag`). */
export function parseCouplings(text: string, file: string, flag = 'couplings'): Couplings {
  const bad = (m: string) => new ParameterError(flag, `--${flag} ${file}: ${m}`);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw bad(`not JSON (${(e as Error).message})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw bad('must be a JSON object {"Lx", "Ly", "right", "down"}');
  const o = v as Record<string, unknown>;
  for (const f of ['Lx', 'Ly'] as const) {
    const n = o[f];
    if (!(typeof n === 'number' && Number.isInteger(n) && n >= 2 && n <= 65536))
      throw bad(`field '${f}' must be an integer in [2, 65536], got ${JSON.stringify(n)}`);
  }
  const Lx = o.Lx as number;
  const Ly = o.Ly as number;
  const arrays = (['right', 'down'] as const).map((f) => {
    const a = o[f];
    if (!Array.isArray(a)) throw bad(`field '${f}' must be an array of Lx*Ly = ${Lx * Ly} values 1 or -1`);
    if (a.length !== Lx * Ly) throw bad(`field '${f}' must have Lx*Ly = ${Lx * Ly} values, got ${a.length}`);
    const i = a.findIndex((J) => J !== 1 && J !== -1);
    if (i >= 0) throw bad(`field '${f}'[${i}] must be 1 or -1, got ${JSON.stringify(a[i])}`);
    return Int8Array.from(a as number[]);
  });
  return { Lx, Ly, right: arrays[0], down: arrays[1] };
}

/** Read and check a coupling file (regular file, size cap); errors name the flag and the file. */
export function readCouplingsFile(file: string, flag = 'couplings'): Couplings {
  let text: string;
  try {
    text = readRegularFile(file, MAX_COUPLING_FILE_BYTES);
  } catch (e) {
    throw new ParameterError(flag, `--${flag} ${file}: cannot be read (${(e as Error).message})`);
  }
  return parseCouplings(text, file, flag);
}
