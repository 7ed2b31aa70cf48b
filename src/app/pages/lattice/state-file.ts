/** The whole state as JSON (params, seed, sweepsDone, spins as base64 of one byte per spin) and back. */

import { spinsBase64 } from '../../shared/spin-pixels.ts';
import { DEFAULTS, parseHash, formatHash, type LatticeParams } from './params.ts';

export function encodeState(p: LatticeParams, sweepsDone: number, spins: Int8Array): string {
  return JSON.stringify({
    format: 'ising-webgpu-state/1',
    params: { ...p, steps: 0, paused: false },
    seed: p.seed,
    sweepsDone,
    L: p.L,
    spins: spinsBase64(spins),
  });
}

export function decodeState(text: string): { params: LatticeParams; sweepsDone: number; spins: Int8Array } {
  const j = JSON.parse(text) as {
    format?: string;
    params?: LatticeParams;
    sweepsDone?: number;
    L?: number;
    spins?: string;
  };
  if (j.format !== 'ising-webgpu-state/1' || !j.params || typeof j.spins !== 'string')
    throw new Error('not an ising-webgpu state file');
  const { params, errors } = parseHash(formatHash({ ...DEFAULTS, ...j.params }));
  if (errors.length) throw new Error(errors[0].message);
  const bin = atob(j.spins);
  if (bin.length !== params.L * params.L)
    throw new Error(`spins hold ${bin.length} entries, L = ${params.L} needs ${params.L * params.L}`);
  const spins = Int8Array.from(bin, (c) => (c.charCodeAt(0) ? 1 : -1));
  return { params, sweepsDone: Number(j.sweepsDone ?? 0), spins };
}
