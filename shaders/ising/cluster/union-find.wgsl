// Lock-free union-find over the sites of one replica, for connected-component labelling on the GPU.
// Follows the union-find CCL of Playne & Hawick ("A new algorithm for parallel connected-component
// labelling on GPUs", IEEE TPDS 29(6), 2018), which Komura & Okabe's GPU Swendsen-Wang
// (Comput. Phys. Commun. 183, 1155, 2012) also labels with: a link only ever points to a smaller
// site index (atomicMin), so every root is the smallest index of its tree, and when all bonds have
// been united the roots are the canonical labels, whatever order the threads ran in.
// labels[base + i] is the parent of site i; it is only touched through atomics.

// The root of site i (no compression here: other threads may be relinking the same trees).
fn uf_find(base: u32, i: u32) -> u32 {
  var x = i;
  loop {
    let p = atomicLoad(&labels[base + x]);
    if (p == x) { return x; }
    x = p;
  }
}

// Join the trees of sites a and b. Hooks the larger root below the smaller one by atomicMin. If
// the larger one was meanwhile linked elsewhere (old != hi), atomicMin still lowered its link to
// lo, so its former parent `old` must be joined to lo too: retry with (lo, old). Each retry
// follows a strictly smaller index, so the loop ends (lock-free, never waits on another thread).
fn uf_unite(base: u32, a0: u32, b0: u32) {
  var a = a0;
  var b = b0;
  loop {
    a = uf_find(base, a);
    b = uf_find(base, b);
    if (a == b) { return; }
    let lo = min(a, b);
    let hi = max(a, b);
    let old = atomicMin(&labels[base + hi], lo);
    if (old == hi) { return; }
    a = lo;
    b = old;
  }
}
