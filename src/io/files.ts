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
  checkRegularFile(file, maxBytes);
  return fs.readFileSync(file, 'utf8');
}

/** Bytes of a regular file of at most maxBytes; a FileProblem otherwise. */
export function readRegularBytes(file: string, maxBytes: number): Buffer {
  checkRegularFile(file, maxBytes);
  return fs.readFileSync(file);
}

function checkRegularFile(file: string, maxBytes: number): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    throw new FileProblem(`cannot read ${file} (${reason(e)})`);
  }
  if (!st.isFile()) throw new FileProblem(`${file} is not a regular file`);
  if (st.size > maxBytes) throw new FileProblem(`${file} is larger than ${maxBytes} bytes (${st.size})`);
}

/**
 * Check before any work that `file` can be written: an existing regular file (through symlinks)
 * that is writable, or a new file that can be created (created and removed again to be sure, since
 * a directory can admit creation by its mode bits and still refuse it, as /proc does).
 */
export function checkOutputFile(file: string): void {
  if (file === '') throw new FileProblem('an empty path is not a file');
  const target = existingTarget(file);
  if (target !== null) {
    if (!fs.statSync(target).isFile()) throw new FileProblem(`${file} is not a regular file`);
    try {
      fs.accessSync(target, fs.constants.W_OK);
    } catch (e) {
      throw new FileProblem(`cannot write ${file} (${reason(e)})`);
    }
    return;
  }
  try {
    fs.closeSync(fs.openSync(file, 'wx'));
    fs.unlinkSync(file);
  } catch (e) {
    throw new FileProblem(`cannot create ${file} (${reason(e)})`);
  }
}

/** The real path of an existing file (symlinks followed), or null when there is none. */
function existingTarget(file: string): string | null {
  try {
    return fs.realpathSync(file);
  } catch {
    return null;
  }
}

/**
 * Replace `file` by `data` atomically and durably: a temporary file beside the real target (a
 * symlink stays a link to the new content), flushed to disk, renamed over it, and the directory
 * flushed so the rename itself survives a power cut; the temporary file is removed on any failure.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array | readonly Uint8Array[]): void {
  const target = existingTarget(file) ?? file;
  const tmp = `${target}.tmp-${process.pid}`;
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      for (const part of typeof data === 'string' || data instanceof Uint8Array ? [data] : data) writeAll(fd, part);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw new FileProblem(`cannot write ${file} (${reason(e)})`);
  }
  syncDirectory(path.dirname(target));
}

/** Write all of `data` at the file position (writeSync may write less than asked). */
function writeAll(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  for (let at = 0; at < bytes.length; ) at += fs.writeSync(fd, bytes, at, bytes.length - at);
}

/** Flush a directory's entries (where the platform allows opening a directory for that). */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic there.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
