/**
 * `ising fss` on sweeps that measured ξ/L (sweep --xi): the ξ/L crossings of consecutive sizes in
 * the study, in the text report beside the U4 crossings, and the ξ/L(T) plot written beside the
 * others; sweeps without ξ get neither. The records are synthetic, with straight lines that cross
 * at known temperatures, so the expected crossings are exact and not computed by the code under test.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jobAt } from '../src/studies/scan/jobs.ts';
import { fssStudy } from '../src/studies/scan/fss-study.ts';
import { fssPlots } from '../src/studies/scan/fss-plots.ts';
import type { TemperRecord } from '../src/studies/scan/records.ts';
import { ising } from './helpers/cli.ts';

const T = [2.0, 2.2, 2.4, 2.6];
const SIZES = [4, 6];
/** Lines a + b (T − 2) per size: ξ/L of 4 and 6 cross at T = 2.3, U4 at T = 2.5. */
const XI = { 4: [1.2, -1.0], 6: [1.5, -2.0] } as Record<number, [number, number]>;
const U4 = { 4: [0.6, -0.1], 6: [0.65, -0.2] } as Record<number, [number, number]>;

const line = ([a, b]: [number, number], err: number) => T.map((t) => ({ mean: a + b * (t - 2), err }));
const flat = (mean: number) => T.map(() => ({ mean, err: 0.01 }));

function record(index: number, withXi: boolean): TemperRecord {
  const params = { L: SIZES, seeds: 1, seed: 1, J: 1 };
  const job = jobAt(params, index)!;
  const result = {
    L: job.L,
    seed: job.seed,
    temperatures: T,
    e: flat(-1.5),
    c: T.map((_, k) => ({ mean: [0.5, 0.8, 0.9, 0.6][k], err: 0.02 })),
    chi: T.map((_, k) => ({ mean: [0.3, 0.6, 0.9, 0.7][k], err: 0.02 })),
    binder: line(U4[job.L], 0.005),
    m_abs: flat(0.7),
    ...(withXi ? { xi_over_L: line(XI[job.L], 0.01) } : {}),
  };
  return { job, params, result } as unknown as TemperRecord;
}

const records = (withXi: boolean) => SIZES.map((_, i) => record(i, withXi));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ising-fss-xi-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** `ising fss` in text mode on the records written to a sweep file; the report and the files beside it. */
async function fssText(name: string, withXi: boolean) {
  const file = path.join(dir, `${name}.jsonl`);
  fs.writeFileSync(
    file,
    records(withXi)
      .map((r) => `${JSON.stringify(r)}\n`)
      .join(''),
  );
  const r = await ising(['fss', file, '--quiet']);
  expect(r.code, r.stderr).toBe(0);
  return { report: r.stdout, svgs: fs.readdirSync(dir).filter((f) => f.startsWith(`${name}-`)) };
}

describe('ising fss with xi/L', () => {
  it('finds the xi/L crossing of the straight lines at T = 2.3, apart from the U4 one at 2.5', () => {
    const f = fssStudy(records(true), []);
    expect(f.xiCrossings).toHaveLength(1);
    expect(f.xiCrossings![0].T_cross!.mean).toBeCloseTo(2.3, 12);
    expect(f.xiCrossings![0].T_cross!.err).toBeGreaterThan(0);
    expect(f.binderCrossings[0].T_cross!.mean).toBeCloseTo(2.5, 12);
  });

  it('plots xi/L(T) like U4(T): one series of points per size, with Tc marked', () => {
    const svg = fssPlots(fssStudy(records(true), [])).xi_over_L!;
    expect(svg).toContain('xi/L');
    expect(svg).toContain('L = 4');
    expect(svg).toContain('L = 6');
    expect(svg).toContain('>Tc<');
    expect(fssPlots(fssStudy(records(false), [])).xi_over_L).toBeUndefined();
  });

  it('the text report shows the xi/L crossing beside the U4 one, and the plot is written beside the others', async () => {
    const { report, svgs } = await fssText('xi', true);
    const row = report.split('\n').find((l) => /^\s*4\s+6\s/.test(l));
    expect(report).toContain('T_cross xi/L');
    expect(row, report).toMatch(/^\s*4\s+6\s+2\.5 ± [\d.]+\s+2\.3 ± [\d.]+$/);
    expect(report).toContain(path.join(dir, 'xi-xi-over-L.svg'));
    expect(svgs.sort()).toEqual(['xi-binder.svg', 'xi-c.svg', 'xi-chimax.svg', 'xi-cmax.svg', 'xi-xi-over-L.svg']);
  });

  it('a sweep without xi: no xi/L column, no xi/L plot', async () => {
    const { report, svgs } = await fssText('plain', false);
    expect(report).not.toContain('xi/L');
    expect(report).toMatch(/\n\s*4\s+6\s+2\.5 ± [\d.]+\n/);
    expect(svgs.sort()).toEqual(['plain-binder.svg', 'plain-c.svg', 'plain-chimax.svg', 'plain-cmax.svg']);
  });
});
