/**
 * Sweep files: JSON Lines, one finished job per line,
 *
 *   {"job":{"index","L","seed_index","seed"},"params":{...SweepParams},"result":{...temper JSON},
 *    "meta":{"backend","kernel","adapter","seconds","host","finished"}}
 *
 * or, for a disorder sweep (`ising sweep --p`), one disorder sample per line,
 *
 *   {"job":{"index","L","sample"},"params":{...GlassSweepParams},"result":{...one "samples" entry
 *    of the ising glass JSON},"meta":{...}}
 *
 * `result` is the JSON of `ising temper` without the fields that describe where and how fast it ran
 * (seconds, adapter, backend, kernel): those are in `meta`. `job`, `params` and `result` are
 * deterministic (the CPU reference and the GPU kernels give the same lattices), so two lines of
 * the same job are duplicates when these three agree, whatever their `meta`, and a conflict
 * otherwise.
 *
 * Lines are appended whole (one write each); a last line without its newline is what a crash
 * mid-write leaves, and readers report it as `truncated` instead of failing.
 */

import fs from 'node:fs';
import { readRegularFile } from '../../io/files.ts';
import {
  isGlassSweep,
  jobAt,
  MAX_SWEEP_SEEDS,
  MAX_SWEEP_SIZES,
  type AnyJob,
  type GlassJob,
  type GlassSweepParams,
  type Job,
  type SweepParams,
} from './jobs.ts';
import type { TemperStudyResult } from '../tempering/study.ts';
import type { GlassSampleResult } from '../glass/study.ts';

/**
 * A sweep file that cannot be used (unreadable, corrupt, mixed sweeps, conflicting lines); the
 * message names the file, line or flag. The CLI reports it like a usage error (exit 2).
 */
export class RecordError extends Error {
  override name = 'RecordError';
}

/** The fields of a temper result that describe where and how fast it ran: they go to `meta`. */
const META_KEYS = ['seconds', 'adapter', 'backend', 'kernel'] as const;

/** What a sweep record keeps of a tempering study's result. */
export type SweepResult = Omit<TemperStudyResult, (typeof META_KEYS)[number]>;

export interface TemperRecord {
  job: Job;
  params: SweepParams;
  result: SweepResult;
  meta?: Record<string, unknown>;
}

/** A disorder-sweep record: one sample's entry of the `ising glass` JSON. */
export interface GlassRecord {
  job: GlassJob;
  params: GlassSweepParams;
  result: GlassSampleResult;
  meta?: Record<string, unknown>;
}

export type SweepRecord = TemperRecord | GlassRecord;

export const isGlassRecord = (r: SweepRecord): r is GlassRecord => isGlassSweep(r.params);

/** A record and where it was read. */
export interface Located {
  record: SweepRecord;
  /** 'file:line', for messages. */
  where: string;
}

export interface ReadRecords {
  records: Located[];
  /** The unterminated last line (left by a crash mid-write), or null. */
  truncated: string | null;
  /** The complete lines, each with its newline: what the file should hold without `truncated`. */
  completeText: string;
}

/** JSON with the keys of every object sorted: equal values give equal strings. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/** The deterministic part of a record (what duplicates share). */
const recordIdentity = (r: SweepRecord): string => canonical({ job: r.job, params: r.params, result: r.result });

/** Top-level keys of two objects whose values differ. */
function differingKeys(a: object, b: object): string[] {
  const va = new Map(Object.entries(a));
  const vb = new Map(Object.entries(b));
  const keys = [...new Set([...va.keys(), ...vb.keys()])];
  return keys.filter((k) => canonical(va.get(k)) !== canonical(vb.get(k)));
}

const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x);
const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

/** The per-temperature estimates a sweep result must hold (what merge and fss read). */
const RESULT_SERIES = ['e', 'c', 'chi', 'binder', 'm_abs'] as const;

const isEstimate = (x: unknown): boolean =>
  isObject(x) && Number.isFinite(x.mean) && (Number.isFinite(x.err) || x.err === null);

/** Why a result's temperatures or estimates are unusable (undefined when they are fine). */
function invalidResult(result: Record<string, unknown>, temperatures: unknown[]): string | undefined {
  if (temperatures.length < 2 || !temperatures.every((T) => typeof T === 'number' && T > 0 && Number.isFinite(T)))
    return '"result.temperatures" is not a list of at least 2 temperatures > 0';
  for (const key of RESULT_SERIES) {
    const series = result[key];
    // U₄ is null where it is 0/0 (every sample at m = 0).
    const ok = (x: unknown) => isEstimate(x) || (key === 'binder' && x === null);
    if (!Array.isArray(series) || series.length !== temperatures.length || !series.every(ok))
      return `"result.${key}" is not one {mean, err} of numbers per temperature`;
  }
  return undefined;
}

