/**
 * ln Z by thermodynamic integration from β = 0 (ln Z/N = ln 2): d(ln Z/N)/dβ = −e, so
 *   ln Z/N(β) = ln Z/N(β_0) − ∫_{β_0}^{β} e dβ'.
 * Below the smallest simulated β_0 (a high-temperature tail of the ladder) the high-temperature
 * series of the square lattice is used, ln Z/N = ln 2 + 2 ln cosh βJ + t⁴ + 2t⁶ + O(t⁸), t = tanh βJ,
 * whose truncation is below 1e-7 for β_0·|J| ≤ 0.05. Between ladder points the integral is the
 * corrected trapezoid rule (4th order), using de/dβ = −c/β²:
 *   ∫_a^b e = h/2·(e_a + e_b) + h²/12·(e'_a − e'_b).
 * Errors: with the energy series of each point (per chain, measured at the same sweeps in the
 * tempering chains), the e part is the binned error of the integral's own series Σ_j w_j e_j(t) per
 * chain (the slots of a chain are correlated: one replica visits several), chains independent;
 * without them, and for the small c correction, the points' errors propagated as independent.
 */

import { binningAnalysis, combinedSeries, type Estimate } from '../../analysis/index.ts';

/** ln Z/N of the square-lattice high-temperature series (valid for small β|J|). */
export function highTemperatureLnZ(beta: number, J: number): number {
  const t = Math.tanh(beta * J);
  return Math.LN2 + 2 * Math.log(Math.cosh(beta * J)) + t ** 4 + 2 * t ** 6;
}

/**
 * ln Z/N with error at each β of `betas` (ascending), from e and c measured there.
 * betas[0] must be small (β|J| ≤ 0.05) for the series start to be exact to ~1e-7.
 */
export function lnZByIntegration(
  betas: readonly number[],
  e: readonly Estimate[],
  c: readonly Estimate[],
  J: number,
  /** Energy per site series of each point, per chain ([point][chain][sample]), all of one length. */
  eSeries?: readonly (readonly ArrayLike<number>[])[],
  /** ln Z/N at betas[0] (default: the square-lattice ferromagnet's series, highTemperatureLnZ). */
  start?: number,
): Estimate[] {
  const n = betas.length;
  if (e.length !== n || c.length !== n) throw new RangeError('need e and c at every beta');
  for (let i = 1; i < n; i++) if (!(betas[i] > betas[i - 1])) throw new RangeError('betas must increase');
  const out: Estimate[] = [{ mean: start ?? highTemperatureLnZ(betas[0], J), err: 0 }];
  let value = out[0].mean;
  let variance = 0;
  // Coefficients of each point's e and c in the running sum: accumulate variance exactly.
  const we = new Float64Array(n);
  const wc = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    const h = betas[i] - betas[i - 1];
    const da = -c[i - 1].mean / betas[i - 1] ** 2;
    const db = -c[i].mean / betas[i] ** 2;
    value -= (h / 2) * (e[i - 1].mean + e[i].mean) + ((h * h) / 12) * (da - db);
    we[i - 1] -= h / 2;
    we[i] -= h / 2;
    wc[i - 1] += (h * h) / 12 / betas[i - 1] ** 2;
    wc[i] -= (h * h) / 12 / betas[i] ** 2;
    variance = 0;
    for (let j = 0; j <= i; j++) variance += (wc[j] * c[j].err) ** 2;
    if (eSeries) {
      // Chains independent: Var of the chains' mean = Σ_c Var_c / chains².
      const chains = eSeries[0].length;
      let v = 0;
      for (let ch = 0; ch < chains; ch++) {
        const y = combinedSeries(
          eSeries.slice(0, i + 1).map((perChain) => perChain[ch]),
          we.subarray(0, i + 1),
        );
        v += binningAnalysis(y).err ** 2;
      }
      variance += v / (chains * chains);
    } else {
      for (let j = 0; j <= i; j++) variance += (we[j] * e[j].err) ** 2;
    }
    out.push({ mean: value, err: Math.sqrt(variance) });
  }
  return out;
}
