/**
 * The CPU twin of the GPU cluster kernels (shaders/ising/cluster/): one Swendsen–Wang sweep or one
 * Wolff cluster flip (cpu-wolff.ts) of a replica, from the random words of src/rng/cluster-words.ts
 * and the thresholds of tables.ts. Clusters are found by a sequential union–find that links the
 * larger root to the smaller, so every cluster ends up labelled by its smallest site index: the
 * same canonical labels as the GPU's, whatever the order of the unions, hence the same lattices.
 */

import { bondWords, clusterSpinWords, CLUSTER_PHASES } from '../../../rng/cluster-words.ts';
import type { ClusterAlgorithm, ResolvedIsingConfig } from '../config.ts';
import { CpuWolff } from './cpu-wolff.ts';
import {
  bondSatisfied,
  bondThresholds,
  clusterSpinIndex,
  clusterSpinTables,
  type ClusterSpinTables,
} from './tables.ts';

export class CpuClusterUpdate {
  /** Union–find parent of each site; after labelling, the canonical label. */
  private readonly parent: Int32Array;
  /** Charge q of each cluster at its label site, then that cluster's flip flag (Swendsen–Wang). */
  private readonly charge: Int32Array;
  private readonly right = new Uint32Array(4);
  private readonly down = new Uint32Array(4);
  private readonly spinWords = new Uint32Array(4);
  private bonds!: Uint32Array;
  private spins!: ClusterSpinTables;
  private J = 1;
  /** Whether `parent` holds the labels of a Swendsen–Wang step. */
  private labelled = false;
  private readonly wolff: CpuWolff;

  constructor(
    private readonly Lx: number,
    private readonly Ly: number,
    private readonly key: readonly [number, number],
  ) {
    this.parent = new Int32Array(Lx * Ly);
    this.charge = new Int32Array(Lx * Ly);
    this.wolff = new CpuWolff(Lx, Ly, key);
  }

  /** Recompute the thresholds from the config (after a parameter change). */
  setTables(config: Readonly<ResolvedIsingConfig>): void {
    this.J = config.J;
    this.bonds = bondThresholds(config.temperatures, config.J);
    this.spins = clusterSpinTables(config.temperatures, config.h, this.Lx * this.Ly);
  }

  /**
   * One step of `algorithm` on replica r (0/1 spins at s[base …]): the spins flipped, and the
   * step's improved estimate of M² (RunResult.clusterMoments).
   */
  step(
    algorithm: ClusterAlgorithm,
    s: Uint8Array,
    base: number,
    r: number,
    slot: number,
    sweep: number,
  ): { flipped: number; moment: number } {
    if (algorithm === 'wolff') return this.wolff.step(s, base, r, sweep, this.bonds[slot], this.J);
    this.label(s, base, r, slot, sweep);
    return this.newClusterSpins(s, base, r, slot, sweep);
  }

  /**
   * After a Swendsen–Wang step of a replica: its sites' canonical labels (the smallest site index of
   * each cluster, natural order), as the GPU's label buffer holds them; undefined before the first.
   * A view, changed by the next step.
   */
  get labels(): Int32Array | undefined {
    return this.labelled ? this.parent : undefined;
  }

  private find(i: number): number {
    const p = this.parent;
    while (p[i] !== i) {
      p[i] = p[p[i]]; // path halving: parents only move to smaller indices
      i = p[i];
    }
    return i;
  }

  private unite(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra < rb) this.parent[rb] = ra;
    else if (rb < ra) this.parent[ra] = rb;
  }

  /** Activate bonds and label the clusters: parent[i] = smallest site index of i's cluster. */
  private label(s: Uint8Array, base: number, r: number, slot: number, sweep: number): void {
    const { Lx, Ly, parent, J } = this;
    const N = Lx * Ly;
    const t = this.bonds[slot];
    for (let i = 0; i < N; i++) parent[i] = i;
    for (let g = 0; g < N / 4; g++) {
      bondWords(this.key, r, sweep, CLUSTER_PHASES.BOND_RIGHT, g, this.right);
      bondWords(this.key, r, sweep, CLUSTER_PHASES.BOND_DOWN, g, this.down);
      for (let k = 0; k < 4; k++) {
        const i = 4 * g + k;
        const x = i % Lx;
        const y = (i - x) / Lx;
        const right = y * Lx + (x + 1 === Lx ? 0 : x + 1);
        const below = (y + 1 === Ly ? 0 : y + 1) * Lx + x;
        if (this.right[k] < t && bondSatisfied(J, s[base + i], s[base + right])) this.unite(i, right);
        if (this.down[k] < t && bondSatisfied(J, s[base + i], s[base + below])) this.unite(i, below);
      }
    }
    // parent[i] ≤ i, so in increasing order parent[parent[i]] is already a root.
    for (let i = 0; i < N; i++) parent[i] = parent[parent[i]];
    this.labelled = true;
  }

  /** Swendsen–Wang: each cluster's label site takes its new spin from the table; the rest follow. */
  private newClusterSpins(s: Uint8Array, base: number, r: number, slot: number, sweep: number) {
    const { parent, charge } = this;
    const N = parent.length;
    charge.fill(0);
    for (let i = 0; i < N; i++) charge[parent[i]] += s[base + i] === s[base + parent[i]] ? 1 : -1;
    const { Q, table } = this.spins;
    let flipped = 0;
    let moment = 0;
    let group = -1;
    for (let i = 0; i < N; i++) {
      if (parent[i] === i) {
        moment += charge[i] * charge[i];
        if (i >> 2 !== group) {
          group = i >> 2;
          clusterSpinWords(this.key, r, sweep, group, this.spinWords);
        }
        const up = this.spinWords[i & 3] < table[clusterSpinIndex(slot, charge[i], Q)] ? 1 : 0;
        charge[i] = up === s[base + i] ? 0 : 1;
      }
      if (charge[parent[i]] === 1) {
        s[base + i] ^= 1;
        flipped++;
      }
    }
    return { flipped, moment };
  }
}