/** Why `x` is not a valid sweep record (undefined when it is one). */
function invalidReason(x: unknown): string | undefined {
  if (!isObject(x)) return 'not a JSON object';
  const { job, params, result } = x;
  if (x.meta !== undefined && !isObject(x.meta)) return '"meta" is not an object';
  if (isObject(params) && isGlassSweep(params)) return invalidGlassRecord(job, params, result);
  if (!isObject(job) || !isInt(job.index) || !isInt(job.L) || !isInt(job.seed_index) || !isInt(job.seed)) {
    return 'no valid "job" {index, L, seed_index, seed}';
  }
  if (
    !isObject(params) ||
    !Array.isArray(params.L) ||
    !params.L.every(isInt) ||
    !isInt(params.seeds) ||
    !isInt(params.seed)
  ) {
    return 'no valid "params"';
  }
  if (params.seeds < 1 || params.seeds > MAX_SWEEP_SEEDS || params.L.length < 1 || params.L.length > MAX_SWEEP_SIZES)
    return `"params" outside a sweep's range (1 to ${MAX_SWEEP_SIZES} sizes, 1 to ${MAX_SWEEP_SEEDS} seeds)`;
  if (!isObject(result) || !Array.isArray(result.temperatures)) return 'no valid "result"';
  const resultProblem = invalidResult(result, result.temperatures);
  if (resultProblem) return resultProblem;
  const jobProblem = unexpectedJob(job, jobAt({ L: params.L, seeds: params.seeds, seed: params.seed }, job.index));
  if (jobProblem) return jobProblem;
  if (result.L !== job.L || result.seed !== job.seed)
    return `result is not that of job ${job.index} (L or seed differs)`;
  return undefined;
}

/** Why `job` is not the job its sweep has at its index (`expected`), or undefined. */
function unexpectedJob(job: Record<string, unknown>, expected: AnyJob | undefined): string | undefined {
  if (!expected) return `job index ${job.index} is not a job of its sweep`;
  if (canonical(expected) !== canonical(job))
    return `job ${job.index} should be ${JSON.stringify(expected)} for its sweep, got ${JSON.stringify(job)}`;
  return undefined;
}

/** The per-temperature series of a disorder sample's result (ising glass "samples" entries). */
const SAMPLE_SERIES = ['e', 'c', 'q2', 'q4', 'ql'] as const;

/** Why a disorder-sweep line is not valid (undefined when it is). */
function invalidGlassRecord(job: unknown, params: Record<string, unknown>, result: unknown): string | undefined {
  if (!isObject(job) || !isInt(job.index) || !isInt(job.L) || !isInt(job.sample))
    return 'no valid "job" {index, L, sample}';
  const { L, samples, p, K } = params;
  if (!Array.isArray(L) || !L.every(isInt) || !isInt(samples) || typeof p !== 'number' || !isInt(K))
    return 'no valid "params" of a disorder sweep';
  if (samples < 1 || samples > MAX_SWEEP_SEEDS || L.length < 1 || L.length > MAX_SWEEP_SIZES)
    return `"params" outside a sweep's range (1 to ${MAX_SWEEP_SIZES} sizes, 1 to ${MAX_SWEEP_SEEDS} samples)`;
  if (!isObject(result)) return 'no valid "result"';
  for (const key of SAMPLE_SERIES) {
    const series = result[key];
    if (!Array.isArray(series) || series.length !== K || !series.every(isEstimate))
      return `"result.${key}" is not one {mean, err} of numbers per temperature`;
  }
  const lnZ = result.lnZ_per_site;
  if (!Array.isArray(lnZ) || lnZ.length !== K || !lnZ.every((x) => x === null || isEstimate(x)))
    return '"result.lnZ_per_site" is not one {mean, err} (or null) per temperature';
  if (!Array.isArray(result.p_q) || result.p_q.length !== K || !Number.isFinite(result.min_energy_found))
    return '"result" has no p_q per temperature or no min_energy_found';
  const jobProblem = unexpectedJob(job, jobAt({ L, samples, p }, job.index));
  if (jobProblem) return jobProblem;
  if (result.sample !== job.sample) return `result is not that of job ${job.index} (sample differs)`;
  return undefined;
}

/** Parse sweep-file text; a complete line that is not a record is a RecordError naming it. */
function parseRecords(text: string, name: string): ReadRecords {
  const lines = text.split('\n');
  const last = lines.pop()!; // '' when the text ends with a newline (or is empty)
  const records: Located[] = [];
  lines.forEach((line, i) => {
    const where = `${name}:${i + 1}`;
    if (line.trim() === '') throw new RecordError(`${where}: empty line in a sweep file`);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new RecordError(`${where}: not JSON (a corrupt sweep file?)`);
    }
    const why = invalidReason(value);
    if (why) throw new RecordError(`${where}: not a sweep record: ${why}`);
    records.push({ record: value as SweepRecord, where });
  });
  const completeText = last === '' ? text : text.slice(0, text.length - last.length);
  return { records, truncated: last === '' ? null : last, completeText };
}

