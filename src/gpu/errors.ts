/** Typed failures a user can meet when asking for the GPU. Each message says what to do. */

/** No WebGPU implementation or no adapter could be found. */
export class GpuUnavailableError extends Error {
  override name = 'GpuUnavailableError';
}

/** The requested work does not fit a device limit. Names the limit, the need and what would fit. */
export class GpuLimitError extends Error {
  override name = 'GpuLimitError';
  constructor(
    readonly limit: string,
    readonly needed: number,
    readonly available: number,
    message: string,
  ) {
    super(message);
  }
}

/** The device was lost (driver reset, GPU removed, or destroyed while in use). */
export class GpuDeviceLostError extends Error {
  override name = 'GpuDeviceLostError';
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** A WebGPU validation, out-of-memory or internal error was raised by the device. */
export class GpuValidationError extends Error {
  override name = 'GpuValidationError';
}
