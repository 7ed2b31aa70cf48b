/**
 * Jobs of a parameter sweep (`ising sweep`): the cartesian product of lattice sizes and seed
 * indices, in a fixed order, each with a temper seed derived from the master seed and the job's
 * coordinates only, so that any shard (or any rerun) of the sweep runs exactly the same jobs.
 *
 * Order: L-major, in the order the sizes were given: job index = iL · seeds + seed_index (a disorder
 * sweep: iL · samples + sample).
 *
 * Seed: the first 13 hex digits (52 bits) of SHA-256("ising-sweep:<master>:<L>:<seed_index>"),
 * an integer in [0, 2^52). It does not depend on the job index, the shard, the list of sizes or
 * the number of seeds; 52 bits (not 53) leave room below MAX_SEED = 2^53 − 1 for the pilot seeds
 * (seed + 1000 + round) of `temper --ladder adaptive`.
 */

import { createHash } from 'node:crypto';
import type { Algorithm } from '../../models/ising/config.ts';

/** Parameters that define a sweep: every line of a sweep file carries the same object. */
export interface SweepParams {
  L: number[];
  seeds: number;
  Tmin: number;
  Tmax: number;
  K: number;
  ladder: string;
  /** The temperatures of a ladder file (its content, not its path); only when ladder is 'file'. */
  ladder_temperatures?: number[];
  replicas_per_T: number;
  sweeps: number;
  thermalize: number;
  exchange_every: number;
  /** null: temper's default tail. */
  tail: number | null;
  J: number;
  /** The master seed. */
  seed: number;
  /** Update between exchanges; absent: metropolis. */
  algorithm?: Algorithm;
  /** Measure the second-moment correlation length (true), or not (absent). */
  xi?: boolean;
}

export interface Job {
  index: number;
  L: number;
  seed_index: number;
  seed: number;
}

/**
 * Parameters of a disorder sweep (`ising sweep --p`): one job per lattice size × disorder sample,
 * each running what `ising glass --seed <seed> --samples <samples>` runs for that sample. `p`
 * marks a disorder sweep (p = 0 is a ±J run with ferromagnetic bonds, not the ferromagnet sweep).
 */
export interface GlassSweepParams {
  L: number[];
  p: number;
  samples: number;
  Tmin: number;
  Tmax: number;
  K: number;
  ladder: string;
  ladder_temperatures?: number[];
  real_replicas: number;
  sweeps: number;
  thermalize: number;
  exchange_every: number;
  tail: number | null;
  /** The seed of `ising glass`: couplings and Monte Carlo words, the same for every job. */
  seed: number;
}

/** A disorder-sweep job: disorder sample `sample` on the L × L torus. */
export interface GlassJob {
  index: number;
  L: number;
  sample: number;
}

export type AnySweepParams = SweepParams | GlassSweepParams;
export type AnyJob = Job | GlassJob;

export const isGlassSweep = (params: object): params is GlassSweepParams => 'p' in params;

/** The temper seed of job (L, seedIndex) of a sweep with master seed `master`: in [0, 2^52). */
export function jobSeed(master: number, L: number, seedIndex: number): number {
  const hex = createHash('sha256').update(`ising-sweep:${master}:${L}:${seedIndex}`).digest('hex');
  return parseInt(hex.slice(0, 13), 16);
}

/** Most seeds per size and most sizes in one sweep (so a sweep's jobs can be listed in memory). */
export const MAX_SWEEP_SEEDS = 1e6;
export const MAX_SWEEP_SIZES = 1000;

/** What the jobs of a sweep depend on. */
type TemperJobKeys = Pick<SweepParams, 'L' | 'seeds' | 'seed'>;
type GlassJobKeys = Pick<GlassSweepParams, 'L' | 'samples' | 'p'>;
type JobKeys = TemperJobKeys | GlassJobKeys;

/** Jobs per lattice size: seeds, or disorder samples. */
const perSize = (params: JobKeys): number => ('p' in params ? params.samples : params.seeds);

/** Number of jobs of a sweep. */
export const jobCount = (params: JobKeys): number => params.L.length * perSize(params);

/** Job `index` of a sweep without listing the others (undefined outside the sweep). */
export function jobAt(params: TemperJobKeys, index: number): Job | undefined;
export function jobAt(params: GlassJobKeys, index: number): GlassJob | undefined;
export function jobAt(params: JobKeys, index: number): AnyJob | undefined;
export function jobAt(params: JobKeys, index: number): AnyJob | undefined {
  if (!Number.isInteger(index) || index < 0 || index >= jobCount(params)) return undefined;
  const n = perSize(params);
  const L = params.L[Math.floor(index / n)];
  const s = index % n;
  if ('p' in params) return { index, L, sample: s };
  return { index, L, seed_index: s, seed: jobSeed(params.seed, L, s) };
}

/** All jobs of a sweep, in job-index order. */
export function sweepJobs(params: TemperJobKeys): Job[];
export function sweepJobs(params: JobKeys): AnyJob[];
export function sweepJobs(params: JobKeys): AnyJob[] {
  return Array.from({ length: jobCount(params) }, (_, index) => jobAt(params, index) as AnyJob);
}

export interface Shard {
  i: number;
  n: number;
}

/** Parse 'i/n' (0 ≤ i < n); returns undefined on a malformed value. */
export function parseShard(text: string): Shard | undefined {
  const m = /^(\d{1,9})\/(\d{1,9})$/.exec(text);
  if (!m) return undefined;
  const i = Number(m[1]);
  const n = Number(m[2]);
  return n >= 1 && i < n ? { i, n } : undefined;
}

/** Jobs of shard i/n: those whose index % n == i. */
export const shardJobs = <J extends AnyJob>(jobs: readonly J[], shard: Shard | undefined): J[] =>
  shard ? jobs.filter((j) => j.index % shard.n === shard.i) : [...jobs];
