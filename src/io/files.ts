/**
 * File-system helpers that cannot hang or exhaust memory: directory creation one level at a time
 * (Node 20's recursive mkdirSync loops forever where mkdir answers ENOENT for an existing parent,
 * as under /proc), and reading an input only when it is a regular file within a size cap (a FIFO
 * would block, /dev/zero would never end).
 */

import fs from 'node:fs';
import path from 'node:path';

/** A file-system problem with a user's path; the message names the path and what is wrong. */
export class FileProblem extends Error {
  override name = 'FileProblem';
}

const reason = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? String(e);

/** Create `dir` and its missing parents; a FileProblem naming the level that cannot be made. */
export function makeDirectory(dir: string): void {
  const missing: string[] = [];
  for (let d = path.resolve(dir); !fs.existsSync(d); d = path.dirname(d)) {
    if (missing.length > 0 && d === missing[missing.length - 1]) break; // the root
    missing.push(d);
  }
  for (const d of missing.reverse()) {
    try {
      fs.mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new FileProblem(`cannot create ${d} (${reason(e)})`);
    }
  }
  if (!fs.statSync(dir).isDirectory()) throw new FileProblem(`${dir} exists and is not a directory`);
}

/** Text of a regular file of at most maxBytes; a FileProblem otherwise (missing, not a file, too large). */
export function readRegularFile(file: string, maxBytes: number): string {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    throw new FileProblem(`cannot read ${file} (${reason(e)})`);
  }
  if (!st.isFile()) throw new FileProblem(`${file} is not a regular file`);
  if (st.size > maxBytes) throw new FileProblem(`${file} is larger than ${maxBytes} bytes (${st.size})`);
  return fs.readFileSync(file, 'utf8');
}
