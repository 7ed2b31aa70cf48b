/** The exact thermodynamics every finite-system result of this folder reports (per site except lnZ). */
export interface FiniteThermodynamics {
  /** ln Z of the whole system. */
  lnZ: number;
  /** ln Z / N. */
  lnZPerSite: number;
  /** Free energy per site, −T ln Z / N. */
  f: number;
  /** Mean energy per site ⟨E⟩/N. */
  e: number;
  /** Specific heat per site β²(⟨E²⟩ − ⟨E⟩²)/N. */
  c: number;
}

/** lnZ, lnZ/N and f = −T lnZ/N, the first three fields of {@link FiniteThermodynamics}. */
export function freeEnergyFields(
  lnZ: number,
  N: number,
  T: number,
): Pick<FiniteThermodynamics, 'lnZ' | 'lnZPerSite' | 'f'> {
  return { lnZ, lnZPerSite: lnZ / N, f: (-T * lnZ) / N };
}
