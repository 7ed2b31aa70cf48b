/** Prints, once per test run, the WebGPU adapter the GPU tests run on. */
import { openNodeDevice } from '../src/gpu/node.ts';

export default async function setup(): Promise<void> {
  const ctx = await openNodeDevice();
  process.stdout.write(
    `\nWebGPU adapter for the GPU tests: ${ctx.adapterName} — ${ctx.info.description} ` +
      `(${ctx.isSoftware ? 'software' : 'hardware'}; Vulkan driver: ${ctx.setup.icdFiles.join(':')})\n\n`,
  );
  ctx.destroy();
}
