/** x.toFixed(digits) without a minus sign on a value that rounds to zero ("-0.000" → "0.000"). */
export function fixed(x: number, digits: number): string {
  const s = x.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}
