/**
 * CPU reference sampler: the same algorithm as the WGSL kernels, written plainly, with the same
 * random words (src/rng) and the same integer thresholds, so its lattices equal the GPU's bit
 * for bit after any number of sweeps. It is the oracle of the GPU tests and the fallback where
 * WebGPU is missing.
 */

import { philox4x32 } from '../../rng/philox.ts';
import { STREAMS, seedKey, sweepWords } from '../../rng/streams.ts';
import { N_CLASSES, classIndex, colourSite, groupsPerColour } from './layout.ts';
import { checkRunOptions, checkState, type IsingSampler, type RunOptions, type RunResult } from './sampler.ts';
import { exchangeStep, slotReplicas, swapAttempts } from '../../tempering/exchange.ts';
import { checkSlots } from '../../params/checks.ts';
import { checkParameter } from '../../params/errors.ts';
import { CpuClusterUpdate } from './cluster/cpu-cluster.ts';
import { lowestModeStructureFactor } from './structure.ts';
import { antiferroBits } from './couplings.ts';
import { overlapPartner } from './overlap.ts';
import { autoKernel, checkKernelFits, kernelByName, type KernelChoice } from './kernels.ts';
import { planesHalfSweep } from './planes/cpu-planes.ts';
import {
  isClusterAlgorithm,
  replicasPerSample,
  resolveConfig,
  thresholdTables,
  updateConfig,
  type IsingConfig,
  type ParameterUpdate,
  type ResolvedIsingConfig,
} from './config.ts';

/** Most spins (one byte each, all replicas) the CPU reference holds: 256 MiB, and seconds per sweep. */
export const MAX_CPU_SPINS = 2 ** 28;

/** Options of the CPU reference beyond the model's parameters. */
export interface CpuSamplerOptions {
  /** Follow this GPU kernel's random-number mapping (kernels.ts `decisions`; auto: autoKernel's; default: per site). */
  kernel?: KernelChoice;
}

export class CpuIsingSampler implements IsingSampler {
  readonly backend = 'cpu' as const;
  config: ResolvedIsingConfig;
  /** Random-number mapping of the decisions: per site (streams.ts) or bit planes (rng/planes.ts). */
  readonly decisions: 'site' | 'planes';
  sweepsDone = 0;
  /** 0/1 spins, replica-major, row-major (the GPU layout). */
  readonly lattice: Uint8Array;
  private tables: Uint32Array;
  private readonly key: [number, number];
  private readonly words = new Uint32Array(4);
  /** With couplings: antiferromagnetic-bond bits (bit 0 right, bit 1 down) per sample and site. */
  private afm?: Uint8Array;
  /** Swendsen–Wang / Wolff, made when the algorithm is a cluster update. */
  private cluster?: CpuClusterUpdate;

  constructor(config: IsingConfig, options: CpuSamplerOptions = {}) {
    this.config = resolveConfig(config);
    this.setCouplings();
    const { Lx, Ly, replicas, init } = this.config;
    checkParameter(
      replicas * Lx * Ly <= MAX_CPU_SPINS,
      'L',
      `x Ly x replicas must be at most ${MAX_CPU_SPINS} spins (256 MiB) on the CPU reference, got ${Lx} x ${Ly} x ${replicas}; use the GPU`,
    );
    const name = options.kernel === 'auto' ? autoKernel(Lx, Ly) : options.kernel;
    const kernel = name ? kernelByName(name) : undefined;
    if (kernel?.decisions === 'planes') checkKernelFits(kernel, Lx, Ly);
    this.decisions = kernel?.decisions ?? 'site';
    checkParameter(
      !this.config.couplings || this.decisions === 'site',
      'kernel',
      `${kernel?.name} has no ±J couplings (bit-plane decisions); use a kernel with one random word per site`,
    );
    this.key = seedKey(this.config.seed);
    this.tables = this.makeTables();
    this.lattice = new Uint8Array(replicas * Lx * Ly);
    if (init instanceof Int8Array) {
      for (let i = 0; i < init.length; i++) this.lattice[i] = init[i] > 0 ? 1 : 0;
    } else if (init === 'cold') {
      this.lattice.fill(1);
    } else {
      this.initHot();
    }
  }

