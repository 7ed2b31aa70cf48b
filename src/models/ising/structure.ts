/**
 * The structure factor at the smallest nonzero wavevectors, from integer line sums. With c_x the
 * sum of column x and r_y the sum of row y (Σ s over the line),
 *   S(2π/Lx, 0) = |Σ_x c_x e^{2πix/Lx}|² / N,   S(0, 2π/Ly) = |Σ_y r_y e^{2πiy/Ly}|² / N,
 * and F is their average (the input of the second-moment correlation length). Both backends reduce
 * the same integer sums and call this one function, so F is the same double on either.
 */

/** F = (S(2π/Lx, 0) + S(0, 2π/Ly)) / 2 of one lattice from its column sums (Lx) and row sums (Ly). */
export function lowestModeStructureFactor(cols: ArrayLike<number>, rows: ArrayLike<number>): number {
  const mode = (sums: ArrayLike<number>): number => {
    let re = 0;
    let im = 0;
    const n = sums.length;
    for (let j = 0; j < n; j++) {
      const phase = (2 * Math.PI * j) / n;
      re += sums[j] * Math.cos(phase);
      im += sums[j] * Math.sin(phase);
    }
    return re * re + im * im;
  };
  const N = cols.length * rows.length;
  return (mode(cols) + mode(rows)) / (2 * N);
}
