/**
 * Self-averaging of the perceptron free energy: for each N, f = −T ln Z/N of `samples` datasets
 * (P = round(α N); perceptronDatasets, so every method sees the same datasets), with its mean and
 * standard deviation across datasets, and the exponent a of std ∝ N^(−a) fitted by least squares in
 * log–log (a ≈ 1/2 for a self-averaging quantity).
 *
 * ln Z of each dataset comes from
 * - 'exact': enumeration of all 2^N weight vectors (src/learning/exact.ts: the CPU up to
 *   MAX_ENUMERATION_N, the GPU enumeration up to 24 with backend 'gpu' and binary inputs);
 * - 'ti': thermodynamic integration from β = 0 (learnPerceptron's lnZ_datasets: tempering on a
 *   ladder from T up to the hot end β = TAIL_BETA_END), with a per-dataset error bar err_d. The
 *   spread of the TI values is then std² ≈ σ²_datasets + mean(err²), so the row also gives
 *   spread = √max(0, std² − mean(err²)), the part of std that is the datasets' own;
 * - 'auto': exact where the enumeration reaches, else TI.
 */

import { NO_CHECKPOINT, oneStep, type Checkpointer } from '../checkpoint.ts';
import { MAX_ENUMERATION_N, logZ } from '../../models/weights/enumeration.ts';
import type { InputKind } from '../../models/weights/datasets.ts';
import { checkPerceptronN } from '../../models/weights/perceptron.ts';
import { geometricLadder } from '../../tempering/ladder.ts';
import type { DeviceOpener } from './backends.ts';
import { enumerateExact, enumerationLimit } from './exact.ts';
import { learnPerceptron, perceptronDatasets, perceptronTail, TAIL_BETA_END } from './perceptron.ts';
import { powerLawFit } from './estimates.ts';
import { meanStd } from '../../analysis/sample.ts';

export type SelfAverageMethod = 'exact' | 'ti' | 'auto';

export interface SelfAverageTi {
  /** Ladder temperatures sampled (ascending, T first), hot end at β = TAIL_BETA_END. */
  ladder: number;
  sweeps: number;
  thermalize: number;
  /** Independent tempering chains per dataset (their spread bounds each f's error from below). */
  chains: number;
  /** Smallest swap acceptance between adjacent temperatures. */
  min_swap_acceptance: number;
}

export interface SelfAverageRow {
  N: number;
  P: number;
  /** How ln Z was obtained: exact enumeration (CPU or GPU) or thermodynamic integration. */
  method: 'exact-cpu' | 'exact-gpu' | 'ti';
  f: number[];
  /** TI error bar of each f (null for exact rows). */
  f_err: number[] | null;
  mean: number;
  std: number;
  /** Standard error of std (≈ std/√(2(n−1)) for a near-Gaussian distribution). */
  std_err: number;
  /** TI rows: mean of the per-dataset error bars of f (null for exact rows). */
  ti_err: number | null;
  /** √max(0, std² − mean(f_err²)): the spread across datasets net of TI noise (= std for exact rows). */
  spread: number;
  /** TI run parameters (null for exact rows). */
  ti: SelfAverageTi | null;
}

export interface SelfAverageOptions {
  Ns: number[];
  alpha: number;
  T: number;
  samples: number;
  seed: number;
  data: 'teacher' | 'random';
  inputs: InputKind;
  method?: SelfAverageMethod;
  /** Enumeration and sampler backend ('cpu' or 'gpu'). */
  backend?: string;
  /** Opens the device of backend 'gpu' (the caller owns it). */
  device?: DeviceOpener;
  /** TI: measured sweeps, discarded sweeps, ladder size (default: automatic per N). */
  sweeps?: number;
  thermalize?: number;
  K?: number;
  /** ti: independent tempering chains per dataset (default SELFAVG_TI_CHAINS). */
  chains?: number;
  /** Progress of one N: label (e.g. 'N = 21, ti'), done, total. */
  onProgress?: (label: string, done: number, total: number) => void;
  /** Saves each dataset's enumeration and the TI runs' progress (--checkpoint). */
  checkpoint?: Checkpointer;
}

/** Default TI sweeps (measured) and thermalization sweeps. */
export const SELFAVG_TI_SWEEPS = 4000;
export const SELFAVG_TI_THERMALIZE = 1000;
/**
 * Two chains per dataset, whose spread bounds each f's error from below. Calibration against
 * enumeration at N = 21, α = 1.5, 16 datasets (z = (f_TI − f_exact)/err): rms z = 0.82 at T = 1;
 * at T = 0.5, beyond the first-order transition where the cold replicas tunnel rarely between the
 * teacher-like and the metastable state, rms z = 1.32 (1.64 with one chain; 1.7 with 16000 sweeps,
 * so not a thermalisation effect; the ladder's discretisation error is below 0.012 in ln Z, and the
 * variance terms' noise is in the error). There the TI errors are about 1.3× too small: read
 * `spread` with that in mind.
 */
export const SELFAVG_TI_CHAINS = 2;