  private initHot(): void {
    const { Lx, Ly, replicas } = this.config;
    const half = (Lx * Ly) / 2;
    const groups = groupsPerColour(Lx, Ly);
    for (let r = 0; r < replicas; r++) {
      for (let c = 0; c < 2; c++) {
        const [c2, c3] = sweepWords(0, c, STREAMS.ISING_INIT);
        for (let g = 0; g < groups; g++) {
          philox4x32(g, this.config.replicaBase + r, c2, c3, this.key[0], this.key[1], this.words);
          for (let k = 0; k < 4 && 4 * g + k < half; k++) {
            const [x, y] = colourSite(4 * g + k, c, Lx);
            this.lattice[(r * Ly + y) * Lx + x] = this.words[k] >>> 31;
          }
        }
      }
    }
  }

  /** One checkerboard half-sweep of every replica; returns nothing, counts flips into `flips`. */
  private halfSweep(phase: number, flips: Float64Array): void {
    const { Lx, Ly, replicas, slots } = this.config;
    if (this.decisions === 'planes') {
      const tables = this.tables;
      const { replicaBase } = this.config;
      const planes = { lattice: this.lattice, Lx, Ly, slots, tables, key: this.key, replicaBase };
      planesHalfSweep(planes, this.sweepsDone, phase, flips);
      return;
    }
    const half = (Lx * Ly) / 2;
    const hx = Lx / 2;
    const groups = groupsPerColour(Lx, Ly);
    const [c2, c3] = sweepWords(this.sweepsDone, phase, STREAMS.ISING_UPDATE);
    const s = this.lattice;
    const w = this.words;
    const rb = this.config.replicaBase;
    for (let r = 0; r < replicas; r++) {
      const base = r * Lx * Ly;
      const table = slots[r] * N_CLASSES;
      const a = this.afm;
      const bondBase = a ? Math.floor(r / replicasPerSample(this.config)) * Lx * Ly : 0;
      let accepted = 0;
      for (let g = 0; g < groups; g++) {
        philox4x32(g, rb + r, c2, c3, this.key[0], this.key[1], w);
        for (let k = 0; k < 4; k++) {
          const n = 4 * g + k;
          if (n >= half) break;
          const y = Math.floor(n / hx);
          const x = 2 * (n % hx) + ((y + phase) & 1);
          const row = base + y * Lx;
          const xl = x === 0 ? Lx - 1 : x - 1;
          const xr = x + 1 === Lx ? 0 : x + 1;
          const yu = y === 0 ? Ly - 1 : y - 1;
          const yd = y + 1 === Ly ? 0 : y + 1;
          // With couplings: neighbours with J_ij s_j = +1, i.e. s_j XOR the bond's antiferromagnetic
          // bit (bit 0 of a site: its right bond, bit 1: its down bond), as the kernels count.
          const own = a ? a[bondBase + y * Lx + x] : 0;
          const up = a
            ? (s[row + xl] ^ (a[bondBase + y * Lx + xl] & 1)) +
              (s[row + xr] ^ (own & 1)) +
              (s[base + yu * Lx + x] ^ (a[bondBase + yu * Lx + x] >> 1)) +
              (s[base + yd * Lx + x] ^ (own >> 1))
            : s[row + xl] + s[row + xr] + s[base + yu * Lx + x] + s[base + yd * Lx + x];
          const i = row + x;
          const spin = s[i];
          if (w[k] < this.tables[table + classIndex(spin, up)]) {
            s[i] = 1 - spin;
            accepted++;
          }
        }
      }
      flips[r] += accepted;
    }
  }

  private setCouplings(): void {
    const c = this.config.couplings;
    if (!c) {
      this.afm = undefined;
      return;
    }
    const N = this.config.Lx * this.config.Ly;
    this.afm = new Uint8Array(c.length * N);
    c.forEach((sample, k) => {
      this.afm!.set(antiferroBits(sample), k * N);
    });
  }

  /** The single-spin threshold tables, and the cluster thresholds when the algorithm is a cluster update. */
  private makeTables(): Uint32Array {
    const { algorithm, temperatures, J, h, Lx, Ly } = this.config;
    if (isClusterAlgorithm(algorithm)) {
      this.cluster ??= new CpuClusterUpdate(Lx, Ly, this.key);
      this.cluster.setTables(this.config);
    }
    return thresholdTables(algorithm, temperatures, J, h);
  }

