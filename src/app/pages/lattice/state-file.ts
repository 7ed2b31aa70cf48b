/** The whole state as JSON (params, seed, sweepsDone, spins as base64 of one byte per spin) and back. */

import { DEFAULTS, parseHash, formatHash, type LatticeParams } from './params.ts';

export function encodeState(p: LatticeParams, sweepsDone: number, spins: Int8Array): string {
  let bin = '';
  for (let i = 0; i < spins.length; i += 8192) {
    bin += String.fromCharCode(...Array.from(spins.subarray(i, i + 8192), (s) => (s > 0 ? 1 : 0)));
  }
  return JSON.stringify({
    format: 'ising-webgpu-state/1',
    params: { ...p, steps: 0, paused: false },
    seed: p.seed,
    sweepsDone,
    L: p.L,
    spins: btoa(bin),
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
