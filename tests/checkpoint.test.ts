/**
 * Checkpoints: the file format (round trip, damage detected), the identity check, chunked sampler
 * runs equal to one run, and a task stopped mid-way and resumed in a new session.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { onStopSignals } from '../src/cli/checkpoint.ts';
import { readCheckpointFile, writeCheckpointFile } from '../src/io/checkpoint-file.ts';
import { FileProblem } from '../src/io/files.ts';
import { CpuIsingSampler } from '../src/models/ising/cpu-sampler.ts';
import { ParameterError } from '../src/params/errors.ts';
import { CheckpointInterrupted, CheckpointSession } from '../src/studies/checkpoint.ts';
import { samplerRunTask } from '../src/studies/resumable-run.ts';
import { temperingPlan } from '../src/studies/tempering/run.ts';
import type { IsingConfig } from '../src/models/ising/config.ts';
import type { RunResult } from '../src/models/ising/sampler.ts';
import { makeSampler, type Backend } from './helpers/samplers.ts';

const tmp = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ising-ckpt-')), 'state.ckpt');
const identity = { command: 'run', params: { L: 8, T: 2.5, sweeps: 100 } };

describe('checkpoint file', () => {
  it('gives back typed arrays, nested values and the numbers JSON cannot hold', () => {
    const file = tmp();
    const state = {
      spins: Int8Array.from([1, -1, -1, 1, 1]),
      series: { bonds: Int32Array.from([-5, 7, 2 ** 31 - 1]), e: Float64Array.from([0.1, -0, Number.NaN]) },
      slots: Uint32Array.from([3, 0, 2 ** 32 - 1]),
      list: [1, 'a', null, true, Number.POSITIVE_INFINITY, -0, Number.NaN, Float32Array.from([1.5])],
    };
    writeCheckpointFile(file, identity, state);
    const back = readCheckpointFile(file);
    expect(back.header.command).toBe('run');
    expect(back.header.params).toEqual(identity.params);
    expect(back.state).toEqual(state);
    const list = (back.state as { list: unknown[] }).list;
    expect(Object.is(list[5], -0)).toBe(true);
    expect(Number.isNaN(list[6])).toBe(true);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['state.ckpt']); // no temporary left
  });

  it('refuses a damaged, truncated or foreign file with a FileProblem naming it', () => {
    const file = tmp();
    writeCheckpointFile(file, identity, { a: Int32Array.from([1, 2, 3, 4]) });
    const good = fs.readFileSync(file);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 3] ^= 1;
    const cases: [Buffer, RegExp][] = [
      [flipped, /checksum/],
      [good.subarray(0, good.length - 4), /body has/],
      [Buffer.from('{"not":"a checkpoint"}\n'), /no ising-checkpoint header/],
    ];
    for (const [bytes, why] of cases) {
      fs.writeFileSync(file, bytes);
      expect(() => readCheckpointFile(file)).toThrow(FileProblem);
      expect(() => readCheckpointFile(file)).toThrow(why);
    }
  });

  it('refuses to resume with other parameters, naming the first one that differs', () => {
    const file = tmp();
    writeCheckpointFile(file, identity, { done: {}, active: null });
    const other = { command: 'run', params: { L: 8, T: 2.4, sweeps: 200 } };
    expect(() => CheckpointSession.open(file, other, 60, true)).toThrow(ParameterError);
    expect(() => CheckpointSession.open(file, other, 60, true)).toThrow(/--T 2.5, this command has --T 2.4/);
    expect(() => CheckpointSession.open(file, { ...identity, command: 'temper' }, 60, true)).toThrow(
      /written by 'ising run'/,
    );
  });
});

const config = (K: number): IsingConfig => ({
  Lx: 6,
  Ly: 4,
  replicas: 2 * K,
  temperatures: Array.from({ length: K }, (_, k) => 2 + 0.3 * k),
  J: 1,
  h: 0,
  seed: 77,
});

/** The arrays of a RunResult that a chunked run must reproduce. */
const arrays = (r: RunResult) => [r.bonds, r.magnetization, r.flips, r.permutations, r.swapAccepted, r.swapAttempted];

