/**
 * Histogram reweighting of canonical Monte Carlo data (h = 0 energy reweighting): single and
 * multiple histogram with jackknife errors, and the two curve analyses a parallel-tempering
 * ladder needs (the specific-heat peak, the crossing of two Binder-cumulant curves).
 */
export * from './types.ts';
export { reweightSeries, singleHistogram } from './single.ts';
export { multipleHistogram } from './multiple.ts';
export * from './peaks.ts';
export * from './crossing.ts';
