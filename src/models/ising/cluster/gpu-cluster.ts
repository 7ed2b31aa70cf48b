/**
 * The GPU side of the cluster updates (shaders/ising/cluster/): the pipelines, which share the
 * Ising sampler's group 0 (spins, slots, flip counters, the Step uniform with the sweep number)
 * and add group 1 (the cluster thresholds, labels and charges), and the dispatches of one
 * Swendsen–Wang sweep or Wolff step. Labels are canonical (smallest site index), so the result
 * equals the CPU twin (cpu-cluster.ts) bit for bit.
 */

import { bindingTable, createBindGroup, createBindGroupLayout, wgslBindings } from '../../../gpu/bindings.ts';
import { checkStorageFits, createBuffer, usage } from '../../../gpu/buffers.ts';
import { createComputePipeline, type GpuContext } from '../../../gpu/device.ts';
import { declareConstant } from '../../../gpu/shaders.ts';
import { u32Struct } from '../../../gpu/uniforms.ts';
import { ParameterError } from '../../../params/errors.ts';
import { CLUSTER_PHASES } from '../../../rng/cluster-words.ts';
import { STREAMS } from '../../../rng/streams.ts';
import { isClusterAlgorithm, type Algorithm, type ClusterAlgorithm, type ResolvedIsingConfig } from '../config.ts';
import { isingShaderSource, NO_SAMPLE } from '../gpu-layout.ts';
import type { KernelSpec } from '../kernels.ts';
import { SampleRing } from '../../../gpu/sample-ring.ts';
import { wolffMoment } from './cpu-wolff.ts';
import { bondThresholds, clusterSpinTables } from './tables.ts';

/** Sites per replica, groups of 4 sites (threads), clamp of the charge, J < 0, workgroups along x. */
const CLUSTER_PARAMS = u32Struct('ClusterParams', ['n', 'groups', 'q_max', 'antiferro', 'wg_x']);

/** Group 1 of the cluster kernels (group 0 is the sampler's). */
const CLUSTER_BINDINGS = bindingTable('cluster', 1, {
  CP: { kind: 'uniform', type: 'ClusterParams' },
  /** Activation threshold of a satisfied bond, per temperature slot. */
  bond_thresholds: { kind: 'read-only-storage', type: 'array<u32>' },
  /** "Label site up" thresholds [slot * (2 q_max + 1) + q + q_max] (cluster/tables.ts). */
  spin_thresholds: { kind: 'read-only-storage', type: 'array<u32>' },
  /** Union–find parent of each site [r * n + i]; after cluster_charge, the canonical label. */
  labels: { kind: 'storage', type: 'array<atomic<u32>>' },
  /** Charge q of each cluster at its label site, then its flip flag. */
  charge: { kind: 'storage', type: 'array<atomic<i32>>' },
  /**
   * A SampleRing: R unused counters, then per measured sample and replica the words of the
   * improved M² estimate ([R + (sample * R + r) * 2 + w], see clusterMoment).
   */
  cstats: { kind: 'storage', type: 'array<atomic<u32>>' },
});

/** Words per ring entry of the improved estimator. */
const MOMENT_WORDS = 2;

/**
 * The M² estimate (RunResult.clusterMoments) of a ring entry: Swendsen–Wang Σ q² from its (lo, hi)
 * words; Wolff N·q²/|C| from (|C|, q) as the CPU twin computes it (wolffMoment).
 */
function clusterMoment(algorithm: ClusterAlgorithm, w0: number, w1: number, N: number): number {
  return algorithm === 'wolff' ? wolffMoment(N, w1 | 0, w0) : w1 * 2 ** 32 + w0;
}

const ENTRIES = ['cluster_init', 'cluster_bonds', 'cluster_charge', 'cluster_decide', 'cluster_flip', 'wolff_flip'];
type Entry = (typeof ENTRIES)[number];

/** The dispatches of one step of each algorithm, in order. */
const STEPS: Record<ClusterAlgorithm, Entry[]> = {
  'swendsen-wang': ['cluster_init', 'cluster_bonds', 'cluster_charge', 'cluster_decide', 'cluster_flip'],
  wolff: ['cluster_init', 'cluster_bonds', 'cluster_charge', 'wolff_flip'],
};

