/** Temperature ladders for replica exchange: geometric, linear, from a file, adapted from a pilot run. */

import { ParameterError } from '../params/errors.ts';

function checkRange(Tmin: number, Tmax: number, K: number): void {
  if (!(Number.isFinite(Tmin) && Tmin > 0)) throw new ParameterError('Tmin', `Tmin must be a number > 0, got ${Tmin}`);
  if (!(Number.isFinite(Tmax) && Tmax > Tmin))
    throw new ParameterError('Tmax', `Tmax must be a number > Tmin = ${Tmin}, got ${Tmax}`);
  if (!(Number.isInteger(K) && K >= 2)) throw new ParameterError('K', `K must be an integer >= 2, got ${K}`);
}

/** T_k = Tmin·(Tmax/Tmin)^{k/(K−1)}: constant ratio, the usual first guess. */
export function geometricLadder(Tmin: number, Tmax: number, K: number): number[] {
  checkRange(Tmin, Tmax, K);
  return Array.from({ length: K }, (_, k) => (k === K - 1 ? Tmax : Tmin * (Tmax / Tmin) ** (k / (K - 1))));
}

/** Equally spaced temperatures. */
export function linearLadder(Tmin: number, Tmax: number, K: number): number[] {
  checkRange(Tmin, Tmax, K);
  return Array.from({ length: K }, (_, k) => (k === K - 1 ? Tmax : Tmin + ((Tmax - Tmin) * k) / (K - 1)));
}

/** Most temperatures in a ladder file (as --K allows). */
export const MAX_LADDER_TEMPERATURES = 1024;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Temperatures from text: numbers separated by whitespace, commas or newlines ('#' starts a comment). */
export function parseLadder(text: string, source = 'ladder file'): number[] {
  const values = text
    .split('\n')
    .map((line) => line.replace(/#.*/, ''))
    .join(' ')
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((s) => {
      // Plain decimal syntax only, as on the command line (no hex, no Infinity).
      const v = DECIMAL.test(s) ? Number(s) : Number.NaN;
      if (!Number.isFinite(v) || v <= 0)
        throw new ParameterError('ladder', `${source}: '${s}' is not a temperature > 0`);
      return v;
    });
  if (values.length < 2 || values.length > MAX_LADDER_TEMPERATURES)
    throw new ParameterError(
      'ladder',
      `${source}: needs 2 to ${MAX_LADDER_TEMPERATURES} temperatures, found ${values.length}`,
    );
  for (let i = 1; i < values.length; i++) {
    if (!(values[i] > values[i - 1]))
      throw new ParameterError(
        'ladder',
        `${source}: temperatures must increase strictly (${values[i - 1]} then ${values[i]})`,
      );
  }
  return values;
}

/**
 * A ladder with the same ends whose adjacent pairs should have equal swap acceptance, from the
 * acceptances measured on `temperatures`: each gap gets a cost −ln A (A floored at 1e-3), and
 * the new β points are spaced evenly in cumulative cost by piecewise-linear interpolation in β.
 */
export function equalizeLadder(temperatures: readonly number[], acceptance: readonly number[]): number[] {
  const K = temperatures.length;
  if (acceptance.length !== K - 1) throw new RangeError(`need ${K - 1} acceptances, got ${acceptance.length}`);
  const betas = temperatures.map((T) => 1 / T);
  const cost = [0];
  for (let k = 0; k + 1 < K; k++) cost.push(cost[k] + -Math.log(Math.min(1 - 1e-9, Math.max(1e-3, acceptance[k]))));
  const total = cost[K - 1];
  const out = [temperatures[0]];
  let seg = 0;
  for (let j = 1; j + 1 < K; j++) {
    const target = (total * j) / (K - 1);
    while (seg + 1 < K - 1 && cost[seg + 1] < target) seg++;
    const f = (target - cost[seg]) / Math.max(1e-300, cost[seg + 1] - cost[seg]);
    out.push(1 / (betas[seg] + f * (betas[seg + 1] - betas[seg])));
  }
  out.push(temperatures[K - 1]);
  return out;
}

/** Spread of acceptances, max − min: what the adaptive ladder minimises. */
export const acceptanceSpread = (acceptance: readonly number[]): number =>
  Math.max(...acceptance) - Math.min(...acceptance);
