/**
 * The host↔WGSL contract of the Ising kernels, written once: the uniform structs, the binding
 * table of group 0 (shared with the exchange and the renderers, which add group 1), and the
 * generated prelude that isingShaderSource puts before shaders/ising/*.wgsl.
 */

import { bindingTable, wgslBindings } from '../../gpu/bindings.ts';
import { assembleShader } from '../../gpu/shaders.ts';
import { u32Struct } from '../../gpu/uniforms.ts';
import { STREAMS } from '../../rng/streams.ts';
import { KERNELS, type KernelSpec } from './kernels.ts';
import { CLASS_STRIDE, INIT_MODES, N_CLASSES, WGSL_CLASS_INDEX } from './layout.ts';

/**
 * Per-lattice parameters. half = lx·ly/2 (sites of one colour); groups = ceil(half/4) (Philox calls
 * per colour); sweep_wg_x: workgroups along x of a sweep dispatch (the rest folds into z);
 * measure_wg_x: workgroups per replica of a measurement dispatch; glass: 1 with ±J couplings
 * (binding `couplings`), 0 for the ferromagnet; sample_replicas: replicas per disorder sample;
 * slots_k: temperature slots per chain (the overlap partner's chain, models/ising/overlap.ts);
 * replica_base: Philox replica index of replica 0 (IsingConfig.replicaBase; chains from replica_base / K).
 */
export const LATTICE_PARAMS = u32Struct('LatticeParams', [
  'lx',
  'ly',
  'replicas',
  'half',
  'groups',
  'seed_lo',
  'seed_hi',
  'sweep_wg_x',
  'measure_wg_x',
  'glass',
  'sample_replicas',
  'slots_k',
  'replica_base',
]);

/**
 * One per dispatch, selected with a dynamic uniform offset (WebGPU has no push constants):
 * absolute sweep number (low 32 bits, high 16 bits), the colour updated (0/1), the ring slot a
 * measurement writes, the init kernel's mode (INIT_HOT / INIT_COLD), and the exchange (0: record
 * the permutation only, 1 + parity: exchange pairs k ≡ parity). The resident kernel runs `sweeps`
 * sweeps from sweep_lo/hi and measures sweeps measure_first, measure_first + measure_every, …
 * into ring slots sample, sample + 1, … (planes/resident.ts).
 */
export const ISING_STEP = u32Struct('Step', [
  'sweep_lo',
  'sweep_hi',
  'phase',
  'sample',
  'mode',
  'exchange',
  'sweeps',
  'measure_first',
  'measure_every',
]);

/** Step.sample of a sweep that is not measured. */
export const NO_SAMPLE = 0xffffffff;

/** Group 0 of every Ising kernel. */
export const ISING_BINDINGS = bindingTable('ising', 0, {
  P: { kind: 'uniform', type: 'LatticeParams' },
  S: { kind: 'uniform', type: 'Step', dynamicBytes: ISING_STEP.bytes },
  /** Spins in the kernel's storage layout. */
  spins: { kind: 'storage', type: 'array<u32>' },
  /** Acceptance thresholds [slot * N_CLASSES + class_index(spin, up)]. */
  thresholds: { kind: 'read-only-storage', type: 'array<u32>' },
  /**
   * With couplings: per disorder sample and site, the antiferromagnetic bits of its right (bit 0)
   * and down (bit 1) bond, [sample * lx * ly + y * lx + x] (models/ising/couplings.ts).
   */
  couplings: { kind: 'read-only-storage', type: 'array<u32>' },
  /** Temperature slot of each replica (replica exchange permutes this, never the lattices). */
  replica_slot: { kind: 'storage', type: 'array<u32>' },
  /**
   * [0, replicas): accepted flips per replica in this batch; then the sample ring,
   * (sample * replicas + r) * ENTRY_WORDS + {0: bond sum, 1: magnetisation, 2: spin overlap and
   * 3: link overlap with the replica's partner (couplings only)} as two's-complement i32.
   */
  stats: { kind: 'storage', type: 'array<atomic<u32>>' },
});

/** Words of one ring entry: bond sum, magnetisation, spin overlap, link overlap. */
export const ISING_ENTRY_WORDS = 4;

/**
 * The WGSL of one kernel variant: the generated prelude (constants, structs, bindings, class
 * index), then philox, lattice and the kernel's files. `extra` files (exchange, renderers) come last
 * and may use the lattice bindings and the kernel's spin_at(r, x, y); `generated` adds their
 * prelude (their own group 1).
 */
export function isingShaderSource(
  kernel: KernelSpec = KERNELS['checkerboard-u32'],
  extra: string[] = [],
  generated: string[] = [],
): string {
  return assembleShader(
    ['philox.wgsl', 'ising/lattice.wgsl', ...kernel.files, 'ising/overlap.wgsl', ...extra],
    {
      ...kernel.constants,
      CLASS_STRIDE: { u32: CLASS_STRIDE },
      ENTRY_WORDS: { u32: ISING_ENTRY_WORDS },
      N_CLASSES: { u32: N_CLASSES },
      STREAM_ISING_UPDATE: { u32: STREAMS.ISING_UPDATE },
      STREAM_ISING_INIT: { u32: STREAMS.ISING_INIT },
      STREAM_TEMPERING: { u32: STREAMS.TEMPERING },
      INIT_HOT: { u32: INIT_MODES.HOT },
      INIT_COLD: { u32: INIT_MODES.COLD },
    },
    [LATTICE_PARAMS.wgsl(), ISING_STEP.wgsl(), wgslBindings(ISING_BINDINGS), WGSL_CLASS_INDEX, ...generated],
  );
}
