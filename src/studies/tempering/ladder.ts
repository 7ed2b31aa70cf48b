/**
 * The temperature ladder of a tempering study: the user's temperatures (geometric, linear, from a
 * file, or adaptive: re-spaced by pilot runs for equal swap acceptance) and the high-temperature
 * tail of extra slots that carries the integration for ln Z from the series start.
 */

import { readRegularFile } from '../../io/files.ts';
import { ParameterError } from '../../params/errors.ts';
import { offsetSeed } from '../../rng/streams.ts';
import {
  acceptanceSpread,
  equalizeLadder,
  geometricLadder,
  linearLadder,
  parseLadder,
} from '../../tempering/ladder.ts';
import type { IsingSampler } from '../../models/ising/sampler.ts';
import { runTempering } from './run.ts';
import type { Checkpointer } from '../checkpoint.ts';

/** How the user's temperatures are made: spaced between Tmin and Tmax, or given (a ladder file's). */
export type LadderSpec =
  | { kind: 'geometric' | 'linear' | 'adaptive'; Tmin: number; Tmax: number; K: number }
  | { kind: 'file'; temperatures: number[] };

/** Largest ladder file read (a ladder is a few hundred numbers; this refuses /dev/zero and the like). */
const MAX_LADDER_FILE_BYTES = 1 << 20;

/** The temperatures of a ladder file; a ParameterError naming --ladder when it cannot be read. */
export function readLadderFile(file: string): number[] {
  let text: string;
  try {
    text = readRegularFile(file, MAX_LADDER_FILE_BYTES);
  } catch (e) {
    throw new ParameterError(
      'ladder',
      `--ladder must be geometric, linear, adaptive or a readable file of temperatures, got '${file}' (${(e as Error).message})`,
    );
  }
  return parseLadder(text, file);
}

/** The starting temperatures of a ladder (adaptive starts geometric). */
export function initialLadder(spec: LadderSpec): number[] {
  if (spec.kind === 'file') return [...spec.temperatures];
  if (spec.kind === 'linear') return linearLadder(spec.Tmin, spec.Tmax, spec.K);
  return geometricLadder(spec.Tmin, spec.Tmax, spec.K);
}

/** β of the hottest tail slot: the series start of the integration (|βJ| ≤ 0.05). */
const TAIL_BETA = 0.05;

/** High-temperature slots above Tmax down to β = TAIL_BETA/|J|, spaced for swaps on N sites. */
export function tailLadder(Tmax: number, J: number, N: number, count?: number): number[] {
  const betaEnd = TAIL_BETA / Math.abs(J);
  const betaTop = 1 / Tmax;
  if (betaTop <= betaEnd) return [];
  const n = count ?? Math.max(4, Math.ceil(Math.log(betaTop / betaEnd) / Math.log(1 + 2.5 / Math.sqrt(N))));
  return Array.from({ length: n }, (_, i) => 1 / (betaTop * (betaEnd / betaTop) ** ((i + 1) / n)));
}

/** One pilot run of an adaptive ladder: the ladder it ran and the acceptance it found. */
export interface PilotRun {
  temperatures: number[];
  swap_acceptance: number[];
  spread: number;
}

/** Pilot rounds of an adaptive ladder. */
const PILOT_ROUNDS = 4;

/**
 * The seed of pilot round `round`: seed + 1000 + round, or below the seed where that would pass
 * MAX_SEED (the pilots' words then stay apart from the run's, and the user never meets a seed they
 * did not give in an error).
 */
export function pilotSeed(seed: number, round: number): number {
  return offsetSeed(seed, 1000 + round);
}

/**
 * Adaptive ladder: pilot runs on the user ladder alone (no tail), each re-spacing the temperatures
 * for equal swap acceptance. Returns the final ladder and the pilots.
 */
export async function adaptLadder(
  start: number[],
  pilot: { sweeps: number; every: number; seed: number },
  make: (temperatures: number[], seed: number) => Promise<IsingSampler>,
  log?: (message: string) => void,
  checkpoint?: Checkpointer,
): Promise<{ temperatures: number[]; pilots: PilotRun[] }> {
  let user = start;
  const pilots: PilotRun[] = [];
  const pilotSweeps = Math.max(500, Math.floor(pilot.sweeps / 10));
  for (let round = 0; round < PILOT_ROUNDS; round++) {
    const sampler = await make(user, pilotSeed(pilot.seed, round));
    const r = await runTempering(sampler, {
      sweeps: pilotSweeps,
      thermalize: Math.floor(pilotSweeps / 5),
      every: pilot.every,
      checkpoint: checkpoint && { session: checkpoint, key: `pilot ${round + 1}` },
    });
    sampler.destroy();
    pilots.push({ temperatures: user, swap_acceptance: r.swapAcceptance, spread: acceptanceSpread(r.swapAcceptance) });
    log?.(`pilot ${round + 1}: acceptance spread ${acceptanceSpread(r.swapAcceptance).toFixed(3)}`);
    user = equalizeLadder(user, r.swapAcceptance);
  }
  return { temperatures: user, pilots };
}