/** Throws ParameterError when a cluster algorithm is asked of a kernel other than checkerboard-u32. */
export function checkClusterKernel(algorithm: Algorithm, kernel: KernelSpec): void {
  if (isClusterAlgorithm(algorithm) && kernel.name !== 'checkerboard-u32') {
    throw new ParameterError(
      'kernel',
      `algorithm ${algorithm} runs on kernel checkerboard-u32 only (the cluster kernels read one u32 per spin), got kernel ${kernel.name}`,
    );
  }
}

export class GpuClusterUpdate {
  private readonly params: GPUBuffer;
  /**
   * Each site's union–find parent [r * n + i] (u32, i = y·Lx + x); after a step, its canonical
   * label (the smallest site index of its cluster). Renderers read it in place (render/lattice-view.ts).
   */
  readonly labels: GPUBuffer;
  private readonly charge: GPUBuffer;
  private bondThresholds: GPUBuffer;
  private spinThresholds: GPUBuffer;
  private bindGroup!: GPUBindGroup;
  private readonly ring: SampleRing;
  /** Workgroups along x and z of each dispatch (y: replicas). */
  private readonly grid: [number, number];

  /** Build for the sampler's lattice; `wgSize` threads per workgroup, each thread 4 sites; room for `ringSamples` samples. */
  static async create(
    ctx: GpuContext,
    samplerLayout: GPUBindGroupLayout,
    kernel: KernelSpec,
    config: Readonly<ResolvedIsingConfig>,
    geometry: { wgSize: number; ringSamples: number },
  ): Promise<GpuClusterUpdate> {
    const device = ctx.device;
    const layout = createBindGroupLayout(device, CLUSTER_BINDINGS);
    const code = isingShaderSource(
      kernel,
      ['ising/cluster/union-find.wgsl', 'ising/cluster/cluster.wgsl'],
      [
        CLUSTER_PARAMS.wgsl(),
        wgslBindings(CLUSTER_BINDINGS),
        declareConstant('STREAM_CLUSTER_BONDS', { u32: STREAMS.CLUSTER_BONDS }),
        declareConstant('STREAM_CLUSTER_SPINS', { u32: STREAMS.CLUSTER_SPINS }),
        declareConstant('NO_SAMPLE', { u32: NO_SAMPLE }),
        ...Object.entries(CLUSTER_PHASES).map(([k, v]) => declareConstant(`PHASE_${k}`, { u32: v })),
      ],
    );
    const pipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [samplerLayout, layout] });
    const pipelines = await Promise.all(
      ENTRIES.map((e) =>
        createComputePipeline(device, `ising ${e}`, code, pipelineLayout, e, { WG_SIZE: geometry.wgSize }),
      ),
    );
    const byEntry = Object.fromEntries(ENTRIES.map((e, i) => [e, pipelines[i]])) as Record<Entry, GPUComputePipeline>;
    return new GpuClusterUpdate(ctx, layout, byEntry, config, geometry);
  }

  private constructor(
    private readonly ctx: GpuContext,
    private readonly layout: GPUBindGroupLayout,
    private readonly pipelines: Record<Entry, GPUComputePipeline>,
    config: Readonly<ResolvedIsingConfig>,
    { wgSize, ringSamples }: { wgSize: number; ringSamples: number },
  ) {
    const device = ctx.device;
    const { Lx, Ly, replicas: R } = config;
    this.ring = new SampleRing(ctx, 'cluster', R, ringSamples, MOMENT_WORDS);
    const bytes = 4 * Lx * Ly * R;
    checkStorageFits(
      device,
      bytes,
      (limit, available) =>
        `cluster labels of a ${Lx}x${Ly} lattice with ${R} replica(s) need ${bytes} bytes, but this device's ${limit} is ${available}`,
    );
    const wgs = Math.ceil((Lx * Ly) / 4 / wgSize);
    const wgX = Math.min(wgs, device.limits.maxComputeWorkgroupsPerDimension);
    this.grid = [wgX, Math.ceil(wgs / wgX)];
    this.params = createBuffer(device, 'cluster params', CLUSTER_PARAMS.bytes, usage.uniform());
    this.labels = createBuffer(device, 'cluster labels', bytes, usage.state());
    this.charge = createBuffer(device, 'cluster charge', bytes, usage.state());
    this.bondThresholds = createBuffer(device, 'bond thresholds', 16, usage.input());
    this.spinThresholds = createBuffer(device, 'cluster spin thresholds', 16, usage.input());
  }

  /** Load the thresholds and parameters of `config` (before each run: T, J, h or K may have changed). */
  prepare(config: Readonly<ResolvedIsingConfig>): void {
    const device = this.ctx.device;
    const N = config.Lx * config.Ly;
    const bonds = bondThresholds(config.temperatures, config.J);
    const spins = clusterSpinTables(config.temperatures, config.h, N);
    checkStorageFits(
      device,
      spins.table.byteLength,
      (limit, available) =>
        `the cluster-spin thresholds at h = ${config.h} cover cluster charges up to ${spins.Q} in ${config.temperatures.length} slot(s), ` +
        `${spins.table.byteLength} bytes, more than this device's ${limit} ${available} (a larger |h| or fewer temperatures need fewer)`,
    );
    this.bondThresholds = this.fit(this.bondThresholds, 'bond thresholds', bonds.byteLength);
    this.spinThresholds = this.fit(this.spinThresholds, 'cluster spin thresholds', spins.table.byteLength);
    device.queue.writeBuffer(this.bondThresholds, 0, bonds);
    device.queue.writeBuffer(this.spinThresholds, 0, spins.table);
    const antiferro = config.J < 0 ? 1 : 0;
    const p = { n: N, groups: N / 4, q_max: spins.Q, antiferro, wg_x: this.grid[0] };
    device.queue.writeBuffer(this.params, 0, CLUSTER_PARAMS.pack(p));
    this.bindGroup = createBindGroup(device, CLUSTER_BINDINGS, this.layout, {
      CP: this.params,
      bond_thresholds: this.bondThresholds,
      spin_thresholds: this.spinThresholds,
      labels: this.labels,
      charge: this.charge,
      cstats: this.ring.stats,
    });
  }

  /** A buffer of at least `bytes` (the old one when it is big enough). */
  private fit(buffer: GPUBuffer, label: string, bytes: number): GPUBuffer {
    if (buffer.size >= bytes) return buffer;
    buffer.destroy();
    return createBuffer(this.ctx.device, label, bytes, usage.input());
  }

  /** The dispatches of one step for R replicas (group 0 already bound at the sweep's Step). */
  encode(pass: GPUComputePassEncoder, algorithm: ClusterAlgorithm, R: number): void {
    pass.setBindGroup(1, this.bindGroup);
    for (const entry of STEPS[algorithm]) {
      pass.setPipeline(this.pipelines[entry]);
      pass.dispatchWorkgroups(this.grid[0], R, this.grid[1]);
    }
  }

  /** Zero the batch's ring entries (before the compute pass). */
  clear(enc: GPUCommandEncoder, samples: number): void {
    this.ring.clear(enc, samples);
  }

  /** Copy the batch's entries to staging `index % 2` (after the pass). */
  copyOut(enc: GPUCommandEncoder, index: number, samples: number): void {
    this.ring.copyOut(enc, index, samples);
  }

  /** The M² estimates of a batch's samples ([k·R + r]), from staging `index % 2`. */
  async moments(index: number, samples: number, algorithm: ClusterAlgorithm, N: number): Promise<Float64Array> {
    const { words } = await this.ring.read(index, samples);
    const R = this.ring.replicas;
    const out = new Float64Array(samples * R);
    for (let k = 0; k < samples * R; k++) {
      const at = R + k * MOMENT_WORDS;
      out[k] = clusterMoment(algorithm, words[at], words[at + 1], N);
    }
    return out;
  }

  destroy(): void {
    for (const b of [this.params, this.labels, this.charge, this.bondThresholds, this.spinThresholds]) b.destroy();
    this.ring.destroy();
  }
}
