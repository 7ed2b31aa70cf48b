/**
 * The golden set (tests/golden/cases.ts): the CLI's outputs, timings and adapter names removed,
 * are the same byte for byte as recorded. A reorganisation must keep every one of them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CASES, goldenFile, runCase } from './golden/cases.ts';

describe('golden CLI outputs', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const recorded = readFileSync(goldenFile(c.name), 'utf8');
      const now = `${JSON.stringify(await runCase(c), null, 1)}\n`;
      expect(now).toBe(recorded);
    });
  }
});
