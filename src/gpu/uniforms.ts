/**
 * Uniform structs from one field list: the WGSL struct text and the host packer come from the
 * same names, so no value is set by position. Fields are 4-byte scalars; the struct is padded to
 * a multiple of 16 bytes (the uniform layout rule for an array stride and a buffer binding).
 */

export type ScalarType = 'u32' | 'i32' | 'f32';

export class UniformStruct<F extends string> {
  /** Words of the struct, padding included. */
  readonly words: number;
  private readonly index: Record<string, number> = {};

  constructor(
    readonly name: string,
    readonly fields: readonly (readonly [F, ScalarType])[],
  ) {
    fields.forEach(([f], i) => {
      this.index[f] = i;
    });
    this.words = Math.ceil(fields.length / 4) * 4;
  }

  get bytes(): number {
    return 4 * this.words;
  }

  /** The WGSL struct declaration. */
  wgsl(): string {
    const lines = this.fields.map(([f, t]) => `  ${f}: ${t},`);
    for (let i = this.fields.length; i < this.words; i++) lines.push(`  _pad${i - this.fields.length}: u32,`);
    return `struct ${this.name} {\n${lines.join('\n')}\n}`;
  }

  /** The struct's words from a value per field, written into `out` at word `at` (or a new array). */
  pack(
    values: Readonly<Record<F, number>>,
    out: Uint32Array<ArrayBuffer> = new Uint32Array(this.words),
    at = 0,
  ): Uint32Array<ArrayBuffer> {
    const f32 = new Float32Array(out.buffer, out.byteOffset, out.length);
    const i32 = new Int32Array(out.buffer, out.byteOffset, out.length);
    for (const [f, t] of this.fields) {
      const i = at + this.index[f];
      if (t === 'f32') f32[i] = values[f];
      else if (t === 'i32') i32[i] = values[f];
      else out[i] = values[f];
    }
    return out;
  }
}

/** A struct of u32 fields only (the common case). */
export const u32Struct = <F extends string>(name: string, fields: readonly F[]): UniformStruct<F> =>
  new UniformStruct(
    name,
    fields.map((f) => [f, 'u32'] as const),
  );
