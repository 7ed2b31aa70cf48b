/**
 * The GPU kernel variants of the Ising sweep. The first four take the random word of a site from
 * the same layout-independent mapping (src/rng/streams.ts), so each produces lattices bit-identical
 * to the CPU reference; they differ in how spins are stored, hence in bytes and operations per flip.
 *
 * - checkerboard-u32: one u32 per spin in the natural row-major order; one thread per 4 sites
 *   of a colour (one Philox call). ~12 B of memory traffic per flip (each u32 read as a centre,
 *   read again as a neighbour of the other colour, written once).
 * - packed-u8: colours in separate arrays, 4 spins per u32 (bytes); neighbour counts of 4 sites
 *   from 5 word loads by byte-wise addition. ~3 B per flip.
 * - msc-4bit: as packed-u8 with 8 spins per u32 (nibbles): 2 Philox calls per word. ~1.5 B per flip.
 * - msc-1bit: 32 spins per u32, neighbour counts by bit-sliced full adders. ~0.4 B per flip.
 * With ±J couplings (packCouplings) checkerboard-u32 reads a word of bond bits per site, the packed
 * kernels four lane-aligned words (one per neighbour direction) per spin word.
 * Past ~3 B per flip the Philox arithmetic (four 16-bit multiplies per 32-bit mulhi, 20 per call)
 * is the bound, not memory: see BENCHMARKS.md.
 *
 * Bit-plane kernels (decisions = 'planes', src/rng/planes.ts): a word of 32 spins compares the
 * lanes' uniforms with their thresholds bit-serially and draws only the planes it needs (about 2
 * Philox calls instead of 8). Same decisions rule, another random mapping: they share trajectories
 * with each other and with the CPU reference run with the same kernel, not with the kernels above.
 * - msc-planes: msc-1bit's storage and neighbour logic, one dispatch per colour.
 * - resident: one workgroup per replica holds its lattice in workgroup memory and runs many sweeps
 *   per dispatch (both colours, measurements), for small lattices and tempering.
 */

import type { WgslConstant } from '../../gpu/shaders.ts';
import { colourSite, groupsPerColour } from './layout.ts';
import { ParameterError } from '../../params/errors.ts';
import { PLANE_GROUPS } from '../../rng/planes.ts';
import { STREAMS } from '../../rng/streams.ts';
import { planesMisfit } from './planes/cpu-planes.ts';

export const KERNEL_NAMES = [
  'checkerboard-u32',
  'packed-u8',
  'msc-4bit',
  'msc-1bit',
  'msc-planes',
  'resident',
] as const;
export type KernelName = (typeof KERNEL_NAMES)[number];
/** What --kernel accepts: a kernel, or auto (autoKernel). */
export const KERNEL_CHOICES = [...KERNEL_NAMES, 'auto'] as const;
export type KernelChoice = (typeof KERNEL_CHOICES)[number];

export interface KernelSpec {
  name: KernelName;
  /** Bits of storage per spin. */
  bitsPerSpin: number;
  /**
   * Storage words of one disorder sample's couplings from the antiferromagnetic bits of each site
   * (bit 0 right bond, bit 1 down bond; models/ising/couplings.ts). Kernels without it refuse couplings.
   */
  packCouplings?(afm: Uint8Array, Lx: number, Ly: number): Uint32Array;
  /** Lx must be a multiple of this (and even). */
  lxMultiple: number;
  /** WGSL files after philox.wgsl and ising/lattice.wgsl. */
  files: string[];
  constants: Record<string, WgslConstant>;
  /** u32 words of spin storage for R replicas. */
  spinWords(Lx: number, Ly: number, R: number): number;
  /** Threads per replica of a sweep (and init) dispatch. */
  sweepThreads(Lx: number, Ly: number): number;
  /** Work items per replica of a measurement dispatch. */
  measureItems(Lx: number, Ly: number): number;
  /** Storage words from 0/1 spins in natural order (replica-major, row-major). */
  pack(spins: Uint8Array, Lx: number, Ly: number, R: number): Uint32Array;
  /** 0/1 spins in natural order from storage words. */
  unpack(words: Uint32Array, Lx: number, Ly: number, R: number): Uint8Array;
  /** Modelled memory traffic per spin update (bytes): 3 × bytes per spin. */
  bytesPerFlip: number;
  /** Random-number mapping of the decisions: one word per site (streams.ts) or bit planes (rng/planes.ts). */
  decisions: 'site' | 'planes';
  /** Why Lx×Ly does not suit the kernel beyond lxMultiple (undefined: it does). */
  misfit?: (Lx: number, Ly: number) => string | undefined;
  /** Whole sweeps per dispatch with the lattice in workgroup memory (planes/resident.ts). */
  resident?: boolean;
}

