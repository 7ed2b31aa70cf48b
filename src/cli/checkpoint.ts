/**
 * --checkpoint for the long commands: the file is checked and locked before any work, a rerun with
 * the same flags resumes from it, SIGTERM and SIGINT save and exit (143, 130), and a finished run
 * removes it.
 */

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { FileProblem } from '../io/files.ts';
import { lockFile } from '../io/lock.ts';
import {
  CheckpointSession,
  NO_CHECKPOINT,
  STOP_SIGNALS,
  stopExitCode,
  type Checkpointer,
  type StopSignal,
} from '../studies/checkpoint.ts';
import { defineFlags, UsageError } from './args.ts';
import { checkOutput } from './common.ts';

export const CHECKPOINT_FLAGS = defineFlags({
  checkpoint: {
    type: 'string',
    metavar: 'FILE',
    help: "save the run's state in FILE every --checkpoint-every seconds and on SIGTERM/SIGINT; the same command with the same FILE resumes from it",
  },
  'checkpoint-every': {
    type: 'float',
    min: 1,
    max: 1e6,
    default: 60,
    help: 'seconds between checkpoints',
  },
});

/** Flags that do not change a run's result, and so may differ between a run and its resume. */
const NOT_IDENTITY = new Set(['json', 'quiet', 'checkpoint', 'checkpoint-every']);

/** Flags that may name an input file: a resume must read the same content, not just the same path. */
const INPUT_FILES = new Set(['couplings', 'ladder']);

/** The flags that identify a run: input files by path and the start of their content's SHA-256. */
function identityParams(o: { readonly [flag: string]: unknown }): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (NOT_IDENTITY.has(k)) continue;
    const isFile = INPUT_FILES.has(k) && typeof v === 'string' && fs.statSync(v, { throwIfNoEntry: false })?.isFile();
    params[k] = isFile
      ? `${v} (sha256 ${createHash('sha256').update(fs.readFileSync(v)).digest('hex').slice(0, 16)})`
      : v;
  }
  return params;
}

export type CheckpointOptions = { checkpoint?: string; 'checkpoint-every': number; quiet?: boolean };

/** Run `body` with the session of --checkpoint (or without one when the flag is absent). */
export async function withCheckpoint<R>(
  command: string,
  o: CheckpointOptions & { readonly [flag: string]: unknown },
  body: (checkpoint: Checkpointer) => Promise<R>,
): Promise<R> {
  const file = o.checkpoint;
  if (file === undefined) return body(NO_CHECKPOINT);
  const log = (m: string) => {
    if (!o.quiet) process.stderr.write(`ising ${command}: ${m}\n`);
  };
  checkOutput('--checkpoint', file);
  let unlock: () => void;
  try {
    unlock = lockFile(file);
  } catch (e) {
    throw new UsageError(`--checkpoint: ${(e as Error).message}`);
  }
  try {
    const params = identityParams(o);
    const exists = fs.statSync(file, { throwIfNoEntry: false }) !== undefined;
    let session: CheckpointSession;
    try {
      session = CheckpointSession.open(file, { command, params }, o['checkpoint-every'], exists);
    } catch (e) {
      if (!(e instanceof FileProblem)) throw e;
      throw new UsageError(`--checkpoint: ${e.message}; remove it or give another file`);
    }
    const from = session.resumedFrom;
    if (from)
      log(
        `resuming from ${file} (${from.tasksDone} task(s) done${from.inProgress ? `, '${from.inProgress}' in progress` : ''})`,
      );
    const stopHandlers = onStopSignals(
      () => session,
      (signal) => {
        session.saveDone();
        unlock();
        log(`stopped by ${signal}; the state is saved in ${file}: rerun the same command to resume`);
      },
    );
    try {
      const result = await body(session);
      fs.rmSync(file, { force: true });
      log(`finished; removed the checkpoint ${file}`);
      return result;
    } finally {
      stopHandlers();
    }
  } finally {
    unlock();
  }
}

/**
 * SIGTERM/SIGINT: a task in progress (`running()` busy) saves and stops at its next step
 * (CheckpointInterrupted); between tasks `idle(signal)` runs and the process exits 143/130.
 * Returns the uninstaller.
 */
export function onStopSignals(running: () => CheckpointSession | null, idle: (signal: StopSignal) => void): () => void {
  const handlers = STOP_SIGNALS.map((signal) => {
    const handler = () => {
      const session = running();
      if (session?.busy) {
        session.requestStop(signal);
        return;
      }
      idle(signal);
      process.exit(stopExitCode(signal));
    };
    process.on(signal, handler);
    return { signal, handler };
  });
  return () => {
    for (const { signal, handler } of handlers) process.off(signal, handler);
  };
}
