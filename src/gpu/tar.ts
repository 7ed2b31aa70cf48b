/** Unpacking the tar archives that ship inside npm packages (SwiftShader, Chromium), without a tar binary. */

import fs from 'node:fs';
import path from 'node:path';

/** Minimal ustar reader: the folders and regular files of `tar`, written under `dest` (nothing outside it). */
export function extractTar(tar: Buffer, dest: string): void {
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, len: number): string =>
      header
        .subarray(start, start + len)
        .toString('utf8')
        .replace(/\0.*$/s, '')
        .trim();
    const name = (field(345, 155) ? `${field(345, 155)}/` : '') + field(0, 100);
    const size = parseInt(field(124, 12) || '0', 8);
    const type = field(156, 1) || '0';
    offset += 512;
    const out = path.join(dest, name);
    if (out.startsWith(dest + path.sep)) {
      if (type === '5') fs.mkdirSync(out, { recursive: true });
      else if (type === '0') {
        fs.mkdirSync(path.dirname(out), { recursive: true });
        fs.writeFileSync(out, tar.subarray(offset, offset + size), { mode: 0o755 });
      }
    }
    offset += Math.ceil(size / 512) * 512;
  }
}
