/**
 * Exact second-moment correlation length of a small L × L torus by enumeration of all 2^N
 * states: χ = S(0) = ⟨M²⟩/N, F = ⟨S(2π/L, 0) + S(0, 2π/L)⟩/2 with S(k) = |Σ_j s_j e^{ik·r_j}|²/N,
 * and ξ = sqrt(χ/F − 1)/(2 sin(π/L)) (the estimator of src/analysis/correlation-length.ts,
 * evaluated at the exact averages). Cost ~2^N · N; N ≤ 20.
 */

import { requireFinite, requireTemperature } from './validate.ts';

export interface SecondMomentResult {
  chi: number;
  F: number;
  xi: number;
}

export function enumerateSecondMoment(L: number, T: number, J = 1, h = 0): SecondMomentResult {
  if (!Number.isInteger(L) || L < 2 || L * L > 20)
    throw new RangeError(`L must be an integer with 2 <= L and L^2 <= 20, got ${L}`);
  requireTemperature(T);
  requireFinite(J, 'J');
  requireFinite(h, 'h');
  const N = L * L;
  const beta = 1 / T;
  const shift = beta * (2 * N * Math.abs(J) + N * Math.abs(h)); // ≥ every exponent: no overflow
  const cos = Array.from({ length: L }, (_, j) => Math.cos((2 * Math.PI * j) / L));
  const sin = Array.from({ length: L }, (_, j) => Math.sin((2 * Math.PI * j) / L));
  const s = new Int8Array(N);
  let Z = 0;
  let M2 = 0;
  let F = 0;
  for (let state = 0; state < 2 ** N; state++) {
    for (let j = 0; j < N; j++) s[j] = (state >> j) & 1 ? 1 : -1;
    let bonds = 0;
    let M = 0;
    let xr = 0;
    let xi = 0;
    let yr = 0;
    let yi = 0;
    for (let y = 0; y < L; y++) {
      for (let x = 0; x < L; x++) {
        const v = s[y * L + x];
        bonds += v * (s[y * L + ((x + 1) % L)] + s[((y + 1) % L) * L + x]);
        M += v;
        xr += v * cos[x];
        xi += v * sin[x];
        yr += v * cos[y];
        yi += v * sin[y];
      }
    }
    const w = Math.exp(beta * (J * bonds + h * M) - shift);
    Z += w;
    M2 += w * M * M;
    F += (w * (xr * xr + xi * xi + yr * yr + yi * yi)) / (2 * N);
  }
  const chi = M2 / Z / N;
  F /= Z;
  return { chi, F, xi: Math.sqrt(chi / F - 1) / (2 * Math.sin(Math.PI / L)) };
}

/**
 * The same χ, F and ξ on an L × L torus (L ≤ 10) from the row transfer matrix: with rows as
 * states a (bit x = spin x up) and T[a][b] = e^{β(E(a)/2 + E(b)/2 + J·Σ_x a_x b_x)}, E(a) the
 * row's own bonds and field, Z = Tr T^L and the row-magnetisation correlations
 * C(d) = ⟨R_0 R_d⟩ = Tr(D T^d D T^{L−d})/Z (D = diag of R). Then ⟨M²⟩ = L Σ_d C(d) and, the square
 * torus being symmetric under x ↔ y, F = ⟨S(0, 2π/L)⟩ = (L/N) Σ_d C(d) cos(2πd/L).
 */
export function transferSecondMoment(L: number, T: number, J = 1, h = 0): SecondMomentResult {
  if (!Number.isInteger(L) || L < 2 || L > 10) throw new RangeError(`L must be an integer in [2, 10], got ${L}`);
  requireTemperature(T);
  requireFinite(J, 'J');
  requireFinite(h, 'h');
  const beta = 1 / T;
  const n = 2 ** L;
  const spin = (a: number, x: number): number => ((a >> x) & 1 ? 1 : -1);
  const rowM = Float64Array.from({ length: n }, (_, a) => {
    let m = 0;
    for (let x = 0; x < L; x++) m += spin(a, x);
    return m;
  });
  const rowE = Float64Array.from({ length: n }, (_, a) => {
    let bonds = 0;
    for (let x = 0; x < L; x++) bonds += spin(a, x) * spin(a, (x + 1) % L);
    return J * bonds + h * rowM[a];
  });
  // Scaled by the largest exponent so that T^L stays finite; the scale cancels in every ratio.
  const top = Math.max(...rowE) + L * Math.abs(J);
  const Tm: Float64Array[] = Array.from({ length: n }, (_, a) =>
    Float64Array.from({ length: n }, (_, b) => {
      let inter = 0;
      for (let x = 0; x < L; x++) inter += spin(a, x) * spin(b, x);
      return Math.exp(beta * ((rowE[a] + rowE[b]) / 2 + J * inter - top));
    }),
  );
  const powers = [identity(n)];
  for (let d = 1; d <= L; d++) powers.push(multiply(powers[d - 1], Tm));
  const Z = trace(powers[L]);
  const C = Array.from({ length: L }, (_, d) => {
    // Tr(D T^d D T^{L−d}) = Σ_{a,b} R_a (T^d)[a][b] R_b (T^{L−d})[b][a]
    let s = 0;
    for (let a = 0; a < n; a++)
      for (let b = 0; b < n; b++) s += rowM[a] * powers[d][a][b] * rowM[b] * powers[L - d][b][a];
    return s / Z;
  });
  const N = L * L;
  const chi = (L * C.reduce((acc, c) => acc + c, 0)) / N;
  const F = (L * C.reduce((acc, c, d) => acc + c * Math.cos((2 * Math.PI * d) / L), 0)) / N;
  return { chi, F, xi: Math.sqrt(chi / F - 1) / (2 * Math.sin(Math.PI / L)) };
}

const identity = (n: number): Float64Array[] =>
  Array.from({ length: n }, (_, i) => Float64Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));

function multiply(A: Float64Array[], B: Float64Array[]): Float64Array[] {
  const n = A.length;
  return A.map((row) => {
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const r = row[k];
      if (r === 0) continue;
      const Bk = B[k];
      for (let j = 0; j < n; j++) out[j] += r * Bk[j];
    }
    return out;
  });
}

const trace = (A: Float64Array[]): number => A.reduce((s, row, i) => s + row[i], 0);
