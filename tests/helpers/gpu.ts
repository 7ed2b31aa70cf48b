/**
 * The WebGPU device of a test file: opened once per worker through the same code path as the
 * CLI (src/gpu/node.ts), so on a machine without a GPU the tests really run on SwiftShader.
 * Never skipped: if no adapter can be opened, the tests fail.
 */
import { openNodeDevice } from '../../src/gpu/node.ts';
import type { GpuContext } from '../../src/gpu/device.ts';

let ctx: Promise<GpuContext> | undefined;

export function testGpu(): Promise<GpuContext> {
  ctx ??= openNodeDevice().then((c) => {
    process.stderr.write(`[tests] WebGPU adapter: ${c.adapterName} (${c.info.description})\n`);
    return c;
  });
  return ctx;
}
