/**
 * The checkpoint file: a snapshot of a long run (spins or weights, sweep counters, accumulated
 * series, the command and its parameters) that a rerun of the same command resumes from.
 *
 * Layout: the line `ising-checkpoint`, one line of JSON (format version, command, parameters,
 * the state with each typed array replaced by a reference, the arrays' places and the SHA-256 of
 * the body), then the body: the arrays' bytes, each at a multiple of 8. Numbers JSON cannot hold
 * (NaN, ±Infinity, −0) are written as {"$num": "..."} so a resumed run sees exactly what it saved.
 */

import { createHash } from 'node:crypto';
import { FileProblem, readRegularBytes, writeFileAtomic } from './files.ts';

export const CHECKPOINT_FORMAT = 1;
const MAGIC = 'ising-checkpoint\n';
/** The largest checkpoint read back (runs keep their samples under 1 GB; see `ising run`). */
export const MAX_CHECKPOINT_BYTES = 2 ** 30;

type Typed = Int8Array | Uint8Array | Int32Array | Uint32Array | Float32Array | Float64Array;
/** What a checkpoint can hold: JSON values and typed arrays, nested. */
export type Snapshot = null | boolean | number | string | Typed | readonly Snapshot[] | { [key: string]: Snapshot };

const TYPES = { Int8Array, Uint8Array, Int32Array, Uint32Array, Float32Array, Float64Array };
type TypeName = keyof typeof TYPES;

interface ArrayPlace {
  type: TypeName;
  offset: number;
  length: number;
}

export interface CheckpointHeader {
  format: number;
  command: string;
  params: Record<string, unknown>;
  written: string;
}

/** A typed array's constructor name, when it is one the format carries. */
function typeName(v: object): TypeName | undefined {
  const name = v.constructor?.name;
  return name !== undefined && name in TYPES && ArrayBuffer.isView(v) ? (name as TypeName) : undefined;
}

function encode(v: Snapshot, arrays: Typed[]): unknown {
  if (typeof v === 'number') {
    if (Number.isFinite(v) && !Object.is(v, -0)) return v;
    return { $num: Object.is(v, -0) ? '-0' : String(v) };
  }
  if (v === null || typeof v !== 'object') return v;
  if (typeName(v)) {
    arrays.push(v as Typed);
    return { $array: arrays.length - 1 };
  }
  if (Array.isArray(v)) return v.map((x) => encode(x, arrays));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = encode(x as Snapshot, arrays);
  return out;
}

function decode(v: unknown, arrays: Typed[]): Snapshot {
  if (v === null || typeof v !== 'object') return v as Snapshot;
  if (Array.isArray(v)) return v.map((x) => decode(x, arrays));
  const o = v as Record<string, unknown>;
  if (typeof o.$num === 'string') return o.$num === '-0' ? -0 : Number(o.$num);
  if (typeof o.$array === 'number') return arrays[o.$array];
  const out: Record<string, Snapshot> = {};
  for (const [k, x] of Object.entries(o)) out[k] = decode(x, arrays);
  return out;
}

const align8 = (n: number) => Math.ceil(n / 8) * 8;

/** Write a checkpoint atomically and durably (temporary file, fsync, rename, fsync of the directory). */
export function writeCheckpointFile(
  file: string,
  header: Omit<CheckpointHeader, 'format' | 'written'>,
  state: Snapshot,
) {
  const arrays: Typed[] = [];
  const encoded = encode(state, arrays);
  const places: ArrayPlace[] = [];
  let offset = 0;
  for (const a of arrays) {
    places.push({ type: typeName(a) as TypeName, offset, length: a.length });
    offset = align8(offset + a.byteLength);
  }
  const body = new Uint8Array(offset);
  arrays.forEach((a, i) => {
    body.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), places[i].offset);
  });
  const sha256 = createHash('sha256').update(body).digest('hex');
  const head: CheckpointHeader = { format: CHECKPOINT_FORMAT, ...header, written: new Date().toISOString() };
  const line = JSON.stringify({ ...head, arrays: places, body: { bytes: body.length, sha256 }, state: encoded });
  writeFileAtomic(file, [Buffer.from(`${MAGIC}${line}\n`), body]);
}

/** Read a checkpoint; a FileProblem naming the file when it is not one, is damaged or of another format. */
export function readCheckpointFile(file: string): { header: CheckpointHeader; state: Snapshot } {
  const bytes = readRegularBytes(file, MAX_CHECKPOINT_BYTES);
  const bad = (why: string) => new FileProblem(`${file} is not a usable checkpoint (${why})`);
  if (bytes.subarray(0, MAGIC.length).toString() !== MAGIC) throw bad('no ising-checkpoint header');
  const end = bytes.indexOf(10, MAGIC.length);
  if (end < 0) throw bad('truncated header');
  let meta: CheckpointHeader & { arrays: ArrayPlace[]; body: { bytes: number; sha256: string }; state: unknown };
  try {
    meta = JSON.parse(bytes.subarray(MAGIC.length, end).toString());
  } catch {
    throw bad('header is not JSON');
  }
  if (meta.format !== CHECKPOINT_FORMAT) throw bad(`format ${meta.format}, this version reads ${CHECKPOINT_FORMAT}`);
  const body = bytes.subarray(end + 1);
  if (body.length !== meta.body?.bytes) throw bad(`body has ${body.length} bytes, header says ${meta.body?.bytes}`);
  if (createHash('sha256').update(body).digest('hex') !== meta.body.sha256) throw bad('checksum mismatch');
  if (!Array.isArray(meta.arrays)) throw bad('no array table');
  const arrays = meta.arrays.map(({ type, offset, length }) => {
    const T = TYPES[type];
    if (!T || !(offset >= 0 && length >= 0 && offset + length * T.BYTES_PER_ELEMENT <= body.length))
      throw bad('an array lies outside the body');
    const copy = new Uint8Array(body.subarray(offset, offset + length * T.BYTES_PER_ELEMENT)); // aligned, owned
    return new T(copy.buffer);
  });
  const { format, command, params, written } = meta;
  return { header: { format, command, params, written }, state: decode(meta.state, arrays) };
}
