import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkSchema, type Schema } from '../../helpers/json-schema-check.js';

const FILES = ['bom-1.6.schema.json', 'spdx.schema.json', 'jsf-0.82.schema.json'];

/** The bundled CycloneDX 1.6 schemas, ready to check a document against bom-1.6. */
export function loadCycloneDx(): { check(document: unknown): string[] } {
  const dir = fileURLToPath(new URL('../../fixtures/cyclonedx/', import.meta.url));
  const documents = new Map(FILES.map((name) => [name, JSON.parse(readFileSync(`${dir}${name}`, 'utf8')) as Schema]));
  const root = documents.get('bom-1.6.schema.json') as Schema;
  return { check: (document) => checkSchema({ documents }, 'bom-1.6.schema.json', root, document) };
}
