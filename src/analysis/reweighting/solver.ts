/**
 * Solver of the Ferrenberg–Swendsen (WHAM) equations for the free energies ln Z_k of K runs:
 * Newton on the equivalent convex MBAR objective with a self-consistent fallback.
 */
import { choleskySolveOrNull } from '../../math/linalg.ts';
import { included, type Points } from './points.ts';

interface ObjectiveValue {
  /** F(λ) = Σ_u w_u L_u + Σ_k c_k λ_k (convex; minimum ⇔ the WHAM equations). */
  F: number;
  /** Σ |terms| of F, for the rounding-noise allowance of the line search. */
  Fabs: number;
  /** A_k = Σ_u w_u p_k(u); the WHAM equations read A_k = c_k. */
  A: Float64Array;
  /** Hessian of F (K×K, row-major), when requested. */
  H: Float64Array | null;
}

/**
 * The MBAR/WHAM objective F(λ) = Σ_u w_u ln Σ_j c_j e^{−β_j E_u − λ_j} + Σ_k c_k λ_k,
 * λ_k = ln Z_k; its gradient is c_k − A_k with A_k = Σ_u w_u p_k(u), p_k(u) =
 * c_k e^{−β_k E_u − λ_k} / Σ_j c_j e^{−β_j E_u − λ_j}, and its Hessian is
 * Σ_u w_u (p_k δ_kl − p_k p_l). Setting the gradient to zero is exactly the
 * Ferrenberg–Swendsen self-consistency e^{λ_k} = Σ_u w_u e^{−β_k E_u} / Σ_j c_j e^{−β_j E_u − λ_j}.
 */
function objective(
  P: Points,
  betas: Float64Array,
  c: Float64Array,
  lambda: Float64Array,
  withDerivatives: boolean,
): ObjectiveValue {
  const K = betas.length;
  const a = new Float64Array(K);
  for (let j = 0; j < K; j++) a[j] = c[j] > 0 ? Math.log(c[j]) - lambda[j] : -Infinity;
  const t = new Float64Array(K);
  const idx = new Int32Array(K);
  const A = new Float64Array(K);
  const H = withDerivatives ? new Float64Array(K * K) : null;
  let F = 0;
  let Fabs = 0;
  const U = P.E.length;
  for (let u = 0; u < U; u++) {
    if (!included(P, u)) continue;
    const w = P.w[u];
    const E = P.E[u];
    let max = -Infinity;
    for (let j = 0; j < K; j++) {
      const x = a[j] - betas[j] * E;
      t[j] = x;
      if (x > max) max = x;
    }
    let s = 0;
    for (let j = 0; j < K; j++) {
      // Terms below e^{−36} ≈ 2e−16 of the largest are below double rounding.
      const x = t[j] - max > -36 ? Math.exp(t[j] - max) : 0;
      t[j] = x;
      s += x;
    }
    const L = max + Math.log(s);
    F += w * L;
    Fabs += w * Math.abs(L);
    if (!withDerivatives) continue;
    const inv = 1 / s;
    let nnz = 0;
    for (let j = 0; j < K; j++) {
      const p = t[j] * inv;
      t[j] = p;
      A[j] += w * p;
      // The Hessian only sets the Newton step, not the solution: tiny p are dropped.
      if (p > 1e-6) idx[nnz++] = j;
    }
    if (H) {
      for (let ii = 0; ii < nnz; ii++) {
        const k = idx[ii];
        const wp = w * t[k];
        H[k * K + k] += wp;
        for (let jj = 0; jj < nnz; jj++) {
          const l = idx[jj];
          H[k * K + l] -= wp * t[l];
        }
      }
    }
  }
  for (let k = 0; k < K; k++) {
    if (c[k] > 0) {
      F += c[k] * lambda[k];
      Fabs += Math.abs(c[k] * lambda[k]);
    }
  }
  return { F, Fabs, A, H };
}

/**
 * ln A_k in log space, ln c_k − λ_k + ln Σ_u w_u e^{−β_k E_u − L_u}: used when
 * A_k underflows (λ_k far too large), so the self-consistent update still moves.
 */
function logA(P: Points, betas: Float64Array, c: Float64Array, lambda: Float64Array, k: number): number {
  const K = betas.length;
  const a = new Float64Array(K);
  for (let j = 0; j < K; j++) a[j] = c[j] > 0 ? Math.log(c[j]) - lambda[j] : -Infinity;
  let M = -Infinity;
  let S = 0;
  for (let u = 0; u < P.E.length; u++) {
    if (!included(P, u)) continue;
    const E = P.E[u];
    let max = -Infinity;
    for (let j = 0; j < K; j++) max = Math.max(max, a[j] - betas[j] * E);
    let s = 0;
    for (let j = 0; j < K; j++) s += Math.exp(a[j] - betas[j] * E - max);
    const x = Math.log(P.w[u]) + a[k] - betas[k] * E - (max + Math.log(s));
    if (x > M) {
      S = S * Math.exp(M - x) + 1;
      M = x;
    } else {
      S += Math.exp(x - M);
    }
  }
  return M + Math.log(S);
}

