/** A statistical estimate: central value and one-standard-deviation error bar. */
export interface Estimate {
  mean: number;
  err: number;
}
