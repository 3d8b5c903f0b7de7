import { z } from 'zod';
import { configSchema } from './schema.js';

/** One configurable key as the docs, the example config and redaction see it. */
export interface ConfigField {
  /** Dotted path; array items appear as `[]`, e.g. `services[].api_token`. */
  path: string;
  description: string;
  type: string;
  defaultValue: unknown;
  secret: boolean;
  choices?: readonly unknown[];
}

interface JsonSchemaNode {
  type?: string | string[];
  description?: string;
  default?: unknown;
  secret?: boolean;
  enum?: unknown[];
  anyOf?: JsonSchemaNode[];
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  additionalProperties?: JsonSchemaNode | boolean;
}

function describeType(node: JsonSchemaNode): string {
  if (node.enum) return node.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (node.anyOf) return node.anyOf.map(describeType).join(' | ');
  if (node.type === 'array') return `list of ${node.items ? describeType(node.items) : 'values'}`;
  if (node.type === 'object') return 'map of string to string';
  return Array.isArray(node.type) ? node.type.join(' | ') : (node.type ?? 'value');
}

function isSection(node: JsonSchemaNode): boolean {
  return node.type === 'object' && node.properties !== undefined;
}

function collect(node: JsonSchemaNode, path: string, out: ConfigField[]): void {
  if (isSection(node)) {
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      collect(child, path === '' ? key : `${path}.${key}`, out);
    }
    return;
  }
  const choices = node.enum ?? node.anyOf?.find((option) => option.enum)?.enum;
  out.push({
    path,
    description: node.description ?? '',
    type: describeType(node),
    defaultValue: node.default,
    secret: node.secret === true,
    ...(choices ? { choices } : {}),
  });
  if (node.type === 'array' && node.items && isSection(node.items)) {
    collect(node.items, `${path}[]`, out);
  }
}

let cached: readonly ConfigField[] | undefined;

/** Every leaf key of the schema in declaration order, derived from the schema itself. */
export function configFields(): readonly ConfigField[] {
  if (cached === undefined) {
    const json = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
    const fields: ConfigField[] = [];
    collect(json, '', fields);
    cached = Object.freeze(fields);
  }
  return cached;
}

/** Dotted paths whose values must never be printed or logged. */
export function secretPaths(): readonly string[] {
  return configFields()
    .filter((field) => field.secret)
    .map((field) => field.path);
}
