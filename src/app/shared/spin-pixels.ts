/** Spin colours of every page (as the WebGPU lattice renderer's), ±1 values painted into an ImageData, and spins as text. */

/** RGB of a down (−1) and an up (+1) spin. */
export const SPIN_DOWN_RGB = [18, 20, 31] as const;
export const SPIN_UP_RGB = [245, 240, 224] as const;

/** Paints `count` spins from `spins[offset …]` into `image` (row-major, one pixel each). */
export function paintSpins(image: ImageData, spins: ArrayLike<number>, offset = 0, count = spins.length): void {
  const d = image.data;
  for (let i = 0; i < count; i++) {
    const c = spins[offset + i] > 0 ? SPIN_UP_RGB : SPIN_DOWN_RGB;
    d[4 * i] = c[0];
    d[4 * i + 1] = c[1];
    d[4 * i + 2] = c[2];
    d[4 * i + 3] = 255;
  }
}

/** Spins (±1) as base64 of one byte per spin (1: up, 0: down), as the state files hold them. */
export function spinsBase64(spins: ArrayLike<number>): string {
  let bin = '';
  for (let i = 0; i < spins.length; i += 8192) {
    const chunk = Array.from({ length: Math.min(8192, spins.length - i) }, (_, k) => (spins[i + k] > 0 ? 1 : 0));
    bin += String.fromCharCode(...chunk);
  }
  return btoa(bin);
}
