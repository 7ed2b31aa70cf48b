/** Flag declarations and helpers shared by several `ising` commands. */

import { ADAPTER_CHOICES, openNodeDevice, type AdapterChoice } from '../gpu/node.ts';
import type { GpuContext } from '../gpu/device.ts';
import { checkOutputFile } from '../io/files.ts';
import type { DeviceOpener } from '../studies/learning/backends.ts';
import { MAX_SEED } from '../rng/streams.ts';
import { ALGORITHMS } from '../models/ising/config.ts';
import { KERNEL_CHOICES } from '../models/ising/kernels.ts';
import { defineFlags, UsageError } from './args.ts';

export const FLAGS = defineFlags({
  L: { type: 'int', even: true, min: 2, help: 'lattice side (even); the lattice is L x L', required: true },
  Ly: { type: 'int', even: true, min: 2, help: 'other side for an L x Ly lattice (default: L)' },
  T: { type: 'float', above: 0, help: 'temperature (k_B = 1)', required: true },
  J: { type: 'float', default: 1, help: 'coupling J' },
  h: { type: 'float', default: 0, help: 'field h' },
  replicas: { type: 'int', min: 1, max: 65535, default: 1, help: 'independent lattices run together' },
  algorithm: {
    type: 'string',
    choices: ALGORITHMS,
    default: 'metropolis',
    help: 'update rule: checkerboard single-spin (metropolis, heatbath) or cluster (swendsen-wang; wolff: one cluster per sweep, h = 0)',
  },
  seed: { type: 'int', min: 0, max: MAX_SEED, default: 1, help: 'Philox seed' },
  adapter: {
    type: 'string',
    choices: ADAPTER_CHOICES,
    help: 'WebGPU adapter in Node (default: $ISING_ADAPTER or auto)',
  },
  kernel: {
    type: 'string',
    choices: KERNEL_CHOICES,
    default: 'auto',
    help:
      'GPU kernel: auto (the fastest that fits the lattice and device); checkerboard-u32 (any even L), packed-u8, ' +
      'msc-4bit, msc-1bit (denser per-site packings: fewer bytes per flip); msc-planes (bit-plane decisions, ~4x ' +
      'fewer random words: large lattices); resident (lattice in workgroup memory, many sweeps per dispatch: small ' +
      'lattices, tempering). The first four share one trajectory, msc-planes and resident another; the CPU reference ' +
      'follows the kernel given (README, "Kernels")',
  },
  json: { type: 'bool', help: 'print one JSON object on stdout (logs go to stderr)' },
  backend: { type: 'string', choices: ['gpu', 'cpu'], default: 'gpu', help: 'WebGPU kernels or the CPU reference' },
  init: { type: 'string', choices: ['hot', 'cold'], default: 'hot', help: 'initial state' },
  quiet: { type: 'bool', help: 'no progress on stderr' },
});

/** The flags of a command that runs an Ising sampler on either backend, in the order help lists them. */
export const SAMPLER_FLAGS = defineFlags({
  seed: FLAGS.seed,
  backend: FLAGS.backend,
  kernel: FLAGS.kernel,
  adapter: FLAGS.adapter,
  quiet: FLAGS.quiet,
  json: FLAGS.json,
});

/** Open the WebGPU device for a command, naming the adapter on stderr unless quiet. */
export async function openCliDevice(adapter: AdapterChoice | undefined, quiet: boolean): Promise<GpuContext> {
  const ctx = await openNodeDevice(adapter, {
    onLost: (info) => process.stderr.write(`ising: GPU device lost (${info.reason}): ${info.message}\n`),
  });
  if (!quiet) process.stderr.write(`ising: WebGPU adapter ${ctx.adapterName} (${ctx.info.description})\n`);
  return ctx;
}

/** Progress on stderr: a rewritten line on a terminal, a line every few seconds otherwise. */
export function progressReporter(label: string, enabled: boolean): (done: number, total: number) => void {
  let last = 0;
  const tty = process.stderr.isTTY === true;
  const start = Date.now();
  return (done, total) => {
    if (!enabled) return;
    const now = Date.now();
    const finished = done >= total;
    if (!finished && now - last < (tty ? 200 : 5000)) return;
    last = now;
    const pct = ((100 * done) / total).toFixed(0);
    const eta = done > 0 ? (((now - start) / done) * (total - done)) / 1000 : 0;
    const line = `${label}: ${done}/${total} (${pct}%)${finished ? '' : `, ~${eta.toFixed(0)} s left`}`;
    if (tty) process.stderr.write(`\r${line}${finished ? '\n' : '\x1b[K'}`);
    else process.stderr.write(`${line}\n`);
  };
}

/** Round for human-readable output. */
export const fmt = (x: number, digits = 6): string =>
  Number.isFinite(x) ? String(Number(x.toPrecision(digits))) : String(x);

/** A device opener for the learning studies: the default adapter, opened once on first use, quietly. */
export function lazyNodeDevice(): DeviceOpener {
  let ctx: Promise<GpuContext> | undefined;
  return () => (ctx ??= openNodeDevice());
}

/** Refuse an output file that cannot be written before any work, naming its flag (exit 2). */
export function checkOutput(flag: string, file: string): void {
  try {
    checkOutputFile(file);
  } catch (e) {
    throw new UsageError(`${flag}: ${(e as Error).message}`);
  }
}