const checkerboardU32: KernelSpec = {
  name: 'checkerboard-u32',
  bitsPerSpin: 32,
  packCouplings: (afm) => Uint32Array.from(afm),
  lxMultiple: 2,
  files: ['ising/checkerboard.wgsl', 'ising/observables.wgsl'],
  constants: {},
  spinWords: (Lx, Ly, R) => Lx * Ly * R,
  sweepThreads: groupsPerColour,
  measureItems: (Lx, Ly) => Lx * Ly,
  pack: (spins) => Uint32Array.from(spins),
  unpack: (words) => Uint8Array.from(words),
  bytesPerFlip: 12,
  decisions: 'site',
};

/** A colour-separated multi-spin kernel with `bits` bits per spin (shaders/ising/packed.wgsl). */
function multiSpin(name: KernelName, bits: 1 | 4 | 8): KernelSpec {
  const spw = 32 / bits;
  const wordsPerRow = (Lx: number): number => Lx / 2 / spw;
  return {
    name,
    bitsPerSpin: bits,
    lxMultiple: 2 * spw,
    files: ['ising/packed.wgsl'],
    constants: { BITS: { u32: bits } },
    spinWords: (Lx, Ly, R) => R * 2 * Ly * wordsPerRow(Lx),
    sweepThreads: (Lx, Ly) => Ly * wordsPerRow(Lx),
    measureItems: (Lx, Ly) => Ly * wordsPerRow(Lx),
    pack(spins, Lx, Ly, R) {
      const words = new Uint32Array(this.spinWords(Lx, Ly, R));
      const half = (Lx * Ly) / 2;
      for (let r = 0; r < R; r++) {
        for (let c = 0; c < 2; c++) {
          for (let n = 0; n < half; n++) {
            const [x, y] = colourSite(n, c, Lx);
            // n = y·Lx/2 + j, and lane j of colour c lives in word (r·2 + c)·Ly·wpr + n / spw.
            if (spins[(r * Ly + y) * Lx + x])
              words[((r * 2 + c) * half) / spw + Math.floor(n / spw)] |= 1 << ((n % spw) * bits);
          }
        }
      }
      return words;
    },
    packCouplings(afm, Lx, Ly) {
      // Per colour c, direction d (same, side, up, down neighbour as in packed.wgsl), row y, word:
      // the lane bit of site j = SPW·k + i is the antiferromagnetic bit of that bond.
      const wpr = wordsPerRow(Lx);
      const words = new Uint32Array(2 * 4 * Ly * wpr);
      const bit = (x: number, y: number, b: number) => (afm[((y + Ly) % Ly) * Lx + ((x + Lx) % Lx)] >> b) & 1;
      for (let c = 0; c < 2; c++) {
        for (let y = 0; y < Ly; y++) {
          for (let j = 0; j < Lx / 2; j++) {
            const p = (y + c) & 1;
            const x = 2 * j + p;
            const right = bit(x, y, 0);
            const left = bit(x - 1, y, 0);
            const dirs = [p === 0 ? right : left, p === 0 ? left : right, bit(x, y - 1, 1), bit(x, y, 1)];
            dirs.forEach((a, d) => {
              words[((c * 4 + d) * Ly + y) * wpr + Math.floor(j / spw)] |= a << ((j % spw) * bits);
            });
          }
        }
      }
      return words;
    },
    unpack(words, Lx, Ly, R) {
      const spins = new Uint8Array(R * Lx * Ly);
      const half = (Lx * Ly) / 2;
      for (let r = 0; r < R; r++) {
        for (let c = 0; c < 2; c++) {
          for (let n = 0; n < half; n++) {
            const [x, y] = colourSite(n, c, Lx);
            spins[(r * Ly + y) * Lx + x] =
              (words[((r * 2 + c) * half) / spw + Math.floor(n / spw)] >>> ((n % spw) * bits)) & 1;
          }
        }
      }
      return spins;
    },
    bytesPerFlip: (3 * bits) / 8,
    decisions: 'site',
  };
}

