/**
 * Reweighted curves of one free-energy solution: every average at any β, and the jackknife of
 * a point over the leave-one-block-out curves.
 */
import type { Estimate } from '../types.ts';
import { jackknifeFromReplicas } from '../jackknife.ts';
import { requireFiniteNumber } from './inputs.ts';
import { type Channel, included, type Points } from './points.ts';
import type { ReweightedEstimate, ReweightedPoint } from './types.ts';

/** Reweighting evaluator of one solution (full data or one jackknife sample); lnZ relative to β_0. */
export function makeCurve(
  P: Points,
  betas: Float64Array,
  c: Float64Array,
  lambda: Float64Array,
  N: number,
  channels: Channel[],
  cacheL: boolean,
): (beta: number) => ReweightedPoint {
  const lnDen = denominators(P, betas, c, lambda, cacheL);
  const raw = (beta: number): ReweightedPoint => reweightedPoint(P, lnDen, channels, N, beta);
  const lnZRef = raw(betas[0]).lnZ;
  return (beta: number) => {
    const p = raw(beta);
    p.lnZ -= lnZRef;
    return p;
  };
}

/**
 * u ↦ L_u = ln Σ_j c_j e^{−β_j E_u − λ_j}, the per-point denominator (β-independent):
 * tabulated once when `cache`, else computed on each call.
 */
function denominators(
  P: Points,
  betas: Float64Array,
  c: Float64Array,
  lambda: Float64Array,
  cache: boolean,
): (u: number) => number {
  const K = betas.length;
  const a = new Float64Array(K);
  for (let j = 0; j < K; j++) a[j] = c[j] > 0 ? Math.log(c[j]) - lambda[j] : -Infinity;
  const lnDen = (E: number): number => {
    let max = -Infinity;
    for (let j = 0; j < K; j++) max = Math.max(max, a[j] - betas[j] * E);
    let s = 0;
    for (let j = 0; j < K; j++) {
      const x = a[j] - betas[j] * E - max;
      if (x > -36) s += Math.exp(x);
    }
    return max + Math.log(s);
  };
  if (!cache) return (u) => lnDen(P.E[u]);
  const U = P.E.length;
  const L = new Float64Array(U);
  for (let u = 0; u < U; u++) L[u] = included(P, u) ? lnDen(P.E[u]) : 0;
  return (u) => L[u];
}

/** Every reweighted average at β (lnZ not yet shifted by the reference). */
function reweightedPoint(
  P: Points,
  lnDen: (u: number) => number,
  channels: Channel[],
  N: number,
  beta: number,
): ReweightedPoint {
  requireFiniteNumber(beta, 'beta');
  const U = P.E.length;
  // x_u = −βE_u − L_u (NaN for points left out), then shifted by its maximum m and exponentiated.
  const x = new Float64Array(U);
  let m = -Infinity;
  for (let u = 0; u < U; u++) {
    if (!included(P, u)) {
      x[u] = Number.NaN;
      continue;
    }
    const v = -beta * P.E[u] - lnDen(u);
    x[u] = v;
    if (v > m) m = v;
  }
  const { Z, sE, sn, sn2 } = exponentiate(P, x, m);
  const E = sE / Z;
  let sV = 0;
  const sC = new Float64Array(channels.length);
  for (let u = 0; u < U; u++) {
    if (Number.isNaN(x[u])) continue;
    const q = x[u];
    const d = P.E[u] - E;
    sV += P.w[u] * q * d * d;
    for (let ch = 0; ch < channels.length; ch++) sC[ch] += P.S[ch][u] * q;
  }
  const varE = sV / Z;
  const point: ReweightedPoint = {
    beta,
    T: 1 / beta,
    lnZ: m + Math.log(Z),
    E,
    E2: varE + E * E,
    varE,
    e: E / N,
    c: (beta * beta * varE) / N,
    observables: {},
    nEff: (sn * sn) / sn2,
  };
  setChannels(point, channels, sC, Z, N);
  return point;
}

/**
 * Replaces x_u by q_u = e^{x_u − m} (NaN entries kept) and returns Z = Σ w_u q_u, Σ w_u q_u E_u
 * and the Kish sums Σ n_u q_u, Σ n_u q_u².
 */
function exponentiate(P: Points, x: Float64Array, m: number): { Z: number; sE: number; sn: number; sn2: number } {
  let Z = 0;
  let sE = 0;
  let sn = 0;
  let sn2 = 0;
  for (let u = 0; u < x.length; u++) {
    if (Number.isNaN(x[u])) continue;
    const q = Math.exp(x[u] - m);
    x[u] = q;
    const wq = P.w[u] * q;
    Z += wq;
    sE += wq * P.E[u];
    const nu = P.n ? P.n[u] : 1;
    sn += nu * q;
    sn2 += nu * q * q;
  }
  return { Z, sE, sn, sn2 };
}

/** Stores ⟨O⟩ = sC/Z of every channel in the point, and U₄ and χ when the magnetisation was given. */
function setChannels(point: ReweightedPoint, channels: Channel[], sC: Float64Array, Z: number, N: number): void {
  for (let ch = 0; ch < channels.length; ch++) {
    const v = sC[ch] / Z;
    const { name, kind } = channels[ch];
    if (kind === 'obs') point.observables[name] = v;
    else if (kind === 'abs') point.m_abs = v;
    else if (kind === 'm2') point.m2 = v;
    else point.m4 = v;
  }
  if (channels.some((ch) => ch.kind !== 'obs')) {
    const m2 = point.m2 as number;
    const mAbs = point.m_abs as number;
    point.binder = 1 - (point.m4 as number) / (3 * m2 * m2);
    point.chi = point.beta * N * (m2 - mAbs * mAbs);
  }
}

/** The moments present only when the magnetisation was given. */
const MAGNETIZATION_FIELDS = ['m_abs', 'm2', 'm4', 'binder', 'chi'] as const;

/** Jackknife every field of a reweighted point over the leave-one-block-out points. */
export function jackknifePoint(full: ReweightedPoint, loo: ReweightedPoint[]): ReweightedEstimate {
  const est = (get: (p: ReweightedPoint) => number): Estimate =>
    loo.length >= 2 ? jackknifeFromReplicas(get(full), loo.map(get)) : { mean: get(full), err: Number.NaN };
  const observables: Record<string, Estimate> = {};
  // Key order as the JSON reports print it.
  const out: ReweightedEstimate = {
    beta: full.beta,
    T: full.T,
    nEff: full.nEff,
    observables,
    lnZ: est((p) => p.lnZ),
    E: est((p) => p.E),
    E2: est((p) => p.E2),
    varE: est((p) => p.varE),
    e: est((p) => p.e),
    c: est((p) => p.c),
  };
  for (const f of MAGNETIZATION_FIELDS) {
    if (full[f] !== undefined) out[f] = est((p) => p[f] as number);
  }
  for (const name of Object.keys(full.observables)) observables[name] = est((p) => p.observables[name]);
  return out;
}
