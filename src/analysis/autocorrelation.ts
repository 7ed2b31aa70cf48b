/**
 * Autocorrelation functions and integrated autocorrelation times of Monte
 * Carlo time series, computed with a zero-padded radix-2 FFT (O(n log n)).
 *
 * Conventions: Γ(t) = Σ_i (x_i − x̄)(x_{i+t} − x̄) / (n − t), ρ(t) = Γ(t)/Γ(0),
 * τ_int = 1/2 + Σ_{t≥1} ρ(t), so τ_int = 1/2 for uncorrelated data and the
 * squared error of the mean is ≈ 2 τ_int · var / n.
 */
import { fft, nextPowerOfTwo } from '../math/fft.ts';

/** Result of Sokal's automatic-windowing estimate of τ_int. */
export interface AutocorrelationTime {
  /** τ_int(W) = 1/2 + Σ_{t=1}^{W} ρ(t) (1/2 for uncorrelated data). */
  tau: number;
  /** The window W: the smallest W ≥ 1 with W ≥ c·τ_int(W). */
  window: number;
  /** Statistical error of τ (Madras–Sokal): τ·√(2(2W+1)/n). */
  err: number;
  /** False when no window satisfied W ≥ c·τ_int(W) before the lags ran out (series too short). */
  converged: boolean;
}

// Below this many multiply-adds the direct sum is cheaper than the FFT (and exact).
const DIRECT_WORK_LIMIT = 1 << 16;