/** The method a row at N, P will use. */
export function selfAverageMethod(
  method: SelfAverageMethod,
  N: number,
  P: number,
  backend: string,
  inputs: InputKind,
): 'exact' | 'ti' {
  if (method !== 'auto') return method;
  return N <= enumerationLimit(backend, inputs, P) ? 'exact' : 'ti';
}

/**
 * The TI ladder (ascending, T first): with K, K geometric temperatures from T to the hot end
 * 1/TAIL_BETA_END; without, [T] and learnPerceptron's tail (ratio 1 + 2.5/√P in β down to the hot end).
 */
function selfAverageLadder(T: number, K?: number): number[] {
  const hot = 1 / TAIL_BETA_END;
  if (T >= hot || K === undefined || K < 2) return [T];
  return geometricLadder(T, hot, K);
}

const meanOf = (x: readonly number[]): number => x.reduce((s, v) => s + v, 0) / x.length;

export async function selfAverage(o: SelfAverageOptions): Promise<{
  rows: SelfAverageRow[];
  exponent: { a: number; err: number | null } | null;
  exponent_spread: { a: number; err: number | null } | null;
}> {
  const method = o.method ?? 'exact';
  const backend = o.backend ?? 'cpu';
  const rows: SelfAverageRow[] = [];
  const checkpoint = o.checkpoint ?? NO_CHECKPOINT;
  for (const N of o.Ns) {
    checkPerceptronN(N);
    const P = Math.round(o.alpha * N);
    const how = selfAverageMethod(method, N, P, backend, o.inputs);
    let f: number[];
    let fErr: number[] | null = null;
    let ti: SelfAverageTi | null = null;
    let rowMethod: SelfAverageRow['method'] = 'ti';
    if (how === 'exact') {
      const limit = enumerationLimit(backend, o.inputs, P);
      if (N > limit)
        throw new RangeError(
          `exact enumeration needs N <= ${limit} (backend ${backend}, ${o.inputs} inputs; CPU N <= ${MAX_ENUMERATION_N}), got ${N}`,
        );
      const datasets = perceptronDatasets(N, P, o.data, o.inputs, o.seed, o.samples);
      f = [];
      const where = new Set<string>();
      for (let i = 0; i < datasets.length; i++) {
        const exact = async () => {
          const en = await enumerateExact(datasets[i], { backend, need: 'dos', device: o.device });
          return { where: en.enumeration, f: (-o.T * logZ(en, 1 / o.T)) / N };
        };
        const r = await checkpoint.task(`N ${N}, exact, dataset ${i + 1}`, oneStep(exact));
        where.add(r.where);
        f.push(r.f);
        o.onProgress?.(`N = ${N}, exact`, i + 1, datasets.length);
      }
      rowMethod = where.has('gpu') ? 'exact-gpu' : 'exact-cpu';
    } else {
      const temperatures = selfAverageLadder(o.T, o.K);
      const sweeps = o.sweeps ?? SELFAVG_TI_SWEEPS;
      const thermalize = o.thermalize ?? SELFAVG_TI_THERMALIZE;
      const chains = o.chains ?? SELFAVG_TI_CHAINS;
      const r = await learnPerceptron({
        N,
        P,
        data: o.data,
        inputs: o.inputs,
        temperatures,
        perT: chains,
        samples: o.samples,
        sweeps,
        thermalize,
        seed: o.seed,
        device: o.device,
        backend,
        onProgress: (done, total) => o.onProgress?.(`N = ${N}, ti`, done, total),
        checkpoint: { session: checkpoint, key: `N ${N}, ti` },
      });
      f = r.lnZ_datasets.map((l) => (-o.T * l[0].mean) / N);
      fErr = r.lnZ_datasets.map((l) => (o.T * l[0].err) / N);
      const tail = perceptronTail(temperatures[temperatures.length - 1], P);
      ti = {
        ladder: temperatures.length + tail.length,
        sweeps,
        thermalize,
        chains,
        min_swap_acceptance: r.swap_acceptance.length > 0 ? Math.min(...r.swap_acceptance) : 1,
      };
    }
    const n = f.length;
    const { mean, std } = meanStd(f);
    const noise2 = fErr ? meanOf(fErr.map((e) => e * e)) : 0;
    rows.push({
      N,
      P,
      method: rowMethod,
      f,
      f_err: fErr,
      mean,
      std,
      std_err: n > 1 ? std / Math.sqrt(2 * (n - 1)) : 0,
      ti_err: fErr ? meanOf(fErr) : null,
      spread: Math.sqrt(Math.max(0, std * std - noise2)),
      ti,
    });
  }
  const exponentFit = (pick: (r: SelfAverageRow) => number) => {
    const usable = rows.filter((r) => pick(r) > 0);
    if (usable.length < 2) return null;
    const p = powerLawFit(
      usable.map((r) => r.N),
      usable.map(pick),
    );
    // Two sizes fit exactly: the error of a is undefined (null), not NaN.
    return { a: p.a, err: Number.isFinite(p.aErr) ? p.aErr : null };
  };
  return { rows, exponent: exponentFit((r) => r.std), exponent_spread: exponentFit((r) => r.spread) };
}
