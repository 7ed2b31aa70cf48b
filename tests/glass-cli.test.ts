/**
 * `ising glass` and the ±J flags of `ising compare`: coupling files written and read back give the
 * seeded sample's results; bad coupling files, flag clashes and kernels without couplings are
 * refused with exit 2 naming the flag; a study stopped by a signal resumes to the uninterrupted result.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { argv, expectRefusedQuickly, ising } from './helpers/cli.ts';
import { CheckpointInterrupted, CheckpointSession } from '../src/studies/checkpoint.ts';
import { glassStudy, type GlassStudyOptions } from '../src/studies/glass/study.ts';
import { parseCouplings, seededCouplings } from '../src/models/ising/couplings.ts';
import { glassSpectrum, glassThermodynamics, groundStateEnergy } from '../src/physics/glass-enumeration.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ising-glass-'));
const at = (name: string) => path.join(dir, name);
const RUN = '--backend cpu --K 3 --sweeps 300 --thermalize 30 --quiet --json';

describe('ising glass (CLI)', () => {
  it('--write-couplings writes seeded sample --first-sample; --couplings of that file gives its results', async () => {
    const file = at('c.json');
    const w = await ising(argv(`glass --L 6 --seed 5 --first-sample 2 --p 0.3 --write-couplings ${file} --json`));
    expect(w.code, w.stderr).toBe(0);
    expect(JSON.parse(w.stdout)).toMatchObject({ couplings_written: file, sample: 2, Lx: 6, Ly: 6, p: 0.3 });
    const written = parseCouplings(fs.readFileSync(file, 'utf8'), file);
    expect(written).toEqual(seededCouplings(6, 6, 0.3, 5, 2));
    // The same first sample gives the same Monte Carlo seed: the run then equals the seeded one.
    const fromFile = await ising(argv(`glass --L 6 --seed 5 --first-sample 2 --couplings ${file} ${RUN}`));
    const seeded = await ising(argv(`glass --L 6 --seed 5 --p 0.3 --samples 1 --first-sample 2 ${RUN}`));
    expect(fromFile.code, fromFile.stderr).toBe(0);
    const [a, b] = [JSON.parse(fromFile.stdout), JSON.parse(seeded.stdout)];
    expect(a.samples[0].sample).toBeNull();
    expect({ ...a.samples[0], sample: 2 }).toEqual(b.samples[0]);
  });

  it('--exact puts the enumeration beside every sample', async () => {
    const r = await ising(
      argv('glass --L 4 --samples 2 --exact --backend cpu --K 3 --sweeps 200 --thermalize 20 --quiet --json'),
    );
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    const spec = glassSpectrum(seededCouplings(4, 4, 0.5, 1, 1));
    expect(j.samples[1].exact.ground_state_energy).toBe(groundStateEnergy(spec));
    expect(j.samples[1].exact.q2).toEqual(j.temperatures.map((T: number) => glassThermodynamics(spec, T).q2));
  });

  it('a readable table without --json', async () => {
    const r = await ising(argv('glass --L 4 --samples 2 --backend cpu --K 3 --sweeps 200 --thermalize 20 --quiet'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/disorder averages/);
    expect(r.stdout.split('\n').filter((l) => /^\s*[\d.]+\s+-?[\d.]+ ± /.test(l))).toHaveLength(3);
  });

  it('bad coupling files are refused naming the file and the field', async () => {
    const write = (name: string, text: string) => {
      fs.writeFileSync(at(name), text);
      return at(name);
    };
    const cases: [string, RegExp][] = [
      [write('notjson.json', '{'), /--couplings .*notjson\.json: not JSON/],
      [write('array.json', '[1]'), /must be a JSON object/],
      [write('lx.json', '{"Lx":4.5,"Ly":4,"right":[],"down":[]}'), /field 'Lx' must be an integer/],
      [
        write('short.json', '{"Lx":4,"Ly":4,"right":[1],"down":[]}'),
        /field 'right' must have Lx\*Ly = 16 values, got 1/,
      ],
      [
        write(
          'value.json',
          JSON.stringify({ Lx: 4, Ly: 4, right: Array(16).fill(1), down: [...Array(15).fill(1), 0] }),
        ),
        /field 'down'\[15\] must be 1 or -1, got 0/,
      ],
      [at('missing.json'), /--couplings .*missing\.json: cannot be read/],
    ];
    for (const [file, message] of cases)
      await expectRefusedQuickly(argv(`glass --L 4 --backend cpu --couplings ${file}`), message);
  });

  it('flag clashes and other lattices are refused (exit 2)', async () => {
    const file = at('c4.json');
    await ising(argv(`glass --L 4 --write-couplings ${file}`));
    await expectRefusedQuickly(
      argv(`glass --L 4 --couplings ${file} --samples 3`),
      /--samples does not go with --couplings/,
    );
    await expectRefusedQuickly(argv(`glass --L 6 --couplings ${file}`), /is for a 4x4 lattice, --L\/--Ly give 6x6/);
    await expectRefusedQuickly(argv('glass --L 2 --backend cpu'), /--L and --Ly must be >= 4/);
    await expectRefusedQuickly(argv('glass --L 6 --exact --backend cpu'), /--exact needs L\*Ly <= 20/);
    await expectRefusedQuickly(
      argv('glass --L 4 --samples 4096 --backend cpu'),
      /= 98304 lattices, more than the 65535/,
    );
    await expectRefusedQuickly(argv('glass --L 4 --p 2'), /--p must be a number in \[0, 1\]/);
    await expectRefusedQuickly(
      argv(`compare --L 4 --sweeps 2 --p 0.5 --couplings ${file} --quiet`),
      /--p or --couplings/,
    );
  });

  it('compare --p: the GPU kernels with seeded couplings equal the CPU reference', async () => {
    for (const line of [
      'compare --L 10 --Ly 6 --replicas 3 --sweeps 100 --p 0.5 --seed 4 --quiet --json',
      'compare --L 64 --Ly 4 --replicas 2 --sweeps 50 --p 0.5 --seed 4 --kernel msc-1bit --quiet --json',
    ]) {
      const r = await ising(argv(line));
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).identical).toBe(true);
    }
  });
});

describe('ising glass checkpoints', () => {
  it('a study stopped mid-run resumes in a new session to the uninterrupted result', async () => {
    const o: GlassStudyOptions = {
      Lx: 4,
      Ly: 4,
      p: 0.5,
      samples: 2,
      ladder: { kind: 'geometric', Tmin: 0.6, Tmax: 2.5, K: 3 },
      realReplicas: 2,
      sweeps: 2000,
      thermalize: 100,
      exchangeEvery: 1,
      seed: 8,
    };
    const strip = (r: Awaited<ReturnType<typeof glassStudy>>) => ({ ...r, seconds: 0 });
    const whole = strip(await glassStudy(o));
    const file = at('glass.ckpt');
    const identity = { command: 'glass', params: { L: 4 } };
    const first = CheckpointSession.open(file, identity, 60, false);
    let calls = 0;
    const stopped = await glassStudy({
      ...o,
      checkpoint: first,
      onProgress: () => {
        if (++calls === 3) first.requestStop('SIGTERM');
      },
    }).catch((e) => e);
    expect(stopped).toBeInstanceOf(CheckpointInterrupted);
    const second = CheckpointSession.open(file, identity, 60, true);
    expect(second.resumedFrom?.inProgress).toBe('main run');
    expect(strip(await glassStudy({ ...o, checkpoint: second }))).toEqual(whole);
  });
});
