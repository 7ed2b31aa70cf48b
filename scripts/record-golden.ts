/**
 * Records the golden outputs of tests/golden/cases.ts (run it only for a deliberate change of
 * output, and say why in the commit): `npx tsx scripts/record-golden.ts [name…]`.
 */
import { writeFileSync } from 'node:fs';
import { CASES, goldenFile, runCase } from '../tests/golden/cases.ts';

const only = process.argv.slice(2);
for (const c of CASES) {
  if (only.length > 0 && !only.includes(c.name)) continue;
  const out = await runCase(c);
  writeFileSync(goldenFile(c.name), `${JSON.stringify(out, null, 1)}\n`);
  process.stderr.write(`recorded ${c.name}\n`);
}
