/**
 * Wolff on the CPU with a stack: the cluster of the seed site grown through the same bond graph as
 * the labelled one (a bond is active iff its word from src/rng/cluster-words.ts is below the
 * threshold and it is satisfied), asking Philox only for the bonds the cluster touches. So its
 * cluster is exactly the GPU's (the seed's labelled component), at O(|C|) cost instead of O(N).
 */

import { bondWords, CLUSTER_PHASES, wolffSeed } from '../../../rng/cluster-words.ts';
import { bondSatisfied } from './tables.ts';

/** Wolff's improved estimate of M²: N·q²/|C| (the seed's cluster is picked with probability |C|/N). */
export const wolffMoment = (N: number, q: number, size: number): number => (N * q * q) / size;

export class CpuWolff {
  /** Sites of the cluster, in the order they were reached (a stack while growing). */
  private readonly members: Int32Array;
  /** visited[i] === stamp: site i is in this step's cluster. */
  private readonly visited: Int32Array;
  /** Bond words of this step, [direction·N + i], valid where groupStamp[direction·N/4 + (i >> 2)] === stamp. */
  private readonly words: Uint32Array;
  private readonly groupStamp: Int32Array;
  private readonly group = new Uint32Array(4);
  private stamp = 0;

  constructor(
    private readonly Lx: number,
    private readonly Ly: number,
    private readonly key: readonly [number, number],
  ) {
    const N = Lx * Ly;
    this.members = new Int32Array(N);
    this.visited = new Int32Array(N);
    this.words = new Uint32Array(2 * N);
    this.groupStamp = new Int32Array(N / 2);
  }

  /** The word of the bond from `owner` to its right (direction 0) or down (1) neighbour. */
  private bondWord(owner: number, direction: number, r: number, sweep: number): number {
    const N = this.Lx * this.Ly;
    const g = owner >> 2;
    const at = (direction * N) / 4 + g;
    if (this.groupStamp[at] !== this.stamp) {
      this.groupStamp[at] = this.stamp;
      this.words.set(bondWords(this.key, r, sweep, direction, g, this.group), direction * N + 4 * g);
    }
    return this.words[direction * N + owner];
  }

  /** One Wolff step of replica r (0/1 spins at s[base …]) with bond threshold t and coupling J. */
  step(s: Uint8Array, base: number, r: number, sweep: number, t: number, J: number) {
    const { Lx, Ly, members, visited } = this;
    const N = Lx * Ly;
    if (++this.stamp === 2 ** 31 - 1) {
      this.stamp = 1;
      visited.fill(0);
      this.groupStamp.fill(0);
    }
    const stamp = this.stamp;
    const seed = wolffSeed(this.key, r, sweep, N);
    visited[seed] = stamp;
    members[0] = seed;
    let size = 1;
    const visit = (i: number, j: number, owner: number, direction: number): void => {
      if (visited[j] === stamp || !bondSatisfied(J, s[base + i], s[base + j])) return;
      if (this.bondWord(owner, direction, r, sweep) >= t) return;
      visited[j] = stamp;
      members[size++] = j;
    };
    for (let k = 0; k < size; k++) {
      const i = members[k];
      const x = i % Lx;
      const y = (i - x) / Lx;
      const right = y * Lx + (x + 1 === Lx ? 0 : x + 1);
      const left = y * Lx + (x === 0 ? Lx - 1 : x - 1);
      const down = (y + 1 === Ly ? 0 : y + 1) * Lx + x;
      const up = (y === 0 ? Ly - 1 : y - 1) * Lx + x;
      visit(i, right, i, CLUSTER_PHASES.BOND_RIGHT);
      visit(i, down, i, CLUSTER_PHASES.BOND_DOWN);
      visit(i, left, left, CLUSTER_PHASES.BOND_RIGHT);
      visit(i, up, up, CLUSTER_PHASES.BOND_DOWN);
    }
    const spin = s[base + seed];
    let q = 0;
    for (let k = 0; k < size; k++) {
      const i = base + members[k];
      q += s[i] === spin ? 1 : -1;
      s[i] ^= 1;
    }
    return { flipped: size, moment: wolffMoment(N, q, size) };
  }
}
