/**
 * A small JSON Schema (draft-07) checker for the keywords the CycloneDX 1.6 schemas use: $ref
 * (within a document and across the bundled files), type, enum, const, properties,
 * additionalProperties, required, items (list and tuple forms), additionalItems, oneOf, anyOf, allOf, not, if/then/else, pattern,
 * minimum, maximum, minLength, maxLength, minItems, maxItems, uniqueItems, and the date-time
 * format. Unknown keywords are ignored (annotations such as title, examples, meta:enum).
 */
export type Schema = boolean | { [keyword: string]: unknown };

export interface SchemaSet {
  /** Documents by file name (the last segment of their $id), e.g. 'spdx.schema.json'. */
  documents: ReadonlyMap<string, Schema>;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  if (type === 'integer') return Number.isInteger(value);
  return typeOf(value) === type;
}

function resolvePointer(document: Schema, pointer: string): Schema {
  let node: unknown = document;
  for (const part of pointer.split('/').filter((p) => p !== '')) {
    node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (node === undefined) throw new Error(`unresolvable $ref pointer ${pointer}`);
  }
  return node as Schema;
}

/** Checks `value` against `schema` (a member of `set`, `home` its file name); returns error strings. */
export function checkSchema(set: SchemaSet, home: string, schema: Schema, value: unknown, path = '$'): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path}: no value is allowed here`];
  const errors: string[] = [];
  const s = schema;
  const sub = (child: Schema, v: unknown, p: string, doc = home) => checkSchema(set, doc, child, v, p);

  if (typeof s['$ref'] === 'string') {
    const [file, pointer = ''] = s['$ref'].split('#');
    const doc = file ? file.split('/').at(-1) ?? file : home;
    const target = set.documents.get(doc);
    if (target === undefined) return [`${path}: $ref to unknown document ${doc}`];
    // draft-07: siblings of $ref are ignored.
    return sub(resolvePointer(target, pointer), value, path, doc);
  }
  if (s['type'] !== undefined) {
    const types = Array.isArray(s['type']) ? (s['type'] as string[]) : [s['type'] as string];
    if (!types.some((t) => matchesType(value, t))) return [`${path}: expected ${types.join('|')}, got ${typeOf(value)}`];
  }
  if (Array.isArray(s['enum']) && !s['enum'].some((e) => JSON.stringify(e) === JSON.stringify(value))) errors.push(`${path}: ${JSON.stringify(value)} is not one of the allowed values`);
  if ('const' in s && JSON.stringify(s['const']) !== JSON.stringify(value)) errors.push(`${path}: must be ${JSON.stringify(s['const'])}`);

  if (typeof value === 'string') {
    if (typeof s['pattern'] === 'string' && !new RegExp(s['pattern'], 'u').test(value)) errors.push(`${path}: does not match ${s['pattern']}`);
    if (typeof s['minLength'] === 'number' && [...value].length < s['minLength']) errors.push(`${path}: shorter than ${s['minLength']}`);
    if (typeof s['maxLength'] === 'number' && [...value].length > s['maxLength']) errors.push(`${path}: longer than ${s['maxLength']}`);
    if (s['format'] === 'date-time' && !DATE_TIME.test(value)) errors.push(`${path}: not an RFC 3339 date-time`);
  }
  if (typeof value === 'number') {
    if (typeof s['minimum'] === 'number' && value < s['minimum']) errors.push(`${path}: below ${s['minimum']}`);
    if (typeof s['maximum'] === 'number' && value > s['maximum']) errors.push(`${path}: above ${s['maximum']}`);
  }
  if (Array.isArray(value)) {
    if (typeof s['minItems'] === 'number' && value.length < s['minItems']) errors.push(`${path}: fewer than ${s['minItems']} items`);
    if (typeof s['maxItems'] === 'number' && value.length > s['maxItems']) errors.push(`${path}: more than ${s['maxItems']} items`);
    if (s['uniqueItems'] === true && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) errors.push(`${path}: items are not unique`);
    const items = s['items'];
    if (Array.isArray(items)) {
      // Tuple form: one schema per position; additionalItems governs the rest.
      value.forEach((item, i) => {
        const positional = items[i] as Schema | undefined;
        if (positional !== undefined) errors.push(...sub(positional, item, `${path}[${i}]`));
        else if (s['additionalItems'] !== undefined) errors.push(...sub(s['additionalItems'] as Schema, item, `${path}[${i}]`));
      });
    } else if (items !== undefined) value.forEach((item, i) => errors.push(...sub(items as Schema, item, `${path}[${i}]`)));
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    for (const key of (s['required'] as string[] | undefined) ?? []) if (!(key in object)) errors.push(`${path}: missing required property ${key}`);
    const properties = (s['properties'] as Record<string, Schema> | undefined) ?? {};
    for (const [key, child] of Object.entries(object)) {
      const declared = properties[key];
      if (declared !== undefined) errors.push(...sub(declared, child, `${path}.${key}`));
      else if (s['additionalProperties'] !== undefined) errors.push(...sub(s['additionalProperties'] as Schema, child, `${path}.${key}`));
    }
  }
  for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = s[keyword] as Schema[] | undefined;
    if (!list) continue;
    const passing = list.filter((child) => sub(child, value, path).length === 0).length;
    if (keyword === 'allOf' && passing !== list.length) errors.push(...list.flatMap((child) => sub(child, value, path)));
    if (keyword === 'anyOf' && passing === 0) errors.push(`${path}: matches none of anyOf`);
    if (keyword === 'oneOf' && passing !== 1) errors.push(`${path}: matches ${passing} of oneOf (exactly one required)`);
  }
  if (s['not'] !== undefined && sub(s['not'] as Schema, value, path).length === 0) errors.push(`${path}: must not match the "not" schema`);
  if (s['if'] !== undefined) {
    const branch = sub(s['if'] as Schema, value, path).length === 0 ? s['then'] : s['else'];
    if (branch !== undefined) errors.push(...sub(branch as Schema, value, path));
  }
  return errors;
}
