/** Statistical analysis of Monte Carlo time series: τ_int, binning, jackknife, Ising observables, χ² tests. */
export * from './types.ts';
export * from './autocorrelation.ts';
export * from './binning.ts';
export * from './jackknife.ts';
export * from './ising.ts';
export * from './chisquare.ts';
export * from './reweighting/index.ts';
export * from './sample.ts';
export * from './improved.ts';
export * from './correlation-length.ts';