/**
 * r_k − r_0 with r_k = ln(A_k/c_k) (written into r): the change of λ_k − λ_0
 * one Ferrenberg–Swendsen iteration would make. Returns max_k |r_k − r_0|.
 */
function residualOf(
  P: Points,
  betas: Float64Array,
  c: Float64Array,
  lambda: Float64Array,
  A: Float64Array,
  r: Float64Array,
): number {
  const K = c.length;
  for (let k = 0; k < K; k++) {
    r[k] = A[k] > 1e-250 ? Math.log(A[k] / c[k]) : logA(P, betas, c, lambda, k) - Math.log(c[k]);
  }
  const r0 = r[0];
  let res = 0;
  for (let k = 0; k < K; k++) {
    r[k] -= r0;
    const x = Math.abs(r[k]);
    res = Number.isNaN(x) ? Infinity : Math.max(res, x);
  }
  return res;
}

export interface SolveResult {
  lambda: Float64Array;
  iterations: number;
  residual: number;
}

/**
 * Solve the Ferrenberg–Swendsen equations for λ_k = ln Z_k − ln Z_0 (λ_0 = 0):
 * damped Newton on the convex objective (Cholesky on the (K−1)×(K−1) gauge-fixed
 * Hessian, backtracking line search), falling back to a plain self-consistent
 * iteration whenever the Newton step fails. Converged when one more
 * self-consistent iteration would move every λ_k by less than tol, or when a
 * step moves every λ_k by less than tol/10 (the minimum, to rounding).
 */
export function solveFreeEnergies(
  P: Points,
  betas: Float64Array,
  c: Float64Array,
  init: Float64Array,
  tol: number,
  maxIterations: number,
  label: string,
): SolveResult {
  const K = betas.length;
  const lambda = Float64Array.from(init);
  for (let k = K - 1; k >= 0; k--) lambda[k] -= lambda[0];
  const r = new Float64Array(K);
  if (K === 1) return { lambda, iterations: 0, residual: 0 };
  let cur = objective(P, betas, c, lambda, true);
  let residual = residualOf(P, betas, c, lambda, cur.A, r);
  let it = 0;
  while (residual >= tol) {
    if (it >= maxIterations) {
      throw new Error(
        `multipleHistogram: the Ferrenberg–Swendsen equations did not converge${label} in ${maxIterations} iterations ` +
          `(max |Δ ln Z| per iteration ${residual.toExponential(3)}, tol ${tol}); ` +
          'check that the energy histograms of neighbouring temperatures overlap, or raise maxIterations',
      );
    }
    it++;
    const before = Float64Array.from(lambda);
    let next = newtonStep(P, betas, c, lambda, cur);
    if (!next) {
      // Plain Ferrenberg–Swendsen update λ_k ← λ_k + ln(A_k/c_k) (gauge-fixed).
      for (let k = 1; k < K; k++) if (Number.isFinite(r[k])) lambda[k] += r[k];
      next = objective(P, betas, c, lambda, true);
    }
    cur = next;
    residual = residualOf(P, betas, c, lambda, cur.A, r);
    // A Newton step that moves no λ_k by tol/10: the minimum to well within tol, where rounding
    // in the sums can keep the residual just above a tight tol (seen on 2×2 lattices).
    if (lambda.every((x, k) => Math.abs(x - before[k]) < tol / 10)) break;
  }
  return { lambda, iterations: it, residual };
}

/**
 * One damped Newton step on the gauge-fixed system (λ_0 = 0): Cholesky on the (K−1)×(K−1)
 * Hessian, then a backtracking (Armijo) line search. On success lambda is moved and the
 * objective there (with derivatives) is returned; null, lambda untouched, when the step fails.
 */
function newtonStep(
  P: Points,
  betas: Float64Array,
  c: Float64Array,
  lambda: Float64Array,
  cur: ObjectiveValue,
): ObjectiveValue | null {
  const K = betas.length;
  const M = K - 1;
  const H = cur.H as Float64Array;
  const Hr = new Float64Array(M * M);
  const g = new Float64Array(M);
  for (let i = 0; i < M; i++) {
    g[i] = c[i + 1] - cur.A[i + 1];
    for (let j = 0; j < M; j++) Hr[i * M + j] = H[(i + 1) * K + (j + 1)];
    Hr[i * M + i] *= 1 + 1e-13;
  }
  const negG = g.map((x) => -x);
  const step = choleskySolveOrNull(Hr, negG, M);
  if (!step) return null;
  let slope = 0;
  for (let i = 0; i < M; i++) slope += g[i] * step[i];
  if (!(slope < 0)) return null;
  // The full step is evaluated with derivatives, since near the solution it is accepted at once.
  const trial = new Float64Array(K);
  let t = 1;
  for (let h = 0; h < 40; h++, t *= 0.5) {
    for (let i = 0; i < M; i++) trial[i + 1] = lambda[i + 1] + t * step[i];
    const f = objective(P, betas, c, trial, h === 0);
    const allowance = 1e-13 * Math.max(cur.Fabs, f.Fabs); // rounding noise of F
    if (Number.isFinite(f.F) && f.F <= cur.F + 1e-4 * t * slope + allowance) {
      lambda.set(trial);
      return h === 0 ? f : objective(P, betas, c, lambda, true);
    }
  }
  return null;
}
