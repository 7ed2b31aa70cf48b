/** Parameters cut down to a smaller run (the CPU fallbacks of the pages), and a phrase per cut. */

/** `p` with each capped number at most its cap, and "name = cap instead of value" for each one cut. */
export function capped<T extends object>(
  p: T,
  caps: Partial<Record<keyof T & string, number>>,
): { params: T; reduced: string[] } {
  const params = { ...p };
  const reduced: string[] = [];
  for (const [name, cap] of Object.entries(caps) as [keyof T & string, number][]) {
    const value = p[name];
    if (typeof value === 'number' && value > cap) {
      (params as Record<string, unknown>)[name] = cap;
      reduced.push(`${name} = ${cap} instead of ${value}`);
    }
  }
  return { params, reduced };
}
