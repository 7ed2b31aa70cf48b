/** Reading a page's URL parameters: the error that names a bad one, and a number with its fallback. */

/** A bad URL parameter; `parameter` is its name as written in the URL. */
export class PageParamError extends Error {
  override name = 'PageParamError';
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

/** The number `name` of `params`, `fallback` when absent; PageParamError when it is not a finite number. */
export function numberParam(params: URLSearchParams, name: string, fallback: number): number {
  const raw = params.get(name);
  if (raw === null) return fallback;
  const v = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(v)) throw new PageParamError(name, `${name} must be a number, got '${raw}'`);
  return v;
}
