/**
 * Start-up of a WebGPU page: opening the device with device-loss handling, the reason WebGPU is
 * unavailable (for a CPU fallback), and the frame loop of a page that stops for good on an error.
 */

import { openDevice, type GpuContext } from '../../gpu/device.ts';
import { errorMessage } from './dom.ts';

/** The line a page shows when its device is lost and it does not recover. */
function deviceLostText(info: GPUDeviceLostInfo): string {
  return `GPU device lost (${info.reason}): ${info.message || 'no message'}. Reload the page to start again.`;
}

/** Opens the page's device; `onLost` runs when it is lost (a driver reset, or destroy()). */
export function openGpu(onLost?: (info: GPUDeviceLostInfo) => void): Promise<GpuContext> {
  return openDevice(navigator.gpu, { onLost });
}

/** Why this browser gives no WebGPU adapter, or undefined when it does. */
export async function gpuUnavailableReason(): Promise<string | undefined> {
  if (!('gpu' in navigator) || !navigator.gpu)
    return 'WebGPU is not available in this browser (navigator.gpu is missing)';
  try {
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter) return 'WebGPU is present but no adapter was found (navigator.gpu.requestAdapter() returned null)';
  } catch (e) {
    return `WebGPU adapter request failed: ${errorMessage(e)}`;
  }
  return undefined;
}

/**
 * A page's run on the GPU: a frame loop that stops for good, with one line saying why, on the
 * first error or on a device loss (such a page shows a live run, so it asks for a reload).
 */
export class GpuRun {
  private halted = false;

  /** `onStop` shows the reason (the page's error line). */
  constructor(private readonly onStop: (text: string) => void) {}

  get stopped(): boolean {
    return this.halted;
  }

  stop(text: string): void {
    this.halted = true;
    this.onStop(text);
  }

  /** Stops with the error's message, unless stopped already. */
  readonly fail = (e: unknown): void => {
    if (!this.halted) this.stop(`error: ${errorMessage(e)}`);
  };

  /** Opens the device; its loss stops the run. */
  open(): Promise<GpuContext> {
    return openGpu((info) => this.stop(deviceLostText(info)));
  }

  /** The device, or why there is none (no WebGPU, no adapter, or the device failed to open): the CPU fallback runs. */
  async openOrReason(): Promise<{ ctx: GpuContext; why?: undefined } | { ctx?: undefined; why: string }> {
    const why = await gpuUnavailableReason();
    if (why) return { why };
    try {
      return { ctx: await this.open() };
    } catch (e) {
      return { why: `the WebGPU device could not be opened (${errorMessage(e)})` };
    }
  }

  /** Runs `step` once per animation frame until stopped; `step` checks `stopped` after each await. */
  loop(step: () => Promise<void>): void {
    const frame = (): void => {
      if (this.halted) return;
      step().then(() => requestAnimationFrame(frame), this.fail);
    };
    requestAnimationFrame(frame);
  }
}
