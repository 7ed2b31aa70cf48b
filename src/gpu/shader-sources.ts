/**
 * The WGSL files under shaders/, keyed by path relative to that folder ("philox.wgsl",
 * "ising/checkerboard.wgsl"). Under Vite (the app bundle, vitest) they are inlined at build time
 * by import.meta.glob; under plain Node (the CLI via tsx) they are read from disk. Either way the
 * same files are the only source of WGSL.
 */

type Sources = Record<string, string>;

function fromGlob(): Sources {
  const mods = import.meta.glob('../../shaders/**/*.wgsl', {
    query: '?raw',
    import: 'default',
    eager: true,
  }) as Record<string, string>;
  const out: Sources = {};
  for (const [path, text] of Object.entries(mods)) out[path.replace(/^.*?shaders\//, '')] = text;
  return out;
}

function fromDisk(): Sources {
  // process.getBuiltinModule keeps node:fs out of the browser bundle's import graph.
  const fs = process.getBuiltinModule('node:fs') as typeof import('node:fs');
  const path = process.getBuiltinModule('node:path') as typeof import('node:path');
  const url = process.getBuiltinModule('node:url') as typeof import('node:url');
  const root = url.fileURLToPath(new URL(/* @vite-ignore */ '../../shaders/', import.meta.url));
  const out: Sources = {};
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.wgsl')) {
        out[path.relative(root, full).split(path.sep).join('/')] = fs.readFileSync(full, 'utf8');
      }
    }
  };
  walk(root);
  return out;
}

let cache: Sources | undefined;

/** All WGSL sources, loaded once. */
export function shaderSources(): Sources {
  // import.meta.env exists only under Vite; tsx leaves it undefined and never calls the glob.
  cache ??= import.meta.env ? fromGlob() : fromDisk();
  return cache;
}
