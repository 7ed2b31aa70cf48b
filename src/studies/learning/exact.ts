/**
 * Which exact enumeration of the binary perceptron to run, and the exact quantities it gives.
 *
 * - CPU (src/models/weights/enumeration.ts): N ≤ MAX_ENUMERATION_N, any inputs; gives g(E) and, for
 *   a binary teacher, g(E, m) (m = w·w*), hence ln Z, the train loss, the ground state AND the
 *   generalisation error.
 * - GPU (src/models/weights/gpu-enumeration.ts): N ≤ MAX_GPU_ENUMERATION_N (24), binary inputs,
 *   P ≤ MAX_GPU_ENUMERATION_P; gives g(E) only, hence ln Z, the train loss and the ground state, but
 *   no generalisation error (that needs g(E, m)): where only the GPU reaches, gen_error is null.
 *
 * With backend 'gpu' the GPU enumeration is used where the CPU cannot reach, or (need 'dos') always
 * when the dataset fits it; with backend 'cpu' only the CPU enumeration.
 */

import { ParameterError } from '../../params/errors.ts';
import { type DeviceOpener, gpuDevice } from './backends.ts';
import type { Dataset, InputKind } from '../../models/weights/datasets.ts';
import {
  enumeratePerceptron,
  logZ,
  meanGeneralisationError,
  meanTrainingError,
  MAX_ENUMERATION_N,
  type PerceptronEnumeration,
} from '../../models/weights/enumeration.ts';
import {
  enumeratePerceptronGpu,
  MAX_GPU_ENUMERATION_N,
  MAX_GPU_ENUMERATION_P,
} from '../../models/weights/gpu-enumeration.ts';

export type EnumerationBackend = 'cpu' | 'gpu';

/** An enumeration and where it ran ('cpu' has joint g(E, m) for a binary teacher; 'gpu' never). */
export interface ExactEnumeration extends PerceptronEnumeration {
  enumeration: EnumerationBackend;
}

/** Largest N the enumeration of a backend reaches (the GPU one needs binary inputs and P ≤ 1024). */
export function enumerationLimit(backend: string, inputs: InputKind, P = 0): number {
  return backend === 'gpu' && inputs === 'binary' && P <= MAX_GPU_ENUMERATION_P
    ? Math.max(MAX_GPU_ENUMERATION_N, MAX_ENUMERATION_N)
    : MAX_ENUMERATION_N;
}

/** A one-line description of the reach, for messages. */
export function enumerationReach(backend: string, inputs: InputKind = 'binary'): string {
  if (inputs !== 'binary')
    return `N <= ${MAX_ENUMERATION_N} (CPU enumeration; the GPU enumeration needs binary inputs)`;
  return backend === 'gpu'
    ? `N <= ${MAX_ENUMERATION_N} on the CPU (g(E) and g(E, overlap)), N <= ${MAX_GPU_ENUMERATION_N} with the GPU enumeration (g(E) only; P <= ${MAX_GPU_ENUMERATION_P})`
    : `N <= ${MAX_ENUMERATION_N} (CPU enumeration; --backend gpu reaches N <= ${MAX_GPU_ENUMERATION_N} for g(E)-only quantities)`;
}

export interface EnumerateOptions {
  backend: string;
  /** 'joint': prefer the CPU (g(E, m)) wherever it reaches; 'dos': g(E) suffices (GPU first when backend is gpu). */
  need: 'joint' | 'dos';
  /** Opens the device of backend 'gpu'. */
  device?: DeviceOpener;
}

/** Enumerate a dataset exactly, on the CPU or the GPU (see the header); ParameterError beyond the reach. */
export async function enumerateExact(data: Dataset, o: EnumerateOptions): Promise<ExactEnumeration> {
  const binary = data.X.every((x) => x === 1 || x === -1);
  const gpuFits = o.backend === 'gpu' && binary && data.N <= MAX_GPU_ENUMERATION_N && data.P <= MAX_GPU_ENUMERATION_P;
  const cpuFits = data.N <= MAX_ENUMERATION_N;
  if (gpuFits && (o.need === 'dos' || !cpuFits)) {
    const ctx = await gpuDevice(o.device);
    const en = await enumeratePerceptronGpu(ctx, data);
    return { ...en, joint: null, enumeration: 'gpu' };
  }
  if (cpuFits) return { ...enumeratePerceptron(data), enumeration: 'cpu' };
  throw new ParameterError(
    'N',
    `exact enumeration needs ${enumerationReach(o.backend, binary ? 'binary' : 'gaussian')}, got N = ${data.N}, P = ${data.P}`,
  );
}

export interface PerceptronExactResult {
  lnZ: number[];
  train_loss: number[];
  /** null where only g(E) was enumerated (GPU): see gen_error_note. */
  gen_error: number[] | null;
  gen_error_note?: string;
  ground_state_energy: number;
  ground_state_degeneracy: number;
  /** Where the enumeration ran. */
  enumeration: EnumerationBackend;
}

/** Exact quantities of an enumeration at the given temperatures. */
function exactQuantities(en: ExactEnumeration, temperatures: readonly number[]): PerceptronExactResult {
  const out: PerceptronExactResult = {
    lnZ: temperatures.map((T) => logZ(en, 1 / T)),
    train_loss: temperatures.map((T) => meanTrainingError(en, 1 / T)),
    gen_error: en.joint ? temperatures.map((T) => meanGeneralisationError(en, 1 / T)) : null,
    ground_state_energy: en.groundEnergy,
    ground_state_degeneracy: en.groundDegeneracy,
    enumeration: en.enumeration,
  };
  if (!en.joint) {
    out.gen_error_note =
      en.enumeration === 'gpu'
        ? `not computed: the GPU enumeration gives g(E) only; the exact generalisation error needs g(E, overlap), from the CPU enumeration (N <= ${MAX_ENUMERATION_N})`
        : 'not defined: the teacher is not binary (no g(E, overlap))';
  }
  return out;
}

/** Exact results of one dataset at the given temperatures, on whichever enumeration reaches (joint preferred). */
export async function perceptronExactAny(
  data: Dataset,
  temperatures: readonly number[],
  o: { backend: string; device?: DeviceOpener },
): Promise<PerceptronExactResult> {
  return exactQuantities(
    await enumerateExact(data, { backend: o.backend, need: 'joint', device: o.device }),
    temperatures,
  );
}
