/**
 * Lattice layout and update classes shared by the GPU kernels and the CPU reference. Spins are
 * stored as 0 (down) / 1 (up), replica-major then row-major: spin (r, x, y) at r·Lx·Ly + y·Lx + x.
 * The class index is defined here once: classIndex for the host, WGSL_CLASS_INDEX (generated into
 * every Ising kernel with the constant CLASS_STRIDE) for the device.
 */

/** Classes per spin value: the number of up neighbours, 0..4. */
export const CLASS_STRIDE = 5;
/** Update classes: spin (0/1) × number of up neighbours (0..4). */
export const N_CLASSES = 2 * CLASS_STRIDE;
/** Threshold-table index of a spin (0/1) with `up` up neighbours. */
export const classIndex = (spin: number, up: number): number => spin * CLASS_STRIDE + up;
/** The WGSL twin of classIndex (assembled into the kernels by isingShaderSource). */
export const WGSL_CLASS_INDEX = 'fn class_index(spin: u32, up: u32) -> u32 { return spin * CLASS_STRIDE + up; }';

/** Init modes of the init kernel. */
export const INIT_MODES = { HOT: 0, COLD: 1 } as const;

/** Site n of colour c (n = y·(Lx/2) + (x >> 1)) → [x, y]. Twin of colour_site() in WGSL. */
export function colourSite(n: number, c: number, Lx: number): [number, number] {
  const hx = Lx >>> 1;
  const y = Math.floor(n / hx);
  return [2 * (n % hx) + ((y + c) & 1), y];
}

/** Number of Philox groups (4 sites each) per colour. */
export const groupsPerColour = (Lx: number, Ly: number): number => Math.ceil((Lx * Ly) / 2 / 4);
