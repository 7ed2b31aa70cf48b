/**
 * Physical and mathematical constants of the 2D Ising model (J = 1, k_B = 1).
 */

/** Catalan's constant G = Σ (-1)^k / (2k+1)². */
export const CATALAN = 0.915965594177219015054603514932384110774;

/** Critical temperature of the square-lattice ferromagnet, T_c = 2 / ln(1 + √2). */
export const TC = 2 / Math.log(1 + Math.SQRT2);

/** Critical coupling K_c = J / T_c = ln(1 + √2) / 2. */
export const KC = Math.log(1 + Math.SQRT2) / 2;

/** Infinite-lattice ln Z per site at T_c: ln 2 / 2 + 2G/π = 0.9296953983… */
export const LN_Z_PER_SITE_AT_TC = Math.LN2 / 2 + (2 * CATALAN) / Math.PI;
