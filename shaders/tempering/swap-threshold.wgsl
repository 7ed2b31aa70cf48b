// Replica-exchange threshold lookup: the twin of swapThreshold in src/tempering/swap-tables.ts,
// shared by the Ising exchange (tempering/exchange.wgsl) and the perceptron's (weights/perceptron.wgsl).
// The kernel declares the storage array `swap_tables` holding packSwapTables' layout: `header`
// words (4 per pair: data offset, length, sign, equal temperatures), then the data.

// Threshold of a swap of slots (pair, pair + 1) at delta = b_pair − b_(pair+1), where E = −J·b:
// the bond sums of the Ising model, the error counts of the perceptron (tables built with J = −1).
// Accept iff u < threshold.
fn swap_threshold(header: u32, pair: u32, delta: i32) -> u32 {
  let h = 4u * pair;
  if (swap_tables[h + 3u] == 1u) { return 0xFFFFFFFFu; }
  let x = select(delta, -delta, swap_tables[h + 2u] == 1u);
  if (x <= 0i) { return 0xFFFFFFFFu; }
  if (u32(x) >= swap_tables[h + 1u]) { return 0u; }
  return swap_tables[header + swap_tables[h] + u32(x)];
}