describe.each<Backend>(['cpu', 'gpu'])('chunked sampler runs (%s)', (backend) => {
  it('equal one run per phase: thermalise, measure every 3rd sweep, temper', async () => {
    const K = 3;
    const one = await makeSampler(backend, config(K));
    const plan = temperingPlan(one, 2);
    const phases = [
      { sweeps: 37, measureEvery: 0 },
      { sweeps: 50, measureEvery: 3 },
      { sweeps: 41, tempering: plan },
    ];
    const expected: RunResult[] = [];
    for (const p of phases) expected.push(await one.run(p));
    const chunked = await makeSampler(backend, config(K));
    const task = samplerRunTask(chunked, phases, { chunkSweeps: 7 });
    while (await task.advance());
    const got = task.result();
    phases.forEach((_, i) => {
      expect(arrays(got[i])).toEqual(arrays(expected[i]));
      expect(got[i].samples).toBe(expected[i].samples);
    });
    expect(await chunked.spins()).toEqual(await one.spins());
    expect(chunked.config.slots).toEqual(one.config.slots);
    one.destroy();
    chunked.destroy();
  });
});

describe('a session stopped mid-task', () => {
  it('resumes in a new session to the result of an uninterrupted run', async () => {
    const K = 3;
    const phases = (s: CpuIsingSampler) => [
      { sweeps: 40, tempering: temperingPlan(s) },
      { sweeps: 300, tempering: temperingPlan(s) },
    ];
    const whole = new CpuIsingSampler(config(K));
    const expected = [await whole.run(phases(whole)[0]), await whole.run(phases(whole)[1])];

    const file = tmp();
    const first = CheckpointSession.open(file, identity, 60, false);
    const a = new CpuIsingSampler(config(K));
    let steps = 0;
    const onProgress = () => {
      if (++steps === 3) first.requestStop('SIGTERM');
    };
    const task = samplerRunTask(a, phases(a), { onProgress, chunkSweeps: 16 });
    const stopped = await first.task('main', task).catch((e) => e);
    expect(stopped).toBeInstanceOf(CheckpointInterrupted);
    expect(stopped.exitCode).toBe(143);

    const second = CheckpointSession.open(file, identity, 60, true);
    expect(second.resumedFrom).toEqual({ tasksDone: 0, inProgress: 'main' });
    const b = new CpuIsingSampler(config(K)); // a fresh lattice: the state must come from the file
    const got = await second.task('main', samplerRunTask(b, phases(b)));
    got.forEach((r, i) => {
      expect(arrays(r)).toEqual(arrays(expected[i]));
    });
    expect(await b.spins()).toEqual(await whole.spins());
  });
});

describe('stop signals (every command with --checkpoint, and sweep)', () => {
  const fakeSession = (busy: boolean) => ({ busy, requestStop: vi.fn() }) as unknown as CheckpointSession;

  it('a busy task is asked to stop; between tasks the idle step runs and the exit is 143 / 130', () => {
    const listeners = () => process.listenerCount('SIGTERM') + process.listenerCount('SIGINT');
    const before = listeners();
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const idle = vi.fn();
    let session: CheckpointSession | null = fakeSession(true);
    const uninstall = onStopSignals(() => session, idle);
    try {
      process.emit('SIGTERM');
      expect(session.requestStop).toHaveBeenCalledWith('SIGTERM');
      expect(idle).not.toHaveBeenCalled();
      session = null;
      process.emit('SIGTERM');
      process.emit('SIGINT');
      expect(idle.mock.calls).toEqual([['SIGTERM'], ['SIGINT']]);
      expect(exit.mock.calls).toEqual([[143], [130]]);
    } finally {
      uninstall();
      exit.mockRestore();
    }
    expect(listeners()).toBe(before);
  });
});
