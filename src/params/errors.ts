/** The one error type for a parameter outside its allowed range, used by every layer above. */

/** Thrown for a parameter outside its allowed range; the message names the parameter. */
export class ParameterError extends RangeError {
  override name = 'ParameterError';
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

/** Throw a ParameterError naming `parameter` unless `ok`. */
export function checkParameter(ok: boolean, parameter: string, message: string): void {
  if (!ok) throw new ParameterError(parameter, `${parameter} ${message}`);
}