  /**
   * A copy of the cluster labels of the last Swendsen–Wang step (canonical: each site's cluster's
   * smallest site index, natural order) of the last replica stepped (the only one when R = 1);
   * undefined before the first cluster step.
   */
  clusterLabels(): Int32Array | undefined {
    return this.cluster?.labels?.slice();
  }

  /** One sweep of every replica: both checkerboard colours, or one cluster step (its M² estimates into `moments`). */
  private sweep(flips: Float64Array, moments: Float64Array): void {
    const { algorithm, Lx, Ly, replicas, slots } = this.config;
    if (!isClusterAlgorithm(algorithm)) {
      this.halfSweep(0, flips);
      this.halfSweep(1, flips);
      return;
    }
    for (let r = 0; r < replicas; r++) {
      const step = this.cluster!.step(algorithm, this.lattice, r * Lx * Ly, r, slots[r], this.sweepsDone);
      flips[r] += step.flipped;
      moments[r] = step.moment;
    }
  }

  /** Bond sum Σ J_ij s_i s_j over right and down bonds (J_ij = 1 without couplings) and Σ s of replica r. */
  private measureReplica(r: number): [number, number] {
    const { Lx, Ly } = this.config;
    const s = this.lattice;
    const base = r * Lx * Ly;
    const a = this.afm;
    const cbase = a ? Math.floor(r / replicasPerSample(this.config)) * Lx * Ly : 0;
    let b = 0;
    let m = 0;
    for (let y = 0; y < Ly; y++) {
      const yd = y + 1 === Ly ? 0 : y + 1;
      for (let x = 0; x < Lx; x++) {
        const xr = x + 1 === Lx ? 0 : x + 1;
        const si = 2 * s[base + y * Lx + x] - 1;
        const bits = a ? a[cbase + y * Lx + x] : 0;
        const jr = 1 - 2 * (bits & 1);
        const jd = 1 - 2 * (bits >> 1);
        b += si * (jr * (2 * s[base + y * Lx + xr] - 1) + jd * (2 * s[base + yd * Lx + x] - 1));
        m += si;
      }
    }
    return [b, m];
  }

  /**
   * Spin overlap Σ_i s_i^r s_i^p and link overlap Σ_<ij> (s_i s_j)^r (s_i s_j)^p (right and down
   * bonds) of replica r with its overlap partner p ([0, 0] when it has none).
   */
  private overlapsOf(r: number): [number, number] {
    const { Lx, Ly, slots, temperatures } = this.config;
    const p = overlapPartner(r, slots, replicasPerSample(this.config), temperatures.length);
    if (p < 0) return [0, 0];
    const N = Lx * Ly;
    const s = this.lattice;
    // Differences d_i = s_i^r XOR s_i^p: a bond agrees in both replicas iff d_i = d_j.
    const d = (x: number, y: number) => s[r * N + y * Lx + x] ^ s[p * N + y * Lx + x];
    let differ = 0;
    let linkDiffer = 0;
    for (let y = 0; y < Ly; y++) {
      for (let x = 0; x < Lx; x++) {
        const di = d(x, y);
        differ += di;
        linkDiffer += (di ^ d(x + 1 === Lx ? 0 : x + 1, y)) + (di ^ d(x, y + 1 === Ly ? 0 : y + 1));
      }
    }
    return [N - 2 * differ, 2 * N - 2 * linkDiffer];
  }

  private measureInto(bonds: Int32Array, mag: Int32Array, offset: number, overlaps?: [Int32Array, Int32Array]): void {
    for (let r = 0; r < this.config.replicas; r++) {
      [bonds[offset + r], mag[offset + r]] = this.measureReplica(r);
      if (overlaps) [overlaps[0][offset + r], overlaps[1][offset + r]] = this.overlapsOf(r);
    }
  }