/** Largest sweep file read at once (V8 strings end near 512 MiB; a larger scan is split into shards). */
const MAX_SWEEP_FILE_BYTES = 256 * 2 ** 20;

/** Read a sweep file (see {@link parseRecords}); `flag` names the flag that gave it, for messages. */
export function readRecords(file: string, flag: string): ReadRecords {
  let text: string;
  try {
    text = readRegularFile(file, MAX_SWEEP_FILE_BYTES);
  } catch (e) {
    throw new RecordError(`${flag}: ${(e as Error).message}`);
  }
  return parseRecords(text, file);
}

/** The first record whose params differ from `params` (default: the first record's), and how. */
export function otherSweep(
  records: readonly Located[],
  params?: SweepParams | GlassSweepParams,
): { where: string; keys: string[] } | null {
  const ref = params ?? records[0]?.record.params;
  if (!ref) return null;
  const refText = canonical(ref);
  for (const { record, where } of records) {
    if (canonical(record.params) === refText) continue;
    return {
      where,
      keys: differingKeys(ref, record.params),
    };
  }
  return null;
}

/** Throws a RecordError unless all records come from the sweep of the first. */
export function checkSameSweep(records: readonly Located[]): void {
  const other = otherSweep(records);
  if (other)
    throw new RecordError(
      `${other.where} is from a different sweep than ${records[0].where} (parameters differ in: ${other.keys.join(', ')})`,
    );
}

/** A record's job, for messages. */
const describeJob = (j: AnyJob): string =>
  `job ${j.index} (L=${j.L}, ${'sample' in j ? `sample ${j.sample}` : `seed_index ${j.seed_index}`})`;

/**
 * One record per job, in job-index order: duplicates (same job, params and result) are dropped,
 * keeping the first; two different lines for one job are a RecordError naming the job.
 */
export function dedupe(records: readonly Located[]): { unique: Located[]; duplicates: number } {
  const byIndex = new Map<number, Located>();
  let duplicates = 0;
  for (const loc of records) {
    const prev = byIndex.get(loc.record.job.index);
    if (!prev) {
      byIndex.set(loc.record.job.index, loc);
      continue;
    }
    if (recordIdentity(prev.record) === recordIdentity(loc.record)) {
      duplicates++;
      continue;
    }
    const keys = differingKeys(prev.record.result, loc.record.result);
    throw new RecordError(
      `${describeJob(loc.record.job)}: conflicting lines ${prev.where} and ${loc.where}` +
        (keys.length ? ` (results differ in: ${keys.join(', ')})` : ''),
    );
  }
  const unique = [...byIndex.values()].sort((a, b) => a.record.job.index - b.record.job.index);
  return { unique, duplicates };
}

/** One JSONL line (with its newline). */
export const formatRecord = (r: SweepRecord): string => `${JSON.stringify(r)}\n`;

/**
 * The files of an --in value: comma-separated paths, each of which may use the wildcards * and ?
 * in its last component (quote them from the shell), expanded in sorted order.
 */
export function expandInputs(value: string, flag: string): string[] {
  const files: string[] = [];
  for (const entry of value.split(',')) {
    if (entry === '') throw new RecordError(`${flag}: empty file name in '${value}'`);
    const slash = entry.lastIndexOf('/');
    const dir = slash >= 0 ? entry.slice(0, slash) || '/' : '.';
    const base = entry.slice(slash + 1);
    if (!/[*?]/.test(base)) {
      files.push(entry);
      continue;
    }
    const re = new RegExp(
      `^${base
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    );
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      throw new RecordError(`${flag}: cannot list the folder of '${entry}'`);
    }
    const matched = names.filter((n) => re.test(n) && !n.startsWith('.')).sort();
    if (matched.length === 0) throw new RecordError(`${flag}: no file matches '${entry}'`);
    files.push(...matched.map((n) => (slash >= 0 ? `${entry.slice(0, slash + 1)}${n}` : n)));
  }
  return [...new Set(files)];
}

/** The records of a ferromagnet sweep; those of a disorder sweep are a RecordError naming `flag`. */
export function temperRecords(records: readonly SweepRecord[], flag: string): TemperRecord[] {
  if (records.some(isGlassRecord))
    throw new RecordError(
      `${flag}: a disorder sweep (ising sweep --p); its average is 'ising glass --from FILE --L <L>'`,
    );
  return records as TemperRecord[];
}

/** The records of a disorder sweep; those of a ferromagnet sweep are a RecordError naming `flag`. */
export function glassRecords(records: readonly SweepRecord[], flag: string): GlassRecord[] {
  if (!records.every(isGlassRecord))
    throw new RecordError(`${flag}: not a disorder sweep (ising sweep --p); a ferromagnet sweep goes to 'ising fss'`);
  return records as GlassRecord[];
}
