/**
 * Shader assembly. WGSL has no #include, so a kernel is the concatenation of files from
 * shaders/ (the RNG first), preceded by `const` declarations generated from TypeScript
 * constants and by generated structs and bindings, so that each has one source of truth.
 */

import { PHILOX_CONSTANTS } from '../rng/philox.ts';
import { shaderSources } from './shader-sources.ts';

/** A constant to declare in WGSL: a u32 (non-negative integer), i32 or f32 value. */
export type WgslConstant = { u32: number } | { i32: number } | { f32: number };

/** The WGSL `const` declaration of one constant (checked to fit its type). */
export function declareConstant(name: string, value: WgslConstant): string {
  if ('u32' in value) {
    if (!Number.isInteger(value.u32) || value.u32 < 0 || value.u32 > 0xffffffff) {
      throw new RangeError(`WGSL constant ${name} is not a u32: ${value.u32}`);
    }
    return `const ${name}: u32 = ${value.u32}u;`;
  }
  if ('i32' in value) {
    if (!Number.isInteger(value.i32) || Math.abs(value.i32) > 0x7fffffff) {
      throw new RangeError(`WGSL constant ${name} is not an i32: ${value.i32}`);
    }
    return `const ${name}: i32 = ${value.i32}i;`;
  }
  if (!Number.isFinite(value.f32)) throw new RangeError(`WGSL constant ${name} is not finite`);
  return `const ${name}: f32 = ${value.f32.toExponential(9)}f;`;
}

/**
 * Concatenate the named shader files (paths relative to shaders/) after the generated constants
 * and the `generated` declarations (uniform structs, bindings, workgroup arrays: WGSL module scope
 * is order-free, so the files may use them). Throws if a file is missing, naming it and what exists.
 */
export function assembleShader(
  files: readonly string[],
  constants: Record<string, WgslConstant> = {},
  generated: readonly string[] = [],
): string {
  const sources = shaderSources();
  const philox = files.includes('philox.wgsl') ? Object.entries(PHILOX_CONSTANTS) : [];
  const parts = [
    '// Assembled by src/gpu/shaders.ts; constants, structs and bindings generated from TypeScript.',
    ...philox.map(([k, v]) => declareConstant(k, { u32: v })),
    ...Object.entries(constants).map(([k, v]) => declareConstant(k, v)),
    ...generated,
  ];
  for (const file of files) {
    const text = sources[file];
    if (text === undefined) {
      throw new Error(`shader file shaders/${file} not found (have: ${Object.keys(sources).sort().join(', ')})`);
    }
    parts.push(`// ---- shaders/${file}`, text);
  }
  return parts.join('\n');
}
