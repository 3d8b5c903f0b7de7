// Regenerates the docs that are derived from code. `npm run docs:generate`; a test fails when
// the committed files differ from what this writes.
import { writeFileSync } from 'node:fs';
import { renderConfigReference } from '../src/config/index.js';
import { renderErrorReference } from '../src/errors/render-docs.js';

writeFileSync(new URL('../docs/configuration.md', import.meta.url), renderConfigReference());
writeFileSync(new URL('../docs/errors.md', import.meta.url), renderErrorReference());
console.log('wrote docs/configuration.md and docs/errors.md');
