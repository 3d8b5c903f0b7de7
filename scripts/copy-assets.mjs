#!/usr/bin/env node
// tsc compiles only TypeScript; data files (the hub's static files, the common-password list) are
// copied next to the compiled modules that read them.
import { cpSync } from 'node:fs';

for (const dir of ['hub/pages/static/', 'identity/data/']) {
  cpSync(new URL(`../src/${dir}`, import.meta.url), new URL(`../dist/${dir}`, import.meta.url), { recursive: true });
}
