/** `ising compare`: GPU kernels against the CPU reference from the same state and seed. */

import { CpuIsingSampler } from '../../models/ising/cpu-sampler.ts';
import { GpuIsingSampler } from '../../models/ising/gpu-sampler.ts';
import { defineFlags, type ParsedFlags } from '../args.ts';
import { FLAGS, openCliDevice, progressReporter } from '../common.ts';
import { COUPLING_FLAGS, couplingsOfFlags } from './glass.ts';

export const summary =
  'Runs the GPU sampler and the CPU reference from the same initial state and seed and checks that the ' +
  'lattices and integer energies agree bit for bit. Exit code 0 when identical, 1 when not.';

export const flags = defineFlags({
  L: FLAGS.L,
  Ly: FLAGS.Ly,
  sweeps: {
    type: 'int',
    min: 1,
    max: 1e9,
    required: true,
    help: 'sweeps to run on both backends (wolff: cluster steps)',
  },
  T: { ...FLAGS.T, required: false, default: 2.269 },
  J: FLAGS.J,
  h: FLAGS.h,
  replicas: FLAGS.replicas,
  algorithm: FLAGS.algorithm,
  init: FLAGS.init,
  seed: FLAGS.seed,
  kernel: FLAGS.kernel,
  adapter: FLAGS.adapter,
  quiet: FLAGS.quiet,
  json: FLAGS.json,
  ...COUPLING_FLAGS,
});

export const output =
  'output (--json): {"identical","sites","first_mismatch":null|{"replica","x","y"},"bonds_gpu":[...],"bonds_cpu":[...], ...}';

export async function compare(o: ParsedFlags<typeof flags>) {
  const Lx = o.L;
  const Ly = o.Ly ?? Lx;
  const { replicas: R, sweeps, quiet } = o;
  const config = {
    Lx,
    Ly,
    replicas: R,
    J: o.J,
    h: o.h,
    temperatures: [o.T],
    algorithm: o.algorithm,
    seed: o.seed,
    init: o.init,
    couplings: couplingsOfFlags(o, Lx, Ly),
  };
  const ctx = await openCliDevice(o.adapter, quiet);
  const gpu = await GpuIsingSampler.create(ctx, config, { kernel: o.kernel });
  const cpu = new CpuIsingSampler(config, { kernel: o.kernel });
  const t0 = performance.now();
  const g = await gpu.run({ sweeps, measureEvery: 0, onProgress: progressReporter('gpu', !quiet) });
  const t1 = performance.now();
  const c = await cpu.run({ sweeps, measureEvery: 0, onProgress: progressReporter('cpu reference', !quiet) });
  const t2 = performance.now();
  const [sg, sc] = [await gpu.spins(), await cpu.spins()];
  const [og, oc] = [await gpu.observe(), await cpu.observe()];
  gpu.destroy();
  ctx.destroy();
  let first: { replica: number; x: number; y: number } | null = null;
  let mismatches = 0;
  for (let i = 0; i < sg.length; i++) {
    if (sg[i] !== sc[i]) {
      mismatches++;
      if (!first) {
        const replica = Math.floor(i / (Lx * Ly));
        const j = i - replica * Lx * Ly;
        first = { replica, x: j % Lx, y: Math.floor(j / Lx) };
      }
    }
  }
  const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => Array.from(a).every((v, i) => v === b[i]);
  const identical =
    mismatches === 0 && same(og.bonds, oc.bonds) && same(og.magnetization, oc.magnetization) && same(g.flips, c.flips);
  return {
    identical,
    sites: sg.length,
    mismatched_sites: mismatches,
    first_mismatch: first,
    bonds_gpu: Array.from(og.bonds),
    bonds_cpu: Array.from(oc.bonds),
    magnetization_gpu: Array.from(og.magnetization),
    magnetization_cpu: Array.from(oc.magnetization),
    flips_gpu: Array.from(g.flips),
    flips_cpu: Array.from(c.flips),
    L: Lx,
    ...(Ly !== Lx ? { Ly } : {}),
    sweeps,
    replicas: R,
    T: config.temperatures[0],
    h: config.h,
    algorithm: config.algorithm,
    seed: config.seed,
    kernel: gpu.kernel.name,
    adapter: ctx.adapterName,
    gpu_seconds: (t1 - t0) / 1000,
    cpu_seconds: (t2 - t1) / 1000,
  };
}
