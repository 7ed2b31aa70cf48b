/** `ising exact`: exact ln Z, f, e, c of a torus (Kaufman or enumeration) or a chain (transfer matrix). */

import { chainExact, enumerateTorus, kaufman, MAX_ENUMERATION_SITES } from '../../physics/index.ts';
import { checkEnergyScale } from '../../params/checks.ts';
import { defineFlags, UsageError, type ParsedFlags } from '../args.ts';
import { FLAGS } from '../common.ts';

export const summary =
  "Exact results: Kaufman's finite-torus solution for h = 0, enumeration of all states for small tori with h != 0, " +
  'and the transfer matrix for a periodic chain (--chain N).';

export const flags = defineFlags({
  // Kaufman's products take time linear in the side: 2^20 answers in about a second.
  L: { ...FLAGS.L, required: false, max: 2 ** 20, help: 'torus side (even); required unless --chain' },
  Ly: { ...FLAGS.Ly, max: 2 ** 20 },
  // Kaufman's products cancel badly as K = J/T → 0; 1e5 keeps 7 significant digits.
  T: { ...FLAGS.T, max: 1e5 },
  J: FLAGS.J,
  h: FLAGS.h,
  chain: { type: 'int', min: 2, help: 'periodic chain of N spins instead of a torus', metavar: 'N' },
  json: FLAGS.json,
});

export const output = 'output (--json): {"method","L","T","lnZ_per_site","f","e","c", ...}';

export interface ExactResult {
  method: 'kaufman' | 'enumeration' | 'transfer-matrix';
  L: number;
  Ly?: number;
  T: number;
  J: number;
  h: number;
  lnZ_per_site: number;
  f: number;
  e: number;
  c: number;
  [extra: string]: unknown;
}

export function exact(o: ParsedFlags<typeof flags>): ExactResult {
  // A non-finite result is reported by the CLI as an internal error (cli/finite.ts).
  return compute(o);
}

function compute(o: ParsedFlags<typeof flags>): ExactResult {
  const { T, J, h } = o;
  checkEnergyScale(J, h, [T]);
  if (o.chain !== undefined) {
    if (o.L !== undefined || o.Ly !== undefined)
      throw new UsageError('--chain excludes --L and --Ly: give one or the other');
    const N = o.chain;
    const r = chainExact(N, T, J, h);
    return { method: 'transfer-matrix', L: N, T, J, h, lnZ_per_site: r.lnZPerSite, f: r.f, e: r.e, c: r.c, m: r.m };
  }
  if (o.L === undefined) throw new UsageError("--L is required for 'ising exact' (or --chain N)");
  const Lx = o.L;
  const Ly = o.Ly ?? Lx;
  const base = { L: Lx, ...(Ly !== Lx ? { Ly } : {}), T, J, h };
  if (h === 0) {
    const r = kaufman(Lx, Ly, T, J);
    return { method: 'kaufman', ...base, lnZ_per_site: r.lnZPerSite, f: r.f, e: r.e, c: r.c };
  }
  if (Lx * Ly > MAX_ENUMERATION_SITES) {
    throw new UsageError(
      `--h ${h} != 0 has an exact answer here only by enumeration, for tori of at most ${MAX_ENUMERATION_SITES} sites ` +
        `(--L 4, --L 4 --Ly 6, --L 2 --Ly 12), got --L ${Lx} --Ly ${Ly}; use --h 0 (Kaufman) or --chain N`,
    );
  }
  const r = enumerateTorus(Lx, Ly, T, J, h);
  return {
    method: 'enumeration',
    ...base,
    lnZ_per_site: r.lnZPerSite,
    f: r.f,
    e: r.e,
    c: r.c,
    m: r.m,
    m_abs: r.m_abs,
    m2: r.m2,
    m4: r.m4,
    chi: r.chi,
    binder: r.binder,
  };
}