function meanOf(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/**
 * Raw lag sums S(t) = Σ_i (x_i − μ)(x_{i+t} − μ), t = 0..maxLag, for every series.
 * Two real series share one complex FFT (x in the real part, y in the imaginary
 * part), which halves the transform cost for replicas / several observables.
 */
function lagSums(series: ArrayLike<number>[], means: number[], maxLag: number): Float64Array[] {
  const out: Float64Array[] = new Array(series.length);
  let maxLen = 0;
  for (const s of series) maxLen = Math.max(maxLen, s.length);

  if (maxLen * (maxLag + 1) <= DIRECT_WORK_LIMIT) {
    for (let s = 0; s < series.length; s++) {
      const x = series[s];
      const mu = means[s];
      const n = x.length;
      const d = new Float64Array(n);
      for (let i = 0; i < n; i++) d[i] = x[i] - mu;
      const sums = new Float64Array(maxLag + 1);
      for (let t = 0; t <= maxLag && t < n; t++) {
        let acc = 0;
        for (let i = 0; i + t < n; i++) acc += d[i] * d[i + t];
        sums[t] = acc;
      }
      out[s] = sums;
    }
    return out;
  }

  // Padding to ≥ n + maxLag keeps circular wrap-around out of lags 0..maxLag.
  const size = nextPowerOfTwo(maxLen + maxLag);
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  for (let s = 0; s < series.length; s += 2) {
    const x = series[s];
    const y = s + 1 < series.length ? series[s + 1] : null;
    re.fill(0);
    im.fill(0);
    const mx = means[s];
    for (let i = 0; i < x.length; i++) re[i] = x[i] - mx;
    if (y) {
      const my = means[s + 1];
      for (let i = 0; i < y.length; i++) im[i] = y[i] - my;
    }
    fft(re, im);
    if (y) {
      // Z = X + iY with X, Y the spectra of the two real inputs:
      // X_k = (Z_k + Z*_{-k})/2, Y_k = (Z_k − Z*_{-k})/(2i). Put |X|² in the real
      // and |Y|² in the imaginary part; both are real and even, so the inverse
      // transform returns the two autocorrelations in re and im.
      const half = size >> 1;
      for (let k = 0; k <= half; k++) {
        const j = (size - k) & (size - 1);
        const a = re[k];
        const b = im[k];
        const c = re[j];
        const d = im[j];
        const px = 0.25 * ((a + c) * (a + c) + (b - d) * (b - d));
        const py = 0.25 * ((a - c) * (a - c) + (b + d) * (b + d));
        re[k] = px;
        im[k] = py;
        re[j] = px;
        im[j] = py;
      }
    } else {
      for (let k = 0; k < size; k++) {
        re[k] = re[k] * re[k] + im[k] * im[k];
        im[k] = 0;
      }
    }
    fft(re, im, true);
    const sx = re.slice(0, maxLag + 1);
    for (let t = x.length; t <= maxLag; t++) sx[t] = 0;
    out[s] = sx;
    if (y) {
      const sy = im.slice(0, maxLag + 1);
      for (let t = y.length; t <= maxLag; t++) sy[t] = 0;
      out[s + 1] = sy;
    }
  }
  return out;
}

/**
 * Normalised autocorrelation function ρ(t), t = 0..maxLag (maxLag is clamped
 * to n − 1), with Γ(t) normalised by 1/(n − t). A constant series returns
 * ρ = [1, 0, 0, …].
 */
export function autocorrelationFunction(x: ArrayLike<number>, maxLag: number): Float64Array {
  const n = x.length;
  if (n < 1) throw new RangeError('autocorrelationFunction: empty series');
  if (!(maxLag >= 0)) throw new RangeError(`autocorrelationFunction: maxLag must be ≥ 0, got ${maxLag}`);
  const lag = Math.min(Math.floor(maxLag), n - 1);
  const [sums] = lagSums([x], [meanOf(x)], lag);
  const rho = new Float64Array(lag + 1);
  const g0 = sums[0] / n;
  if (!(g0 > 0)) {
    rho[0] = 1;
    return rho;
  }
  for (let t = 0; t <= lag; t++) rho[t] = sums[t] / (n - t) / g0;
  return rho;
}

/**
 * Integrated autocorrelation times of several observables, each given as R
 * independent replicas of the same process. Per observable, Γ(t) is pooled
 * over replicas: Γ(t) = Σ_r S_r(t) / Σ_r (n_r − t) about the pooled mean, then
 * Sokal's automatic window (smallest W ≥ c·τ_int(W)) is applied. The error uses
 * the total sample count Σ_r n_r.
 *
 * Lags are computed only as far as needed: the padded FFT length starts at the
 * next power of two above n + 64 and doubles while no window has been found.
 */
export function pooledIntegratedAutocorrelationTimes(groups: ArrayLike<number>[][], c = 6): AutocorrelationTime[] {
  if (!(c > 0)) throw new RangeError(`integratedAutocorrelationTime: c must be > 0, got ${c}`);
  const results: (AutocorrelationTime | null)[] = new Array(groups.length).fill(null);
  const info = groups.map((reps, g) => {
    let total = 0;
    let sum = 0;
    let maxLen = 0;
    for (const r of reps) {
      total += r.length;
      maxLen = Math.max(maxLen, r.length);
      for (let i = 0; i < r.length; i++) sum += r[i];
    }
    if (total < 2) throw new RangeError(`integratedAutocorrelationTime: group ${g} has fewer than 2 samples`);
    return { total, mean: sum / total, maxLen };
  });

  let pending = groups.map((_, g) => g);
  const longest = Math.max(...info.map((i) => i.maxLen));
  let size = nextPowerOfTwo(longest + Math.min(longest - 1, 64));
  for (;;) {
    const maxLag = Math.min(longest - 1, size - longest);
    const series: ArrayLike<number>[] = [];
    const means: number[] = [];
    const owner: number[] = [];
    for (const g of pending) {
      for (const r of groups[g]) {
        if (r.length === 0) continue;
        series.push(r);
        means.push(info[g].mean);
        owner.push(g);
      }
    }
    const sums = lagSums(series, means, maxLag);
    const still: number[] = [];
    for (const g of pending) {
      const acc = new Float64Array(maxLag + 1);
      for (let s = 0; s < series.length; s++) {
        if (owner[s] !== g) continue;
        const v = sums[s];
        for (let t = 0; t <= maxLag; t++) acc[t] += v[t];
      }
      const lens = groups[g].map((r) => r.length);
      const gamma = (t: number): number => {
        let cnt = 0;
        for (const L of lens) if (L > t) cnt += L - t;
        return cnt > 0 ? acc[t] / cnt : 0;
      };
      const g0 = gamma(0);
      const n = info[g].total;
      if (!(g0 > 0)) {
        // Constant series: no fluctuations, define τ as the uncorrelated value.
        results[g] = { tau: 0.5, window: 0, err: 0, converged: true };
        continue;
      }
      let tau = 0.5;
      let found = false;
      let w = 0;
      const gmax = Math.min(maxLag, info[g].maxLen - 1);
      for (w = 1; w <= gmax; w++) {
        tau += gamma(w) / g0;
        if (w >= c * tau) {
          found = true;
          break;
        }
      }
      if (!found) w = Math.max(gmax, 0);
      if (found || gmax >= info[g].maxLen - 1) {
        results[g] = { tau, window: w, err: tau * Math.sqrt((2 * (2 * w + 1)) / n), converged: found };
      } else {
        still.push(g);
      }
    }
    if (still.length === 0) break;
    pending = still;
    size *= 2;
  }
  return results as AutocorrelationTime[];
}

/**
 * Integrated autocorrelation time of one series with Sokal's automatic
 * windowing: τ_int(W) = 1/2 + Σ_{t=1}^{W} ρ(t), W the smallest W ≥ 1 with
 * W ≥ c·τ_int(W) (c = 6 default; 4–10 are common). τ_int = 1/2 for
 * uncorrelated data. O(n log n) via FFT. Throws for n < 2.
 */
export function integratedAutocorrelationTime(x: ArrayLike<number>, c = 6): AutocorrelationTime {
  return pooledIntegratedAutocorrelationTimes([[x]], c)[0];
}
