/**
 * A small, strict flag parser for the `ising` CLI: every flag is declared with its type and
 * range, and any violation is a UsageError whose one-line message names the flag (exit code 2).
 */

export class UsageError extends Error {
  override name = 'UsageError';
  readonly exitCode = 2;
}

export type FlagValue = number | string | boolean | number[];

/** Declaration of one flag. */
export interface FlagSpec {
  type: 'int' | 'float' | 'string' | 'bool' | 'intList';
  help: string;
  default?: FlagValue;
  required?: boolean;
  /** Allowed values of a string flag. */
  choices?: readonly string[];
  /** Inclusive bounds of a number (each entry of a list). */
  min?: number;
  max?: number;
  /** Strict lower bound (e.g. T > 0). */
  above?: number;
  /** Integers must be even. */
  even?: boolean;
  /** Placeholder shown in help. */
  metavar?: string;
}

export type FlagSpecs = Record<string, FlagSpec>;

/**
 * Declare a command's flags. The `const` type parameter keeps the literal types of the declarations
 * (`type: 'int'`, `required: true`, `choices: ['hot', 'cold']`), from which ParsedFlags derives the
 * type of the parsed options.
 */
export function defineFlags<const S extends FlagSpecs>(specs: S): S {
  return specs;
}

/** The value type of one flag: numbers, a list, a boolean, one of the choices, or any string. */
type FlagValueOf<F extends FlagSpec> = F['type'] extends 'int' | 'float'
  ? number
  : F['type'] extends 'intList'
    ? number[]
    : F['type'] extends 'bool'
      ? boolean
      : F extends { choices: readonly (infer C extends string)[] }
        ? C
        : string;

/** Flags that always have a value after parsing: required ones, ones with a default, and booleans (false when absent). */
type AlwaysSet<F> = F extends { required: true }
  ? true
  : F extends { default: FlagValue }
    ? true
    : F extends { type: 'bool' }
      ? true
      : false;

/**
 * The parse result of a command with flags S: required flags, flags with defaults and booleans are
 * present; the others optional. `_` holds the positional arguments (empty unless the command takes them).
 */
export type ParsedFlags<S extends FlagSpecs> = {
  -readonly [K in keyof S as AlwaysSet<S[K]> extends true ? K : never]: FlagValueOf<S[K]>;
} & {
  -readonly [K in keyof S as AlwaysSet<S[K]> extends true ? never : K]?: FlagValueOf<S[K]>;
} & { _: string[] };

function describeRange(s: FlagSpec): string {
  const parts: string[] = [];
  if (s.even) parts.push('an even integer');
  else if (s.type === 'int' || s.type === 'intList') parts.push('an integer');
  else parts.push('a number');
  if (s.above !== undefined && s.max !== undefined) parts.push(`in (${s.above}, ${s.max}]`);
  else if (s.above !== undefined) parts.push(`> ${s.above}`);
  if (s.min !== undefined && s.max !== undefined) parts.push(`in [${s.min}, ${s.max}]`);
  else if (s.min !== undefined) parts.push(`>= ${s.min}`);
  else if (s.max !== undefined && s.above === undefined) parts.push(`<= ${s.max}`);
  return parts.join(' ');
}

function parseNumber(flag: string, spec: FlagSpec, raw: string): number {
  // Plain decimal syntax only (an exponent is fine: --sweeps 1e5); no hex, no padding.
  const v = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw) ? Number(raw) : NaN;
  const integer = spec.type === 'int' || spec.type === 'intList';
  const bad =
    !Number.isFinite(v) ||
    (integer && !Number.isInteger(v)) ||
    (spec.even && v % 2 !== 0) ||
    (spec.above !== undefined && !(v > spec.above)) ||
    (spec.min !== undefined && v < spec.min) ||
    (spec.max !== undefined && v > spec.max);
  if (bad) throw new UsageError(`--${flag} must be ${describeRange(spec)}, got '${raw}'`);
  return v;
}

/**
 * Parse `argv` against `specs`; fills defaults (absent booleans: false); throws UsageError. Arguments
 * that are not flags (nor a flag's value) are collected in `_` when `positional` is set, refused otherwise.
 */
export function parseFlags<S extends FlagSpecs>(
  command: string,
  specs: S,
  argv: readonly string[],
  positional = false,
): ParsedFlags<S> {
  const out: Record<string, FlagValue> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      if (!positional)
        throw new UsageError(`unexpected argument '${arg}' for 'ising ${command}' (flags start with --; see --help)`);
      rest.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq >= 0 ? eq : undefined);
    const spec: FlagSpec | undefined = specs[name];
    if (!spec) throw new UsageError(`unknown flag --${name} for 'ising ${command}' (see 'ising ${command} --help')`);
    if (name in out) throw new UsageError(`--${name} given twice`);
    if (spec.type === 'bool') {
      if (eq >= 0) {
        const v = arg.slice(eq + 1);
        if (v !== 'true' && v !== 'false')
          throw new UsageError(`--${name} takes no value (or =true/=false), got '${v}'`);
        out[name] = v === 'true';
      } else out[name] = true;
      continue;
    }
    let raw: string;
    if (eq >= 0) raw = arg.slice(eq + 1);
    else {
      if (i + 1 >= argv.length || argv[i + 1].startsWith('--')) throw new UsageError(`--${name} needs a value`);
      raw = argv[++i];
    }
    if (spec.type === 'string') {
      if (spec.choices && !spec.choices.includes(raw)) {
        throw new UsageError(`--${name} must be one of ${spec.choices.join(', ')}, got '${raw}'`);
      }
      out[name] = raw;
    } else if (spec.type === 'intList') {
      const items = raw.split(',');
      out[name] = items.map((item) => parseNumber(name, spec, item));
    } else {
      out[name] = parseNumber(name, spec, raw);
    }
  }
  for (const [name, spec] of Object.entries(specs)) {
    if (name in out) continue;
    if (spec.required) throw new UsageError(`--${name} is required for 'ising ${command}'`);
    if (spec.default !== undefined) out[name] = spec.default;
    else if (spec.type === 'bool') out[name] = false;
  }
  // The one place the untyped record meets the declarations: every key was checked against them above.
  return { ...out, _: rest } as ParsedFlags<S>;
}

/** Help text of a command from its flag declarations. */
export function formatHelp(
  command: string,
  summary: string,
  specs: FlagSpecs,
  output: string,
  positional?: string,
): string {
  const rows = Object.entries(specs).map(([name, s]) => {
    const meta = s.type === 'bool' ? '' : ` <${s.metavar ?? (s.choices ? s.choices.join('|') : s.type)}>`;
    const def = s.required
      ? ' (required)'
      : s.default !== undefined && s.type !== 'bool'
        ? ` (default ${String(s.default)})`
        : '';
    const bound = s.max !== undefined ? ` (at most ${s.max})` : '';
    return [`  --${name}${meta}`, `${s.help}${bound}${def}`];
  });
  const width = Math.max(...rows.map((r) => r[0].length)) + 2;
  return [
    `usage: ising ${command}${positional ? ` ${positional}` : ''} [flags]`,
    '',
    summary,
    '',
    'flags:',
    ...rows.map(([a, b]) => a.padEnd(width) + b),
    '',
    output,
    '',
  ].join('\n');
}
