/**
 * Workgroup memory from one list: the WGSL `var<workgroup>` declarations and the byte count the
 * host checks against maxComputeWorkgroupStorageSize come from the same entries.
 */

import { GpuLimitError } from './errors.ts';

/** One workgroup array: name, WGSL element type (4 bytes: u32, i32, f32, atomics or an alias of them), length. */
export type WorkgroupArray = readonly [name: string, type: string, length: number];

export interface WorkgroupMemory {
  wgsl: string;
  bytes: number;
}

export function workgroupMemory(arrays: readonly WorkgroupArray[]): WorkgroupMemory {
  return {
    wgsl: arrays.map(([name, type, n]) => `var<workgroup> ${name}: array<${type}, ${n}>;`).join('\n'),
    bytes: arrays.reduce((s, [, , n]) => s + 4 * n, 0),
  };
}

/** Throws GpuLimitError when `memory` exceeds the device's workgroup storage; `what` names the need. */
export function checkWorkgroupFits(device: GPUDevice, memory: WorkgroupMemory, what: string, hint = ''): void {
  const available = device.limits.maxComputeWorkgroupStorageSize;
  if (memory.bytes > available) {
    throw new GpuLimitError(
      'maxComputeWorkgroupStorageSize',
      memory.bytes,
      available,
      `${what} need ${memory.bytes} bytes of workgroup memory, more than this device's maxComputeWorkgroupStorageSize ` +
        `(${available}${hint}); use the CPU sampler`,
    );
  }
}
