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

function describeRange(s: FlagSpec): string {
  const parts: string[] = [];
  if (s.even) parts.push('an even integer');
  else if (s.type === 'int' || s.type === 'intList') parts.push('an integer');
  else parts.push('a number');
  if (s.above !== undefined) parts.push(`> ${s.above}`);
  if (s.min !== undefined && s.max !== undefined) parts.push(`in [${s.min}, ${s.max}]`);
  else if (s.min !== undefined) parts.push(`>= ${s.min}`);
  else if (s.max !== undefined) parts.push(`<= ${s.max}`);
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
 * Parse `argv` against `specs`; fills defaults; throws UsageError. Arguments that are not flags
 * (nor a flag's value) are collected in `_` when `positional` is set, refused otherwise.
 */
export function parseFlags(
  command: string,
  specs: FlagSpecs,
  argv: readonly string[],
  positional = false,
): Record<string, FlagValue> & { _?: string[] } {
  const out: Record<string, FlagValue> & { _?: string[] } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      if (!positional)
        throw new UsageError(`unexpected argument '${arg}' for 'ising ${command}' (flags start with --; see --help)`);
      (out._ ??= []).push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq >= 0 ? eq : undefined);
    const spec = specs[name];
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
  }
  return out;
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
    return [`  --${name}${meta}`, `${s.help}${def}`];
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