  /** F of every replica from its column and row sums, at [offset + r]. */
  private structureFactorInto(out: Float64Array, offset: number): void {
    const { Lx, Ly, replicas } = this.config;
    const cols = new Int32Array(Lx);
    const rows = new Int32Array(Ly);
    for (let r = 0; r < replicas; r++) {
      cols.fill(0);
      rows.fill(0);
      for (let y = 0; y < Ly; y++) {
        for (let x = 0; x < Lx; x++) {
          const s = 2 * this.lattice[(r * Ly + y) * Lx + x] - 1;
          cols[x] += s;
          rows[y] += s;
        }
      }
      out[offset + r] = lowestModeStructureFactor(cols, rows);
    }
  }

  async run(options: RunOptions): Promise<RunResult> {
    const { sweeps, measureEvery } = checkRunOptions(options, this.config);
    const R = this.config.replicas;
    const samples = measureEvery > 0 ? Math.floor(sweeps / measureEvery) : 0;
    const bonds = new Int32Array(samples * R);
    const magnetization = new Int32Array(samples * R);
    const overlaps: [Int32Array, Int32Array] | undefined = this.afm
      ? [new Int32Array(samples * R), new Int32Array(samples * R)]
      : undefined;
    const flips = new Float64Array(R);
    const plan = options.tempering;
    const K = this.config.temperatures.length;
    const slotReplica = plan ? slotReplicas(this.config.slots, K) : undefined;
    const permutations = plan ? new Uint32Array(samples * R) : undefined;
    const swapAccepted = plan ? new Float64Array(Math.max(0, K - 1)) : undefined;
    const firstSweep = this.sweepsDone;
    const clusterMoments = isClusterAlgorithm(this.config.algorithm) ? new Float64Array(samples * R) : undefined;
    const moments = new Float64Array(R);
    const structureFactor = options.structureFactor ? new Float64Array(samples * R) : undefined;
    let k = 0;
    for (let t = 0; t < sweeps; t++) {
      this.sweep(flips, moments);
      this.sweepsDone++;
      if (measureEvery > 0 && (t + 1) % measureEvery === 0) {
        const at = R * k++;
        this.measureInto(bonds, magnetization, at, overlaps);
        clusterMoments?.set(moments, at);
        if (structureFactor) this.structureFactorInto(structureFactor, at);
        if (plan && slotReplica && permutations && swapAccepted) {
          permutations.set(slotReplica, at); // the slots as they were during this sweep
          for (let c = 0; c < R / K; c++) {
            exchangeStep(
              slotReplica,
              this.config.slots,
              (r) => bonds[at + r],
              plan,
              this.key,
              c,
              this.sweepsDone - 1,
              swapAccepted,
              this.words,
              this.config.replicaBase / K,
            );
          }
        }
      }
      if (options.onProgress && ((t + 1) % 1024 === 0 || t + 1 === sweeps)) options.onProgress(t + 1, sweeps);
    }
    const result: RunResult = { sweeps, samples, replicas: R, bonds, magnetization, flips };
    if (overlaps) [result.overlap, result.linkOverlap] = overlaps;
    if (clusterMoments) result.clusterMoments = clusterMoments;
    if (structureFactor) result.structureFactor = structureFactor;
    if (plan) {
      result.permutations = permutations;
      result.swapAccepted = swapAccepted;
      result.swapAttempted = swapAttempts(K, plan.every, firstSweep, this.sweepsDone).map((a) => a * (R / K));
    }
    return result;
  }

  async spins(): Promise<Int8Array> {
    return Int8Array.from(this.lattice, (v) => 2 * v - 1);
  }

  restore(state: { spins: Int8Array; sweepsDone?: number }): void {
    checkState(state, this.config);
    for (let i = 0; i < state.spins.length; i++) this.lattice[i] = state.spins[i] > 0 ? 1 : 0;
    if (state.sweepsDone !== undefined) this.sweepsDone = state.sweepsDone;
  }

  async observe(): Promise<{ bonds: Int32Array; magnetization: Int32Array }> {
    const R = this.config.replicas;
    const bonds = new Int32Array(R);
    const magnetization = new Int32Array(R);
    this.measureInto(bonds, magnetization, 0);
    return { bonds, magnetization };
  }

  setSlots(slots: readonly number[]): void {
    this.config.slots = checkSlots(slots, this.config.replicas, this.config.temperatures.length);
  }

  setParameters(p: ParameterUpdate): void {
    this.config = updateConfig(this.config, p);
    this.setCouplings();
    this.tables = this.makeTables();
  }

  destroy(): void {}
}
