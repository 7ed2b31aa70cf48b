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
