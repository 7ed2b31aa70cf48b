/**
 * An Ising sampler run of one or more phases (thermalise, then measure) as a resumable task: the
 * phases run in chunks of a fraction of a second, and the state between chunks is the lattices,
 * the sweep counter, the temperature slots and the samples measured so far. A chunked run gives
 * the arrays of one uninterrupted run: random words depend on the absolute sweep, exchanges on the
 * absolute sweep too, and a chunk is a whole number of measurement intervals.
 */

import { isClusterAlgorithm } from '../models/ising/config.ts';
import type { IsingSampler, RunOptions, RunResult } from '../models/ising/sampler.ts';
import type { Resumable } from './checkpoint.ts';

/** Wall time a chunk aims at: short enough for a prompt stop, long enough to keep the GPU busy. */
const CHUNK_SECONDS = 0.25;
const FIRST_CHUNK_SWEEPS = 16;

export type RunPhase = Pick<RunOptions, 'sweeps' | 'measureEvery' | 'tempering' | 'structureFactor'>;

interface RunState {
  phase: number;
  /** Sweeps done in the current phase. */
  at: number;
  spins: Int8Array;
  sweepsDone: number;
  slots: Uint32Array;
  results: RunResult[];
}

/**
 * The empty result of a phase, with room for all its samples (and their cluster moments with a
 * cluster algorithm, their overlaps with couplings).
 */
function emptyResult(p: RunPhase, R: number, K: number, has: { cluster: boolean; overlap: boolean }): RunResult {
  const every = p.measureEvery ?? 1;
  const samples = every > 0 ? Math.floor(p.sweeps / every) : 0;
  const r: RunResult = {
    sweeps: p.sweeps,
    samples,
    replicas: R,
    bonds: new Int32Array(samples * R),
    magnetization: new Int32Array(samples * R),
    flips: new Float64Array(R),
  };
  if (has.cluster) r.clusterMoments = new Float64Array(samples * R);
  if (p.structureFactor) r.structureFactor = new Float64Array(samples * R);
  if (has.overlap) {
    r.overlap = new Int32Array(samples * R);
    r.linkOverlap = new Int32Array(samples * R);
  }
  if (p.tempering) {
    r.permutations = new Uint32Array(samples * R);
    r.swapAccepted = new Float64Array(Math.max(0, K - 1));
    r.swapAttempted = new Float64Array(Math.max(0, K - 1));
  }
  return r;
}

const addInto = (into: Float64Array | undefined, from: Float64Array | undefined) => {
  if (into && from) for (let i = 0; i < into.length; i++) into[i] += from[i];
};

/** Add one chunk's result (its samples start at sample `first` of the phase). */
function appendChunk(into: RunResult, chunk: RunResult, first: number): void {
  const R = into.replicas;
  into.bonds.set(chunk.bonds, first * R);
  into.magnetization.set(chunk.magnetization, first * R);
  if (into.overlap && chunk.overlap) into.overlap.set(chunk.overlap, first * R);
  if (into.linkOverlap && chunk.linkOverlap) into.linkOverlap.set(chunk.linkOverlap, first * R);
  if (into.permutations && chunk.permutations) into.permutations.set(chunk.permutations, first * R);
  if (into.clusterMoments && chunk.clusterMoments) into.clusterMoments.set(chunk.clusterMoments, first * R);
  if (into.structureFactor && chunk.structureFactor) into.structureFactor.set(chunk.structureFactor, first * R);
  addInto(into.flips, chunk.flips);
  addInto(into.swapAccepted, chunk.swapAccepted);
  addInto(into.swapAttempted, chunk.swapAttempted);
  if (chunk.gpuSeconds !== undefined) into.gpuSeconds = (into.gpuSeconds ?? 0) + chunk.gpuSeconds;
}

/**
 * The phases of a run on `sampler`, resumable between chunks; the result is one RunResult per
 * phase, equal to what `sampler.run(phase)` would have returned for each in turn.
 */
export function samplerRunTask(
  sampler: IsingSampler,
  phases: readonly RunPhase[],
  options: {
    onProgress?: (done: number, total: number) => void;
    /** Sweeps per chunk (default: adapted to take about CHUNK_SECONDS). */
    chunkSweeps?: number;
  } = {},
): Resumable<RunResult[]> {
  const { onProgress, chunkSweeps } = options;
  const { replicas: R, temperatures, algorithm, couplings } = sampler.config;
  const total = phases.reduce((s, p) => s + p.sweeps, 0);
  const has = { cluster: isClusterAlgorithm(algorithm), overlap: couplings !== undefined };
  let state = { phase: 0, at: 0, results: phases.map((p) => emptyResult(p, R, temperatures.length, has)) };
  let chunk = chunkSweeps ?? FIRST_CHUNK_SWEEPS;
  const sweepsBefore = () => phases.slice(0, state.phase).reduce((s, p) => s + p.sweeps, 0);
  return {
    async save(): Promise<RunState> {
      const spins = await sampler.spins();
      const slots = Uint32Array.from(sampler.config.slots);
      return { ...state, spins, sweepsDone: sampler.sweepsDone, slots };
    },
    async restore(saved) {
      const s = saved as RunState;
      sampler.restore({ spins: s.spins, sweepsDone: s.sweepsDone });
      sampler.setSlots(Array.from(s.slots));
      state = { phase: s.phase, at: s.at, results: s.results };
    },
    async advance() {
      while (state.phase < phases.length && state.at >= phases[state.phase].sweeps)
        state = { ...state, phase: state.phase + 1, at: 0 };
      if (state.phase >= phases.length) return false;
      const p = phases[state.phase];
      const every = p.measureEvery ?? 1;
      // Whole measurement intervals, so that samples fall on the sweeps one run would measure.
      const unit = every > 0 ? every : 1;
      const n = Math.min(p.sweeps - state.at, Math.max(unit, Math.floor(chunk / unit) * unit));
      const t0 = performance.now();
      const r = await sampler.run({ ...p, sweeps: n, onProgress: undefined });
      const seconds = (performance.now() - t0) / 1000;
      if (chunkSweeps === undefined)
        chunk = Math.max(1, Math.min(chunk * 4, Math.round((n * CHUNK_SECONDS) / Math.max(seconds, 1e-3))));
      appendChunk(state.results[state.phase], r, every > 0 ? state.at / every : 0);
      state.at += n;
      onProgress?.(sweepsBefore() + state.at, total);
      return true;
    },
    result: () => state.results,
  };
}
