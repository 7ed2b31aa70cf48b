/** `ising merge`: combine the shard files of one sweep into one JSON Lines file in job order. */

import { defineFlags, UsageError, type ParsedFlags } from '../args.ts';
import { writeFileAtomic } from '../../io/files.ts';
import { checkOutput } from '../common.ts';
import { jobCount } from '../../studies/scan/jobs.ts';
import {
  checkSameSweep,
  dedupe,
  expandInputs,
  formatRecord,
  readRecords,
  type Located,
} from '../../studies/scan/records.ts';

export const summary =
  'Merge the outputs of `ising sweep` (e.g. one per shard) into one JSON Lines file sorted by job index. ' +
  'Exact duplicates (same job, params and result; meta may differ) are dropped; two different lines for one job, ' +
  'or files from different sweeps, are an error (exit 2). A truncated last line (a crashed shard) is skipped with a warning.';

export const flags = defineFlags({
  in: {
    type: 'string',
    metavar: 'FILES',
    help: 'more input files, comma-separated (files may also be given as arguments); * and ? are expanded',
  },
  out: {
    type: 'string',
    required: true,
    metavar: 'FILE.jsonl',
    help: 'merged output (replaced atomically; may be one of the inputs)',
  },
  quiet: { type: 'bool', help: 'no warnings on stderr' },
  json: { type: 'bool', help: 'print one JSON object on stdout' },
});

export const output =
  'output (--json): {"out","inputs","jobs","jobs_total","duplicates_dropped","missing":[job indices],"truncated_lines_skipped"}';

export function merge(o: ParsedFlags<typeof flags>) {
  // Files as arguments (`ising merge a.jsonl b.jsonl --out all.jsonl`) or as --in a,b.
  const files = [...o._, ...(o.in ? [o.in] : [])];
  if (files.length === 0)
    throw new UsageError("ising merge needs input files: 'ising merge <files…> --out <file>' (or --in a,b)");
  checkOutput('--out', o.out);
  const inputs = files.flatMap((f) => expandInputs(f, '--in'));
  const all: Located[] = [];
  const truncated: string[] = [];
  for (const file of inputs) {
    const read = readRecords(file, '--in');
    if (read.truncated !== null) {
      truncated.push(file);
      if (!o.quiet)
        process.stderr.write(
          `ising merge: ${file}: skipped a truncated last line (an interrupted run; rerun its shard)\n`,
        );
    }
    all.push(...read.records);
  }
  if (all.length === 0) throw new UsageError(`--in: no sweep records in ${inputs.join(', ')}`);
  checkSameSweep(all);
  const { unique, duplicates } = dedupe(all);
  writeFileAtomic(o.out, unique.map((l) => formatRecord(l.record)).join(''));
  const present = new Set(unique.map((l) => l.record.job.index));
  const total = jobCount(unique[0].record.params);
  const missing: number[] = [];
  for (let index = 0; index < total; index++) if (!present.has(index)) missing.push(index);
  if (missing.length > 0 && !o.quiet) {
    process.stderr.write(`ising merge: ${missing.length} of ${total} jobs missing (first: job ${missing[0]})\n`);
  }
  return {
    out: o.out,
    inputs,
    jobs: unique.length,
    jobs_total: total,
    duplicates_dropped: duplicates,
    missing,
    truncated_lines_skipped: truncated.length,
  };
}
