/**
 * The import-direction rule: LAYERS is the one written order of src/'s folders, lowest first; a
 * module may import from its own folder and from folders earlier in the list, never later.
 * docs/ARCHITECTURE.md explains each layer.
 */
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

export const LAYERS = [
  'math',
  'rng',
  'params',
  'io',
  'physics',
  'analysis',
  'gpu',
  'tempering',
  'models',
  'render',
  'plot',
  'studies',
  'bench',
  'cli',
  'app',
] as const;

/** Paths outside src/ that modules may name: the WGSL sources and the unpacked SwiftShader cache. */
const OUTSIDE_OK = ['shaders/', 'node_modules/'];

const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+|new URL\(\s*)(['"])(\.{1,2}\/[^'"?]+)/g;

/** Relative specifiers imported by a TypeScript source text. */
export function importsOf(text: string): string[] {
  return [...text.matchAll(IMPORT)].map((m) => m[2]);
}

/** The layer (top folder under src/) of a path relative to the repository, or undefined. */
function layerOf(path: string): string | undefined {
  const parts = normalize(path).split('/');
  return parts[0] === 'src' && parts.length > 2 ? parts[1] : undefined;
}

/** Upward or unknown-layer imports: "from -> to" lines. */
export function violations(modules: readonly { file: string; imports: readonly string[] }[]): string[] {
  const rank = (layer: string | undefined): number => (layer ? LAYERS.indexOf(layer as never) : -1);
  const out: string[] = [];
  for (const { file, imports } of modules) {
    const from = layerOf(file);
    if (rank(from) < 0) out.push(`${file}: folder not in LAYERS`);
    for (const spec of imports) {
      const target = normalize(join(dirname(file), spec));
      const to = layerOf(target);
      if (OUTSIDE_OK.some((dir) => target.startsWith(dir))) continue;
      if (!target.startsWith('src/')) out.push(`${file} -> ${target} (outside src/)`);
      else if (rank(to) > rank(from)) out.push(`${file} -> ${target} (${from} may not import ${to})`);
    }
  }
  return out;
}

export function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}
