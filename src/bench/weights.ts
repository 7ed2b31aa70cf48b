/**
 * Throughput of the binary-perceptron weight-replica sampler (`ising bench --weights N,P,R`): the
 * GPU kernel without and with replica exchange (one dispatch per sweep plus the exchange dispatch)
 * and the CPU reference, on the same teacher–student data, in the same run. Wall time of whole
 * run() calls (the sampler has no timestamp queries), median of the repeats, warm-up excluded.
 * Rates: single-weight updates per ns (R·N per sweep) and example-field updates per ns (R·N·P per
 * sweep, the inner loop's work).
 */

import type { GpuContext } from '../gpu/device.ts';
import { generateDataset } from '../models/weights/datasets.ts';
import { CpuPerceptronSampler } from '../models/weights/cpu-perceptron-sampler.ts';
import type { PerceptronSamplerConfig } from '../models/weights/perceptron-config.ts';
import { GpuPerceptronSampler } from '../models/weights/gpu-perceptron-sampler.ts';
import { geometricLadder } from '../tempering/ladder.ts';
import { timeGrowing } from './suite.ts';

export interface WeightsBenchOptions {
  N: number;
  P: number;
  /** Replicas: chains × K temperature slots. */
  R: number;
  /** Temperature slots per chain (R must be a multiple). */
  K: number;
  seed: number;
  repeats: number;
  minSeconds: number;
  /** Sweeps per measurement (grown until minSeconds when absent). */
  sweeps?: number;
  log?: (line: string) => void;
}

interface Runner {
  run(o: { sweeps: number; measureEvery: number; exchange?: boolean }): Promise<unknown> | unknown;
}

/** Wall time of whole run() calls (the weight samplers have no timestamp queries). */
async function timeRuns(
  s: Runner,
  exchange: boolean,
  o: WeightsBenchOptions,
): Promise<{ sweeps: number; seconds: number }> {
  const t = await timeGrowing(
    async (sweeps) => {
      const t0 = performance.now();
      await s.run({ sweeps, measureEvery: 0, exchange });
      return { wall: (performance.now() - t0) / 1000 };
    },
    o.sweeps,
    o.repeats,
    o.minSeconds,
  );
  return { sweeps: t.sweeps, seconds: t.wall };
}

export async function benchWeights(ctx: GpuContext, o: WeightsBenchOptions): Promise<Record<string, unknown>> {
  const { N, P, R, K } = o;
  if (R % K !== 0) throw new RangeError(`--weights: R (${R}) must be a multiple of the ${K} temperature slots`);
  const data = generateDataset({
    N,
    P,
    inputs: 'binary',
    teacher: 'binary',
    labels: 'teacher',
    seed: o.seed,
    index: 0,
  });
  const config: PerceptronSamplerConfig = {
    datasets: [data],
    replicas: R,
    datasetOf: new Array<number>(R).fill(0),
    temperatures: geometricLadder(0.2, 2, K),
    slots: Array.from({ length: R }, (_, r) => r % K),
    seed: o.seed,
  };
  const rates = (t: { sweeps: number; seconds: number }) => ({
    sweeps: t.sweeps,
    wall_ms: t.seconds * 1000,
    sweeps_per_s: t.sweeps / t.seconds,
    weight_updates_per_ns: (R * N * t.sweeps) / (t.seconds * 1e9),
    example_updates_per_ns: (R * N * P * t.sweeps) / (t.seconds * 1e9),
  });
  const gpu = await GpuPerceptronSampler.create(ctx, config);
  let plain: ReturnType<typeof rates>;
  let exchange: ReturnType<typeof rates>;
  try {
    plain = rates(await timeRuns(gpu, false, o));
    o.log?.(
      `perceptron N=${N} P=${P} R=${R}: GPU ${plain.weight_updates_per_ns.toPrecision(4)} weight updates/ns (${plain.sweeps} sweeps, wall)`,
    );
    exchange = rates(await timeRuns(gpu, true, o));
    o.log?.(
      `perceptron with exchange (K=${K}): GPU ${exchange.weight_updates_per_ns.toPrecision(4)} weight updates/ns`,
    );
  } finally {
    gpu.destroy();
  }
  const cpu = rates(
    await timeRuns(new CpuPerceptronSampler(config), false, { ...o, minSeconds: Math.min(o.minSeconds, 0.5) }),
  );
  o.log?.(`perceptron CPU reference: ${cpu.weight_updates_per_ns.toPrecision(4)} weight updates/ns`);
  return {
    N,
    P,
    replicas: R,
    K,
    workgroup_size: gpu.wgSize,
    timing: 'wall',
    gpu: plain,
    gpu_exchange: exchange,
    cpu_reference: cpu,
    gpu_vs_cpu: plain.weight_updates_per_ns / cpu.weight_updates_per_ns,
    exchange_cost: plain.weight_updates_per_ns / exchange.weight_updates_per_ns,
  };
}
