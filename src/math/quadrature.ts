/** Adaptive Gauss–Kronrod quadrature, and Gaussian averages ∫Dt f(t) built on it. */

const XGK = [
  0.991455371120812639206854697526329, 0.949107912342758524526189684047851, 0.864864423359769072789712788640926,
  0.741531185599394439863864773280788, 0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
  0.207784955007898467600689403773245, 0.0,
];
const WGK = [
  0.02293532201052922496373200805897, 0.063092092629978553290700663189204, 0.104790010322250183839876322541518,
  0.140653259715525918745189590510238, 0.16900472663926790282658342659855, 0.190350578064785409913256402421014,
  0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
];
const WG = [
  0.129484966168869693270611432679082, 0.27970539148927666790146777142378, 0.381830050505118944950369775488975,
  0.417959183673469387755102040816327,
];

/** One G7/K15 panel: Kronrod estimate and |Kronrod − Gauss| as its error. */
function gk15(f: (x: number) => number, a: number, b: number): { value: number; error: number } {
  const c = 0.5 * (a + b);
  const h = 0.5 * (b - a);
  const fc = f(c);
  let k = WGK[7] * fc;
  let g = WG[3] * fc;
  for (let j = 0; j < 7; j++) {
    const fs = f(c - h * XGK[j]) + f(c + h * XGK[j]);
    k += WGK[j] * fs;
    if (j % 2 === 1) g += WG[(j - 1) / 2] * fs; // Gauss nodes are the odd Kronrod ones
  }
  return { value: k * h, error: Math.abs((k - g) * h) };
}

/**
 * Adaptive Gauss–Kronrod quadrature of a smooth function on [a, b], bisecting
 * panels until each meets its share of `absTol`. Adaptive because Onsager's
 * integrand develops a near-kink at one endpoint as T → T_c.
 */
export function integrate(f: (x: number) => number, a: number, b: number, absTol = 1e-14, maxDepth = 60): number {
  const recurse = (lo: number, hi: number, tol: number, depth: number): number => {
    const { value, error } = gk15(f, lo, hi);
    if (error <= tol || depth >= maxDepth) return value;
    const mid = 0.5 * (lo + hi);
    return recurse(lo, mid, tol / 2, depth + 1) + recurse(mid, hi, tol / 2, depth + 1);
  };
  return recurse(a, b, absTol, 0);
}

/** Gaussian averages ∫Dt f(t) are cut to |t| ≤ 12: the weight beyond is < 1e-30. */
const GAUSS_T_MAX = 12;
const SQRT2PI = Math.sqrt(2 * Math.PI);

/** ∫Dt f(t), Dt = e^{−t²/2} dt/√(2π), truncated to |t| ≤ 12 and split at 0 for the adaptive rule. */
export function gaussianAverage(f: (t: number) => number, tol = 1e-13): number {
  const g = (t: number): number => (Math.exp(-0.5 * t * t) / SQRT2PI) * f(t);
  return integrate(g, -GAUSS_T_MAX, 0, tol) + integrate(g, 0, GAUSS_T_MAX, tol);
}
