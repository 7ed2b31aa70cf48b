/**
 * Exact periodic Ising chain of N spins in a field by the 2×2 transfer matrix
 * T_{ss'} = exp(K s s' + H (s + s')/2), K = βJ, H = βh, with eigenvalues
 *   λ± = e^K [cosh H ± √(sinh² H + e^{−4K})],  λ₊λ₋ = 2 sinh 2K,
 * and Z = Tr T^N = λ₊^N + λ₋^N. E = −J Σ_i s_i s_{i+1 mod N} − h Σ s_i, so
 * N = 2 counts its single pair twice and N = 1 bonds the spin to itself,
 * matching the torus convention of the rest of src/physics.
 *
 * λ₋ is negative for J < 0. Z is assembled as λ₊^N (1 + s e^{−Nδ}) with
 * δ = ln(λ₊/|λ₋|) > 0 and s = sign(λ₋)^N, everything in logs, so signs and
 * overflow are both handled; δ has its own closed form so that the frustrated
 * case (J < 0, N odd, λ₋ ≈ −λ₊ at low T) does not cancel. Derivatives with
 * respect to β (energy, specific heat) and h (magnetisation) are analytic.
 * For J < 0, |J|/T must be <= 300 (beyond, e^{2K} underflows); J >= 0 and h are unrestricted.
 */
import { type FiniteThermodynamics, freeEnergyFields } from './thermodynamics.ts';
import { requireFinite, requireInteger, requireTemperature } from './validate.ts';
import { checkParameter } from '../params/errors.ts';

/** Exact thermodynamics of the periodic chain; per-site except `lnZ`. */
export interface ChainResult extends FiniteThermodynamics {
  /** Mean magnetisation per site ⟨M⟩/N. */
  m: number;
}

/**
 * Exact ln Z, f, e, c and m per site of the periodic N-spin chain at
 * temperature T, coupling J (any sign) and field h.
 */
export function chainExact(N: number, T: number, J = 1, h = 0): ChainResult {
  requireInteger(N, 'N', 1);
  requireTemperature(T);
  requireFinite(J, 'J');
  requireFinite(h, 'h');
  const beta = 1 / T;
  const K = beta * J;
  const H = beta * h;
  checkParameter(K >= -300, 'T', `must be at least |J|/300 for the chain with J < 0, got T = ${T} with J = ${J}`);

  // Scale every quantity by e^{−σ} so cosh H and e^{−2K} never overflow; only ratios are used.
  const sigma = Math.max(Math.abs(H), -2 * K, 0);
  const ep = Math.exp(H - sigma);
  const em = Math.exp(-H - sigma);
  const ch = 0.5 * (ep + em); // cosh H · e^{−σ}
  const sh = 0.5 * (ep - em); // sinh H · e^{−σ}
  const q = Math.exp(-2 * K - sigma); // e^{−2K} · e^{−σ}
  const R = Math.hypot(sh, q); // hypot: no underflow of q² at low T
  const D = ch + R; // λ₊ e^{−K−σ}
  // β-derivatives of the unscaled R and D, times e^{−σ} (σ is held fixed): R R' = h sinh H cosh H − 2J e^{−4K}.
  const R1 = R > 0 ? (h * sh * ch - 2 * J * q * q) / R : 0;
  const R2 = R > 0 ? (h * h * (ch * ch + sh * sh) + 8 * J * J * q * q - R1 * R1) / R : 0;
  const D1 = h * sh + R1;
  const D2 = h * h * ch + R2;

  // ℓ₊ = ln λ₊ and its β-derivatives.
  const lp = K + sigma + Math.log(D);
  const lp1 = J + D1 / D;
  const lp2 = D2 / D - (D1 / D) * (D1 / D);
  if (J === 0) {
    // λ₋ = 0: free spins, Z = λ₊^N.
    return finish(N, T, N * lp, lp1, lp2, R > 0 ? sh / R : 0);
  }
  // δ = ln(λ₊/|λ₋|) = ln(1 + x) with x = 2P(cosh H + R)/|1 − e^{−4K}| and P = R (K > 0) or
  // cosh H (K < 0). Taking δ from x, rather than as ln λ₊ − ln|λ₋|, keeps it accurate
  // when λ₋ ≈ −λ₊ (frustrated odd antiferromagnetic ring at low T), where 1 + (λ₋/λ₊)^N cancels.
  const [P, P1, P2] = K > 0 ? [R, R1, R2] : [ch, h * sh, h * h * ch];
  const y = -4 * K;
  const lnAbsExpm1 = y > 0 ? y + Math.log(-Math.expm1(-y)) : Math.log(-Math.expm1(y));
  const lx = Math.LN2 + Math.log(P) + Math.log(D) + 2 * sigma - lnAbsExpm1;
  let delta = 0;
  let delta1 = 0;
  let delta2 = 0;
  if (lx > -Infinity) {
    const lx1 = P1 / P + D1 / D - (4 * J) / Math.expm1(4 * K);
    const lx2 =
      P2 / P -
      (P1 / P) * (P1 / P) +
      D2 / D -
      (D1 / D) * (D1 / D) +
      (16 * J * J) / (Math.expm1(4 * K) * -Math.expm1(-4 * K));
    delta = lx > 0 ? lx + Math.log1p(Math.exp(-lx)) : Math.log1p(Math.exp(lx));
    const sig = 1 / (1 + Math.exp(-lx)); // dδ/d(lx)
    delta1 = sig * lx1;
    delta2 = sig * lx2 + sig * (1 - sig) * lx1 * lx1;
  }
  // ln Z = N ℓ₊ + ln(1 + s e^{−Nδ}), s = sign(λ₋)^N = −1 only for J < 0 and N odd.
  const negative = J < 0 && N % 2 === 1;
  const u = Math.exp(-N * delta);
  const onePlus = negative ? -Math.expm1(-N * delta) : 1 + u;
  const wp = 1 / onePlus; // λ₊^N / Z
  const wm = ((negative ? -1 : 1) * u) / onePlus; // λ₋^N / Z
  const lnZ = N * lp + Math.log(onePlus);
  // With g(δ) = ln(1 + s e^{−Nδ}): g' = −N w₋, g'' = N² w₊ w₋ (chain rule through δ(β)).
  const dLnZ = N * lp1 - N * wm * delta1;
  // (N w₊ δ')(N w₋ δ') rather than N² w₊ w₋ δ'²: w₊ w₋ alone can overflow when δ ~ e^{2K}.
  const d2LnZ = N * lp2 + N * wp * delta1 * (N * wm * delta1) - N * wm * delta2;
  // ∂ℓ₊/∂h = β sinh H / R and ∂ℓ₋/∂h = −∂ℓ₊/∂h, so ⟨M⟩/N = (w₊ − w₋) sinh H / R.
  return finish(N, T, lnZ, dLnZ / N, d2LnZ / N, (wp - wm) * (R > 0 ? sh / R : 0));
}

/** Assemble the per-site results from ln Z, (1/N) d ln Z/dβ, (1/N) d² ln Z/dβ² and m. */
function finish(N: number, T: number, lnZ: number, dPerSite: number, d2PerSite: number, m: number): ChainResult {
  return {
    ...freeEnergyFields(lnZ, N, T),
    e: -dPerSite,
    c: d2PerSite / (T * T),
    m,
  };
}
