/** Dense symmetric positive-definite linear algebra (small n): Cholesky factor, solve, log-determinant. */

/** Lower-triangular Cholesky factor of a symmetric positive-definite n×n matrix (row-major). */
export function cholesky(A: Float64Array, n: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 0)) throw new RangeError('cholesky: matrix is not positive definite');
        L[i * n + i] = Math.sqrt(s);
      } else {
        L[i * n + j] = s / L[j * n + j];
      }
    }
  }
  return L;
}

/** Solve (L Lᵀ) x = b. */
export function choleskySolve(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    let s = x[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * x[k];
    x[i] = s / L[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
    x[i] = s / L[i * n + i];
  }
  return x;
}

/** ln det(L Lᵀ) = 2 Σ ln L_ii. */
export function choleskyLogDet(L: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(L[i * n + i]);
  return 2 * s;
}

/** Cholesky solve of the symmetric n×n system A x = b (row-major); null unless A is positive definite. */
export function choleskySolveOrNull(A: Float64Array, b: Float64Array, n: number): Float64Array | null {
  let L: Float64Array;
  try {
    L = cholesky(A, n);
  } catch {
    return null;
  }
  const x = choleskySolve(L, n, b);
  return x.every(Number.isFinite) ? x : null;
}
