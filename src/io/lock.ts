/**
 * An exclusive lock on an output file shared by jobs (a sweep's --out on a shared volume): the lock
 * file `<file>.lock` holds the owner's pid and host. A lock left by a process that no longer runs
 * on this host is stale and taken over; a live owner, or one on another host (which cannot be
 * checked from here), keeps it.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileProblem } from './files.ts';

interface Owner {
  pid: number;
  host: string;
}

/**
 * Whether process `pid` runs on this host (EPERM: it runs, as another user). A zombie — killed but
 * not yet reaped, which lasts in containers whose first process does not reap — does not run.
 */
export function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/** Linux: the state letter in /proc/<pid>/stat after the parenthesised name is Z for a zombie. */
function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}

/** Remove `<file>.tmp-<pid>` files left by writers that were killed (their pid no longer runs). */
export function removeStaleTemporaries(file: string): void {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.tmp-`;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(name.slice(prefix.length));
    if (name.startsWith(prefix) && Number.isInteger(pid) && pid > 0 && !processRunning(pid))
      fs.rmSync(path.join(dir, name), { force: true });
  }
}

function readOwner(lock: string): Owner | null {
  try {
    const o = JSON.parse(fs.readFileSync(lock, 'utf8')) as Partial<Owner>;
    return Number.isInteger(o.pid) && typeof o.host === 'string' ? { pid: o.pid as number, host: o.host } : null;
  } catch {
    return null;
  }
}

/** Create the lock file; false when it exists already. */
function tryCreate(lock: string): boolean {
  try {
    fs.writeFileSync(lock, JSON.stringify({ pid: process.pid, host: os.hostname() }), { flag: 'wx' });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new FileProblem(`cannot create ${lock} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

/**
 * Take the lock of `file`; returns its release. A FileProblem names the owner when another
 * process holds it. Temporary files of killed writers of `file` are removed.
 */
export function lockFile(file: string): () => void {
  const lock = `${file}.lock`;
  if (!tryCreate(lock)) {
    const owner = readOwner(lock);
    const stale = owner !== null && owner.host === os.hostname() && !processRunning(owner.pid);
    if (!stale) {
      const who = owner ? `process ${owner.pid} on ${owner.host}` : 'another process';
      throw new FileProblem(`${file} is being written by ${who} (remove ${lock} if that run is gone)`);
    }
    fs.rmSync(lock, { force: true });
    if (!tryCreate(lock)) throw new FileProblem(`${file} was locked by another process just now`);
  }
  // The lock's owner is the only writer: temporaries of killed writers can go.
  removeStaleTemporaries(fs.existsSync(file) ? fs.realpathSync(file) : file);
  return () => fs.rmSync(lock, { force: true });
}
