/**
 * The weighted sample points the free-energy equations and the reweighted curves sum over:
 * energy-grid bins (histogram mode) or single samples, with the observable "channels"
 * (named observables and magnetisation moments) summed alongside.
 */

/** Channel kinds: a named observable, or one of the magnetisation moments. */
export type ChannelKind = 'obs' | 'abs' | 'm2' | 'm4';
/** One summed observable: its name (the key in `observables`) and kind. */
export interface Channel {
  name: string;
  kind: ChannelKind;
}

/** The value a channel sums for a raw sample x (x is m for the magnetisation moments). */
export const channelValue = (kind: ChannelKind, x: number): number => {
  switch (kind) {
    case 'obs':
      return x;
    case 'abs':
      return Math.abs(x);
    case 'm2':
      return x * x;
    case 'm4':
      return x * x * x * x;
  }
};

/**
 * Weighted sample points the free-energy equations sum over: either grid bins
 * (histogram mode) or single samples. Point u has energy E[u], weight w[u]
 * (Σ 1/g_k over its samples), raw sample count n[u] (null: 1 each), and
 * weighted channel sums S[c][u] = Σ O/g_k. A point is skipped when w[u] = 0
 * or (per-sample jackknife) block[u] === skip.
 */
export interface Points {
  E: Float64Array;
  w: Float64Array;
  n: Float64Array | null;
  S: Float64Array[];
  block: Int32Array | null;
  skip: number;
}

/** Whether point u enters the sums (positive weight, not in the dropped block). */
export const included = (P: Points, u: number): boolean => P.w[u] > 0 && (P.block === null || P.block[u] !== P.skip);
