/**
 * Exact results for the Ising model and its toy relatives, used as ground
 * truth by the samplers' tests and the CLI: Onsager (infinite lattice),
 * Kaufman (finite torus), enumeration (small torus, any J and h), the 1D chain,
 * and independent spins.
 */
export * from './constants.ts';
export * from './onsager.ts';
export * from './kaufman.ts';
export * from './enumeration.ts';
export * from './chain.ts';
export * from './independent.ts';
export * from './validate.ts';
export * from './learning-theory.ts';
export * from './thermodynamics.ts';
export * from './second-moment.ts';
