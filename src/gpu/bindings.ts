/**
 * Named bindings: one table per kernel (name → binding number, buffer kind, WGSL type) from which
 * the WGSL `@group(g) @binding(n) var<…> name: type;` declarations, the bind-group layout and the
 * bind group (filled by name) are all produced, so they cannot disagree. Binding numbers follow
 * the order of the table's entries.
 */

export type BindingKind = 'uniform' | 'storage' | 'read-only-storage';

export interface BindingSpec {
  kind: BindingKind;
  /** WGSL type of the variable, e.g. 'array<u32>' or a struct name. */
  type: string;
  /** A uniform read at a dynamic offset: the bytes visible per offset. */
  dynamicBytes?: number;
}

export interface BindingTable<K extends string> {
  readonly label: string;
  readonly group: number;
  readonly entries: Readonly<Record<K, BindingSpec>>;
  /** Shader stages that see the bindings (default COMPUTE). */
  readonly visibility?: () => GPUShaderStageFlags;
}

/** A table whose keys are checked by the compiler. */
export function bindingTable<K extends string>(
  label: string,
  group: number,
  entries: Record<K, BindingSpec>,
  visibility?: () => GPUShaderStageFlags,
): BindingTable<K> {
  return { label, group, entries, visibility };
}

const names = <K extends string>(t: BindingTable<K>): K[] => Object.keys(t.entries) as K[];

const ADDRESS_SPACE: Record<BindingKind, string> = {
  uniform: 'uniform',
  storage: 'storage, read_write',
  'read-only-storage': 'storage, read',
};

/** The WGSL declarations of the table, one line per binding. */
export function wgslBindings<K extends string>(t: BindingTable<K>): string {
  return names(t)
    .map((name, n) => {
      const spec = t.entries[name];
      return `@group(${t.group}) @binding(${n}) var<${ADDRESS_SPACE[spec.kind]}> ${name}: ${spec.type};`;
    })
    .join('\n');
}

/** The bind-group layout of the table. */
export function createBindGroupLayout<K extends string>(device: GPUDevice, t: BindingTable<K>): GPUBindGroupLayout {
  const visibility = t.visibility?.() ?? GPUShaderStage.COMPUTE;
  return device.createBindGroupLayout({
    label: `${t.label} layout`,
    entries: names(t).map((name, binding) => {
      const { kind, dynamicBytes } = t.entries[name];
      const buffer: GPUBufferBindingLayout =
        dynamicBytes === undefined
          ? { type: kind }
          : { type: kind, hasDynamicOffset: true, minBindingSize: dynamicBytes };
      return { binding, visibility, buffer };
    }),
  });
}

/** The bind group of the table with a buffer for every name. */
export function createBindGroup<K extends string>(
  device: GPUDevice,
  t: BindingTable<K>,
  layout: GPUBindGroupLayout,
  buffers: Readonly<Record<K, GPUBuffer>>,
): GPUBindGroup {
  return device.createBindGroup({
    label: `${t.label} bind group`,
    layout,
    entries: names(t).map((name, binding) => {
      const size = t.entries[name].dynamicBytes;
      return { binding, resource: size === undefined ? { buffer: buffers[name] } : { buffer: buffers[name], size } };
    }),
  });
}

/** Shorthands for table entries. */
export const uniform = (type: string, dynamicBytes?: number): BindingSpec => ({ kind: 'uniform', type, dynamicBytes });
export const storage = (type: string): BindingSpec => ({ kind: 'storage', type });
export const readOnly = (type: string): BindingSpec => ({ kind: 'read-only-storage', type });
