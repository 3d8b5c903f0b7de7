#!/usr/bin/env node
// tsc compiles only TypeScript; the hub's static files are copied next to the compiled pages.
import { cpSync } from 'node:fs';

cpSync(new URL('../src/hub/pages/static/', import.meta.url), new URL('../dist/hub/pages/static/', import.meta.url), { recursive: true });
