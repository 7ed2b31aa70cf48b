/**
 * Exact enumeration of the binary perceptron: all 2^N weight vectors (N ≤ 21 on the CPU) in Gray-code
 * order, so each step flips one weight (bit ctz(k) at step k) and updates the P local fields in O(P).
 * Start: all weights −1 (bit b of the Gray code g_k = k ^ (k >> 1) set ⇔ w_b = +1).
 *
 * Gives the density of states g(E) (E = training errors, 0 … P) and, for a binary teacher,
 * g(E, m) with m = w·w* ∈ {−N, −N+2, …, N}; from them ln Z(β), F(β) = −ln Z/β, ⟨E⟩/P, and the
 * Gibbs average of ε = arccos(R)/π with R = m/N (Gaussian-input generalisation error of binary
 * weights against a binary teacher), plus the ground-state energy and degeneracy.
 */

import type { Dataset } from './datasets.ts';
import { checkPerceptronN, generalisationError, isError } from './perceptron.ts';

/**
 * Largest N enumerated on the CPU: whatever runs in a few seconds. Measured (binary inputs, teacher
 * labels, Node 20 on a 2-core x86 VM, one thread): N = 19: 0.1 s (P = N), 0.6 s (P = 2N); N = 21:
 * 1.3 s (P = N), 2.7 s (P = 2N); N = 23: 5.2 s and 10.4 s (about 4.4x per ΔN = 2). 21 keeps one
 * dataset within seconds (ising selfavg enumerates dozens per N); beyond it, the GPU enumeration
 * (gpu-enumeration.ts, g(E) only, N ≤ 24) or thermodynamic integration (src/learning/exact.ts).
 */
export const MAX_ENUMERATION_N = 21;

export interface PerceptronEnumeration {
  N: number;
  P: number;
  /** g(E), E = 0 … P. */
  dos: Float64Array;
  /** g(E, m) at [E·(N+1) + (m+N)/2] (binary teacher only; null otherwise). */
  joint: Float64Array | null;
  groundEnergy: number;
  groundDegeneracy: number;
}

function isBinary(v: Float64Array): boolean {
  for (const x of v) if (x !== 1 && x !== -1) return false;
  return true;
}

/** Enumerate all 2^N weight vectors of a dataset (N odd, N ≤ MAX_ENUMERATION_N). */
export function enumeratePerceptron(data: Dataset): PerceptronEnumeration {
  const { N, P, X, y, teacher } = data;
  checkPerceptronN(N);
  if (N > MAX_ENUMERATION_N) throw new RangeError(`enumeration needs N <= ${MAX_ENUMERATION_N}, got ${N}`);
  const binaryTeacher = isBinary(teacher);
  const w = new Int8Array(N).fill(-1);
  const h = new Float64Array(P);
  let E = 0;
  for (let m = 0; m < P; m++) {
    let s = 0;
    for (let j = 0; j < N; j++) s -= X[m * N + j];
    h[m] = s;
    E += isError(y[m], s);
  }
  let mOverlap = 0;
  for (let j = 0; j < N; j++) mOverlap -= teacher[j];
  const dos = new Float64Array(P + 1);
  const joint = binaryTeacher ? new Float64Array((P + 1) * (N + 1)) : null;
  const record = () => {
    dos[E]++;
    if (joint) joint[E * (N + 1) + (mOverlap + N) / 2]++;
  };
  record();
  const total = 2 ** N;
  for (let k = 1; k < total; k++) {
    const i = 31 - Math.clz32(k & -k); // ctz(k)
    const d = 2 * w[i];
    for (let m = 0; m < P; m++) {
      const old = h[m];
      const nh = old - d * X[m * N + i];
      E += isError(y[m], nh) - isError(y[m], old);
      h[m] = nh;
    }
    mOverlap -= d * teacher[i];
    w[i] = -w[i];
    record();
  }
  let groundEnergy = 0;
  while (dos[groundEnergy] === 0) groundEnergy++;
  return { N, P, dos, joint, groundEnergy, groundDegeneracy: dos[groundEnergy] };
}

/** ln Z(β) = ln Σ_E g(E) e^{−βE} (log-sum-exp). */
export function logZ(en: PerceptronEnumeration, beta: number): number {
  const { dos } = en;
  let max = -Infinity;
  for (let E = 0; E < dos.length; E++) if (dos[E] > 0) max = Math.max(max, Math.log(dos[E]) - beta * E);
  let s = 0;
  for (let E = 0; E < dos.length; E++) if (dos[E] > 0) s += Math.exp(Math.log(dos[E]) - beta * E - max);
  return max + Math.log(s);
}

/** F(β) = −ln Z/β. */
export const freeEnergy = (en: PerceptronEnumeration, beta: number): number => -logZ(en, beta) / beta;

/** Gibbs probabilities of the energies at β: p(E) = g(E) e^{−βE}/Z. */
function energyDistribution(en: PerceptronEnumeration, beta: number): Float64Array {
  const lz = logZ(en, beta);
  return Float64Array.from(en.dos, (g, E) => (g > 0 ? Math.exp(Math.log(g) - beta * E - lz) : 0));
}

/** ⟨E⟩(β). */
export function meanEnergy(en: PerceptronEnumeration, beta: number): number {
  const p = energyDistribution(en, beta);
  let s = 0;
  for (let E = 0; E < p.length; E++) s += E * p[E];
  return s;
}

/** ⟨training error⟩(β) = ⟨E⟩/P. */
export const meanTrainingError = (en: PerceptronEnumeration, beta: number): number =>
  en.P === 0 ? 0 : meanEnergy(en, beta) / en.P;

/** ⟨arccos(m/N)/π⟩(β), the Gaussian-input generalisation error (binary teacher). */
export function meanGeneralisationError(en: PerceptronEnumeration, beta: number): number {
  if (!en.joint) throw new RangeError('the generalisation error needs a binary teacher (joint density of states)');
  const { N, P, joint } = en;
  const lz = logZ(en, beta);
  let s = 0;
  for (let E = 0; E <= P; E++) {
    for (let k = 0; k <= N; k++) {
      const g = joint[E * (N + 1) + k];
      if (g > 0) s += Math.exp(Math.log(g) - beta * E - lz) * generalisationError((2 * k - N) / N);
    }
  }
  return s;
}
