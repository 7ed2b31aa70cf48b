/** Maximisation and stationary points: golden section in one dimension, Newton in two. */

/** Golden-section search for the maximum of a unimodal f on [a, b]. */
export function goldenMax(f: (x: number) => number, a: number, b: number, xtol = 1e-9): { x: number; f: number } {
  const g = (Math.sqrt(5) - 1) / 2;
  let x1 = b - g * (b - a);
  let x2 = a + g * (b - a);
  let f1 = f(x1);
  let f2 = f(x2);
  while (b - a > xtol) {
    if (f1 < f2) {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = a + g * (b - a);
      f2 = f(x2);
    } else {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = b - g * (b - a);
      f1 = f(x1);
    }
  }
  return f1 > f2 ? { x: x1, f: f1 } : { x: x2, f: f2 };
}

/**
 * A stationary point ∇F = 0 of F(u, v) near (u0, v0): Newton iteration with finite-difference
 * gradient and Hessian, steps capped at length 2 and halved until |∇F| decreases. Throws, naming
 * `caller`, unless |∇F| < 1e-6 at the end.
 */
export function stationaryPoint2D(
  F: (u: number, v: number) => number,
  u0: number,
  v0: number,
  caller = 'stationaryPoint2D',
): [number, number] {
  const h = 1e-4;
  const grad = (u: number, v: number): [number, number] => [
    (F(u + h, v) - F(u - h, v)) / (2 * h),
    (F(u, v + h) - F(u, v - h)) / (2 * h),
  ];
  let u = u0;
  let v = v0;
  let g = grad(u, v);
  let gn = Math.hypot(g[0], g[1]);
  for (let iter = 0; iter < 60 && gn > 1e-9; iter++) {
    const k = 1e-3;
    const gu1 = grad(u + k, v);
    const gu0 = grad(u - k, v);
    const gv1 = grad(u, v + k);
    const gv0 = grad(u, v - k);
    const a = (gu1[0] - gu0[0]) / (2 * k);
    const b = 0.5 * ((gu1[1] - gu0[1]) / (2 * k) + (gv1[0] - gv0[0]) / (2 * k));
    const d = (gv1[1] - gv0[1]) / (2 * k);
    const det = a * d - b * b;
    let du = -(d * g[0] - b * g[1]) / det;
    let dv = -(-b * g[0] + a * g[1]) / det;
    const maxStep = 2;
    const len = Math.hypot(du, dv);
    if (!Number.isFinite(len)) break;
    if (len > maxStep) {
      du *= maxStep / len;
      dv *= maxStep / len;
    }
    let accepted = false;
    for (let tries = 0; tries < 30; tries++) {
      const gNew = grad(u + du, v + dv);
      const gnNew = Math.hypot(gNew[0], gNew[1]);
      if (Number.isFinite(gnNew) && gnNew < gn) {
        u += du;
        v += dv;
        g = gNew;
        gn = gnNew;
        accepted = true;
        break;
      }
      du /= 2;
      dv /= 2;
    }
    if (!accepted) break;
  }
  if (!(gn < 1e-6)) throw new Error(`${caller}: saddle point not found (|grad| = ${gn})`);
  return [u, v];
}
