/** Numerical building blocks with no dependencies beyond Math. */
export * from './elliptic.ts';
export * from './fft.ts';
export * from './linalg.ts';
export * from './logexp.ts';
export * from './optimize.ts';
export * from './quadrature.ts';
export * from './roots.ts';
export * from './special.ts';
