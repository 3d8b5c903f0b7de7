import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The installed package's version, read from its package.json. This module runs from src/cli (tsx),
 * dist/cli (tsc) or dist/cli/bundle (esbuild chunks), so the file is looked for upwards rather than at
 * a fixed relative path.
 */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (manifest.name === 'bulwark' && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // no package.json here (or not ours): keep looking upwards
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}
