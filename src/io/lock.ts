/**
 * An exclusive lock on an output file shared by jobs (a sweep's --out on a shared volume): the lock
 * file `<file>.lock` holds the owner's pid and host. A lock left by a process that no longer runs
 * on this host is stale and taken over; a live owner, or one on another host (which cannot be
 * checked from here), keeps it.
 */

import fs from 'node:fs';
import os from 'node:os';
import { FileProblem } from './files.ts';

interface Owner {
  pid: number;
  host: string;
}

/** Whether process `pid` runs on this host (EPERM: it runs, as another user). */
export function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
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
 * process holds it.
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
  return () => fs.rmSync(lock, { force: true });
}