/**
 * Words per thread of msc-planes: each workgroup's fixed cost (the flip-count barrier, which a
 * software adapter runs as a coroutine switch per invocation) spread over 8 words; the random
 * words are keyed by word, not thread, so this changes no trajectory.
 */
export const PLANES_WORDS_PER_THREAD = 8;

/** A kernel on msc-1bit's storage with bit-plane decisions (shaders/ising/planes.wgsl + `file`). */
function planes(name: KernelName, file: string, resident: boolean): KernelSpec {
  const wordsPerThread = resident ? 1 : PLANES_WORDS_PER_THREAD;
  const words = (Lx: number, Ly: number): number => (Lx * Ly) / 64;
  return {
    ...multiSpin(name, 1),
    lxMultiple: 2,
    files: ['ising/planes.wgsl', file],
    constants: {
      PLANE_GROUPS: { u32: PLANE_GROUPS },
      STREAM_ISING_PLANES: { u32: STREAMS.ISING_PLANES },
      WORDS_PER_THREAD: { u32: wordsPerThread },
    },
    sweepThreads: (Lx, Ly) => Math.ceil(words(Lx, Ly) / wordsPerThread),
    measureItems: words,
    decisions: 'planes',
    misfit: planesMisfit,
    resident,
    // Its shaders count neighbours without bond bits: a sampler with ±J couplings refuses it.
    packCouplings: undefined,
  };
}

export const KERNELS: Record<KernelName, KernelSpec> = {
  'checkerboard-u32': checkerboardU32,
  'packed-u8': multiSpin('packed-u8', 8),
  'msc-4bit': multiSpin('msc-4bit', 4),
  'msc-1bit': multiSpin('msc-1bit', 1),
  'msc-planes': planes('msc-planes', 'ising/planes-global.wgsl', false),
  resident: planes('resident', 'ising/resident.wgsl', true),
};

/** Most sites of a lattice that auto gives to the resident kernel (one workgroup per replica). */
export const AUTO_RESIDENT_SITES = 128 * 128;

/**
 * --kernel auto: the fastest kernel for an Lx×Ly lattice. The bit-plane kernels when the lattice
 * suits them (resident up to AUTO_RESIDENT_SITES sites when `residentFits`, else msc-planes), else
 * the densest per-site packing that suits Lx. Which random mapping it implies depends on Lx and Ly
 * only, so the CPU reference with auto follows the same trajectory as the GPU on every device.
 */
export function autoKernel(Lx: number, Ly: number, residentFits = false): KernelName {
  if (!planesMisfit(Lx, Ly)) return residentFits && Lx * Ly <= AUTO_RESIDENT_SITES ? 'resident' : 'msc-planes';
  return sitePackedKernel(Lx);
}

/** The densest kernel with one random word per site whose packing suits Lx (checkerboard-u32 at worst). */
export function sitePackedKernel(Lx: number): KernelName {
  const sitePacked: KernelName[] = ['msc-1bit', 'msc-4bit', 'packed-u8'];
  return sitePacked.find((k) => Lx % KERNELS[k].lxMultiple === 0) ?? 'checkerboard-u32';
}

/** The kernel of a name; throws ParameterError listing the names. */
export function kernelByName(name: string): KernelSpec {
  const k = KERNELS[name as KernelName];
  if (!k) throw new ParameterError('kernel', `kernel must be one of ${KERNEL_NAMES.join(', ')}, got '${name}'`);
  return k;
}

/** Throws ParameterError when Lx (and Ly, when given) do not suit the kernel's packing. */
export function checkKernelFits(kernel: KernelSpec, Lx: number, Ly?: number): void {
  if (Lx % kernel.lxMultiple !== 0) {
    throw new ParameterError(
      'Lx',
      `Lx must be a multiple of ${kernel.lxMultiple} for kernel ${kernel.name} (a word never straddles two rows), got ${Lx}`,
    );
  }
  const misfit = kernel.misfit?.(Lx, Ly ?? Lx);
  if (misfit) throw new ParameterError('Lx', `${misfit}, for kernel ${kernel.name}`);
}
