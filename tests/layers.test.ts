/** Imports go only downwards (tests/helpers/layers.ts holds the order and the check). */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.ts';
import { importsOf, sources, violations } from './helpers/layers.ts';

describe('import direction', () => {
  it('every module under src/ imports only from its own layer or lower ones', () => {
    const modules = sources(join(ROOT, 'src')).map((p) => ({
      file: relative(ROOT, p),
      imports: importsOf(readFileSync(p, 'utf8')),
    }));
    expect(modules.length).toBeGreaterThan(50);
    expect(violations(modules)).toEqual([]);
  });

  it('the check catches a planted upward import, a dynamic one and a worker URL', () => {
    const planted = [
      { file: 'src/math/roots.ts', imports: ['../cli/args.ts'] },
      { file: 'src/models/ising/config.ts', imports: ['../../studies/tempering/run.ts'] },
      { file: 'src/gpu/device.ts', imports: ['../../tests/helpers/gpu.ts'] },
    ];
    expect(violations(planted)).toHaveLength(3);
    expect(importsOf("const m = await import('../cli/main.ts');")).toEqual(['../cli/main.ts']);
    expect(importsOf("new Worker(new URL('./cpu-worker.ts', import.meta.url))")).toEqual(['./cpu-worker.ts']);
    expect(importsOf("import src from '../../shaders/a.wgsl?raw';")).toEqual(['../../shaders/a.wgsl']);
  });
});
