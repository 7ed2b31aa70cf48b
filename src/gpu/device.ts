/**
 * Device acquisition shared by the browser and Node: one function that asks for an adapter,
 * requests the adapter's largest buffer limits and the optional features we use, and hooks
 * `device.lost` and `uncapturederror` so that failures are reported, never swallowed.
 */

import { capAllocations, outOfMemory, SWIFTSHADER_MAX_BUFFER } from './buffers.ts';
import { GpuDeviceLostError, GpuUnavailableError, GpuValidationError } from './errors.ts';

/** What the rest of the code needs to know about the device it runs on. */
export interface GpuContext {
  readonly adapter: GPUAdapter;
  readonly device: GPUDevice;
  /** Short adapter name, e.g. "google swiftshader" or "nvidia hopper". */
  readonly adapterName: string;
  /** Adapter info (vendor, architecture, device, description). */
  readonly info: { vendor: string; architecture: string; device: string; description: string };
  /** True for a CPU (software) adapter such as SwiftShader. */
  readonly isSoftware: boolean;
  /** True when the device was created with 'timestamp-query'. */
  readonly hasTimestamps: boolean;
  /** Throws if the device was lost or raised an uncaptured error since the last check. */
  check(): void;
  /** Resolves when the device is lost (also on destroy()). */
  readonly lost: Promise<GPUDeviceLostInfo>;
  /** Destroys the device; later check() calls report it as destroyed. */
  destroy(): void;
}

/** Options for {@link openDevice}. */
export interface OpenDeviceOptions {
  powerPreference?: GPUPowerPreference;
  /** Called once if the device is lost for any reason but destroy(). */
  onLost?: (info: GPUDeviceLostInfo) => void;
  /** Optional features to enable when the adapter has them. */
  optionalFeatures?: GPUFeatureName[];
}

/** Limits we raise to the adapter's maximum, since lattices are large storage buffers. */
const RAISED_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBuffersPerShaderStage',
] as const;

/** Short name of an adapter: "vendor architecture", or the description when both are empty. */
function adapterDisplayName(info: GPUAdapterInfo): string {
  const name = [info.vendor, info.architecture].filter((s) => s && s.length > 0).join(' ');
  return name || info.description || 'unknown adapter';
}

/** Ask `gpu` for an adapter and a device. Throws GpuUnavailableError with a hint when there is none. */
export async function openDevice(gpu: GPU | undefined, options: OpenDeviceOptions = {}): Promise<GpuContext> {
  if (!gpu) {
    throw new GpuUnavailableError(
      'WebGPU is not available here (navigator.gpu is undefined): use a browser with WebGPU enabled ' +
        '(Chrome/Edge 113+, or chrome://flags/#enable-unsafe-webgpu), or the Node `webgpu` package.',
    );
  }
  const adapter = await gpu.requestAdapter({ powerPreference: options.powerPreference ?? 'high-performance' });
  if (!adapter) {
    throw new GpuUnavailableError(
      'no WebGPU adapter was found: the GPU may be blocked or its driver missing. ' +
        'In Node, ISING_ADAPTER=software selects the SwiftShader software adapter.',
    );
  }
  const requiredLimits: Record<string, number> = {};
  for (const name of RAISED_LIMITS) requiredLimits[name] = adapter.limits[name];
  const wanted: GPUFeatureName[] = ['timestamp-query', ...(options.optionalFeatures ?? [])];
  const requiredFeatures = wanted.filter((f) => adapter.features.has(f));
  const device = await adapter.requestDevice({ requiredLimits, requiredFeatures, label: 'ising-webgpu' });

  const info = adapter.info;
  const errors: GPUError[] = [];
  let lostInfo: GPUDeviceLostInfo | undefined;
  let destroyed = false;
  device.addEventListener('uncapturederror', (event) => {
    event.preventDefault(); // Dawn in Node would also print it, on stdout
    errors.push((event as GPUUncapturedErrorEvent).error);
  });
  const isSoftware =
    (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter === true ||
    /swiftshader|llvmpipe|lavapipe|warp/i.test(`${info.architecture} ${info.description}`);
  if (/swiftshader/i.test(`${info.vendor} ${info.architecture} ${info.description}`))
    capAllocations(device, SWIFTSHADER_MAX_BUFFER);
  const lost = device.lost.then((li) => {
    lostInfo = li;
    if (!destroyed && options.onLost) options.onLost(li);
    return li;
  });

  return {
    adapter,
    device,
    adapterName: adapterDisplayName(info),
    info: {
      vendor: info.vendor ?? '',
      architecture: info.architecture ?? '',
      device: info.device ?? '',
      description: info.description ?? '',
    },
    isSoftware,
    hasTimestamps: device.features.has('timestamp-query'),
    lost,
    check(): void {
      if (lostInfo) {
        throw new GpuDeviceLostError(
          String(lostInfo.reason),
          destroyed
            ? 'the GPU device was destroyed and can no longer be used'
            : `the GPU device was lost (${lostInfo.reason}): ${lostInfo.message || 'no message'}; ` +
                'start again from the last saved state',
        );
      }
      const oom = errors.find((e) => typeof GPUOutOfMemoryError !== 'undefined' && e instanceof GPUOutOfMemoryError);
      if (oom) {
        errors.length = 0;
        throw outOfMemory(oom, 'a buffer');
      }
      if (errors.length > 0) {
        const all = errors.splice(0).map((e) => e.message);
        throw new GpuValidationError(`WebGPU error: ${all.join(' | ')}`);
      }
    },
    destroy(): void {
      destroyed = true;
      device.destroy();
    },
  };
}

/**
 * Create a shader module and compute pipeline, and turn WGSL compile or pipeline validation
 * errors into a readable exception (with the kernel's label) instead of an uncaptured error.
 */
export async function createComputePipeline(
  device: GPUDevice,
  label: string,
  code: string,
  layout: GPUPipelineLayout,
  entryPoint: string,
  constants?: Record<string, number>,
): Promise<GPUComputePipeline> {
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ label, code });
  const pipeline = device.createComputePipeline({ label, layout, compute: { module, entryPoint, constants } });
  const error = await device.popErrorScope();
  if (error) {
    const info = await module.getCompilationInfo();
    const lines = info.messages.map((m) => `  ${m.type} at ${m.lineNum}:${m.linePos}: ${m.message}`).join('\n');
    throw new GpuValidationError(`kernel '${label}' failed to build: ${error.message}\n${lines}`);
  }
  return pipeline;
}
