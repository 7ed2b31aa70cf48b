/**
 * Checkpoint and resume for long runs. A study is a fixed sequence of resumable tasks (a pilot
 * run, the main run, one dataset…), each named by a key. A session saves the results of the tasks
 * done and the state of the task in progress; a rerun of the same command replays the saved
 * results and continues the task in progress from its state. Every random word is a function of
 * (seed, indices, sweep), so the resumed run ends exactly where an uninterrupted one would.
 */

import { readCheckpointFile, writeCheckpointFile, type Snapshot } from '../io/checkpoint-file.ts';
import { ParameterError } from '../params/errors.ts';

/** A piece of work that can stop between steps, save its state, and continue from it. */
export interface Resumable<T> {
  /** Everything needed to continue from here (typed arrays and JSON values). */
  save(): Promise<unknown>;
  /** Continue from a state `save` returned (in this process or an earlier one). */
  restore(state: unknown): Promise<void>;
  /** Do the next bounded piece of work (well under a second); false once the task is finished. */
  advance(): Promise<boolean>;
  /** The finished task's result (typed arrays and JSON values, so that it can be saved too). */
  result(): T;
}

/** Runs tasks; the session saves and resumes them, NO_CHECKPOINT just runs them. */
export interface Checkpointer {
  task<T>(key: string, task: Resumable<T>): Promise<T>;
}

/** Run a task to its end. */
async function runToEnd<T>(task: Resumable<T>): Promise<T> {
  while (await task.advance());
  return task.result();
}

export const NO_CHECKPOINT: Checkpointer = { task: (_key, task) => runToEnd(task) };

/**
 * A task of one step with no state in between (an enumeration, say): a checkpoint keeps its result
 * once it is done, and a resumed run redoes it otherwise.
 */
export function oneStep<T>(run: () => Promise<T>): Resumable<T> {
  let result: { value: T } | undefined;
  return {
    save: async () => null,
    restore: async () => {},
    async advance() {
      if (result) return false;
      result = { value: await run() };
      return true;
    },
    result: () => (result as { value: T }).value,
  };
}

export type StopSignal = 'SIGTERM' | 'SIGINT';
export const STOP_SIGNALS: readonly StopSignal[] = ['SIGTERM', 'SIGINT'];

/** The exit status of a run stopped by `signal`: 128 + the signal's number. */
export function stopExitCode(signal: StopSignal): number {
  return signal === 'SIGTERM' ? 143 : 130;
}

/** The run stopped on a signal after saving its state; exit with 128 + the signal's number. */
export class CheckpointInterrupted extends Error {
  override name = 'CheckpointInterrupted';
  readonly exitCode: number;
  constructor(
    readonly signal: StopSignal,
    readonly file: string,
  ) {
    super(`stopped by ${signal}; the state is saved in ${file}: rerun the same command to resume`);
    this.exitCode = stopExitCode(signal);
  }
}

/** The command and parameters a checkpoint belongs to; a resume must match them exactly. */
export interface CheckpointIdentity {
  command: string;
  params: Record<string, unknown>;
}

interface SavedState {
  done: Record<string, unknown>;
  active: { key: string; state: unknown } | null;
}

/** Let pending signal handlers and I/O run (a CPU task never yields to the event loop by itself). */
const yieldToEventLoop = () => new Promise<void>((go) => setImmediate(go));

export class CheckpointSession implements Checkpointer {
  private readonly done: Record<string, unknown>;
  private pending: SavedState['active'];
  private active: { key: string; task: Resumable<unknown> } | null = null;
  private stop: StopSignal | null = null;
  private lastSave = performance.now();

  private constructor(
    readonly file: string,
    readonly identity: CheckpointIdentity,
    private readonly everyMs: number,
    saved: SavedState | null,
  ) {
    this.done = saved?.done ?? {};
    this.pending = saved?.active ?? null;
  }

  /**
   * A session on `file`: resumed from it when it exists (its command and parameters must be this
   * run's, else a ParameterError names the first difference), new otherwise.
   */
  static open(file: string, identity: CheckpointIdentity, everySeconds: number, exists: boolean): CheckpointSession {
    if (!exists) return new CheckpointSession(file, identity, everySeconds * 1000, null);
    const { header, state } = readCheckpointFile(file);
    checkIdentity(file, header, identity);
    return new CheckpointSession(file, identity, everySeconds * 1000, state as unknown as SavedState);
  }

  /** Whether this session continues an earlier run, and how far that one got. */
  get resumedFrom(): { tasksDone: number; inProgress: string | null } | null {
    const tasksDone = Object.keys(this.done).length;
    if (tasksDone === 0 && this.pending === null) return null;
    return { tasksDone, inProgress: this.pending?.key ?? null };
  }

  /** Whether a task is running now (a stop then waits for its next step). */
  get busy(): boolean {
    return this.active !== null;
  }

  /** Ask the task in progress to save and stop after its current step. */
  requestStop(signal: StopSignal): void {
    this.stop = signal;
  }

  async task<T>(key: string, task: Resumable<T>): Promise<T> {
    if (key in this.done) return this.done[key] as T;
    if (this.pending?.key === key) {
      await task.restore(this.pending.state);
      this.pending = null;
    }
    this.active = { key, task };
    try {
      while (await task.advance()) {
        await yieldToEventLoop();
        if (this.stop) {
          await this.save();
          throw new CheckpointInterrupted(this.stop, this.file);
        }
        if (performance.now() - this.lastSave >= this.everyMs) await this.save();
      }
    } finally {
      this.active = null;
    }
    this.done[key] = task.result();
    return this.done[key] as T;
  }

  /** Write the results of the tasks done and the state of the task in progress. */
  async save(): Promise<void> {
    const active = this.active ? { key: this.active.key, state: await this.active.task.save() } : null;
    this.writeState({ done: this.done, active });
  }

  /** Write what is saved without a task in progress (for a stop between tasks; synchronous). */
  saveDone(): void {
    this.writeState({ done: this.done, active: this.pending });
  }

  private writeState(state: SavedState): void {
    writeCheckpointFile(this.file, this.identity, state as unknown as Snapshot);
    this.lastSave = performance.now();
  }
}

/** Refuse a checkpoint of another command or other parameters, naming the first difference. */
function checkIdentity(file: string, saved: CheckpointIdentity, now: CheckpointIdentity): void {
  if (saved.command !== now.command) {
    throw new ParameterError(
      'checkpoint',
      `--checkpoint ${file} was written by 'ising ${saved.command}', not 'ising ${now.command}'; use another file`,
    );
  }
  const keys = new Set([...Object.keys(now.params), ...Object.keys(saved.params ?? {})]);
  for (const k of keys) {
    const a = JSON.stringify(saved.params?.[k] ?? null);
    const b = JSON.stringify(now.params[k] ?? null);
    if (a !== b) {
      throw new ParameterError(
        k,
        `--checkpoint ${file} was written with --${k} ${a === 'null' ? '(not given)' : a}, this command has ` +
          `${b === 'null' ? `no --${k}` : `--${k} ${b}`}: a checkpoint resumes only the same command (remove it to start afresh)`,
      );
    }
  }
}
