import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { renderErrorReference } from '../errors/render-docs.js';
import { configFields } from './schema-fields.js';
import { renderConfigReference, renderExampleConfig } from './render.js';
import { configSchema } from './schema.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

test('docs/configuration.md is what the schema generates (run npm run docs:generate)', () => {
  assert.equal(read('docs/configuration.md'), renderConfigReference());
});

test('docs/errors.md documents exactly the error catalog (run npm run docs:generate)', () => {
  assert.equal(read('docs/errors.md'), renderErrorReference());
});

test('the generated example config parses under the schema and equals the defaults', () => {
  const parsed: unknown = parse(renderExampleConfig());
  const result = configSchema.safeParse(parsed);
  assert.ok(result.success, JSON.stringify(result.error?.issues));
  assert.deepEqual(result.data, configSchema.parse({}));
});

test('every config key has a description', () => {
  const undocumented = configFields().filter((field) => field.description.trim() === '' && !field.path.includes('[]'));
  assert.deepEqual(undocumented.map((f) => f.path), []);
});
