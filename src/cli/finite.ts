/**
 * The last check before a result is printed: every number in it must be finite. A NaN or an
 * infinity would print as null (JSON) or "NaN" (text) with exit 0; a quantity that is undefined by
 * design (an error bar from two points) is null in the result, never NaN.
 */

/** The path of the first number in `value` that is not finite ("c[3].err"), or undefined. */
export function nonFinitePath(value: unknown, path = ''): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path || '(result)';
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = nonFinitePath(value[i], `${path}[${i}]`);
      if (bad !== undefined) return bad;
    }
    return undefined;
  }
  for (const [key, v] of Object.entries(value)) {
    const bad = nonFinitePath(v, path ? `${path}.${key}` : key);
    if (bad !== undefined) return bad;
  }
  return undefined;
}

/**
 * `value` with every non-finite `err` made null: an error bar that is undefined by design (one
 * seed, a peak at an end of the ladder). Other numbers are left for {@link nonFinitePath}.
 */
export function undefinedErrorsAsNull<T>(value: T): T {
  if (Array.isArray(value)) return value.map(undefinedErrorsAsNull) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = key === 'err' && typeof v === 'number' && !Number.isFinite(v) ? null : undefinedErrorsAsNull(v);
  }
  return out as T;
}
