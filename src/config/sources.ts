import { parse as parseYaml } from 'yaml';
import type { ConfigSource } from './errors.js';

export type PlainObject = Record<string, unknown>;

/** A layer of user-provided settings, with where each dotted path came from. */
export interface ConfigLayer {
  source: ConfigSource;
  values: PlainObject;
  origins: Map<string, string>;
}

const ENV_PREFIX = 'BULWARK_';
/** Environment variables with the prefix that are not config keys (the config file, test switches). */
const NON_CONFIG_ENV = new Set(['BULWARK_CONFIG', 'BULWARK_RUN_SOURCES', 'BULWARK_TEST_LOG']);

export function isPlainObject(value: unknown): value is PlainObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Sets `a.b.c` in a nested object, creating sections on the way. */
export function setPath(target: PlainObject, path: readonly string[], value: unknown): void {
  let node = target;
  path.slice(0, -1).forEach((segment) => {
    const next = node[segment];
    if (!isPlainObject(next)) node[segment] = {};
    node = node[segment] as PlainObject;
  });
  node[path[path.length - 1] as string] = value;
}

/** Later layers win; sections merge key by key, lists and scalars replace. */
export function mergeLayers(layers: readonly PlainObject[]): PlainObject {
  const merged: PlainObject = {};
  const mergeInto = (target: PlainObject, source: PlainObject) => {
    for (const [key, value] of Object.entries(source)) {
      const existing = target[key];
      if (isPlainObject(value) && isPlainObject(existing)) mergeInto(existing, value);
      else target[key] = isPlainObject(value) ? mergeInto({}, value) : value;
    }
    return target;
  };
  for (const layer of layers) mergeInto(merged, layer);
  return merged;
}

/**
 * Reads a value written on the command line or in the environment the way YAML would read it,
 * so `true`, `8`, `[a, b]` and `null` mean the same as in bulwark.yaml.
 */
export function parseScalar(text: string): unknown {
  try {
    return parseYaml(text) ?? null;
  } catch {
    return text;
  }
}

/** `BULWARK_HUB__BIND_URL=...` -> `hub.bind_url`; `BULWARK_AUTHENTICATOR__NATIVE__OPEN_SIGNUP` nests. */
export function environmentLayer(env: Readonly<Record<string, string | undefined>>): ConfigLayer {
  const values: PlainObject = {};
  const origins = new Map<string, string>();
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || NON_CONFIG_ENV.has(name) || raw === undefined) continue;
    const path = name.slice(ENV_PREFIX.length).toLowerCase().split('__');
    setPath(values, path, parseScalar(raw));
    origins.set(path.join('.'), `environment variable ${name}`);
  }
  return { source: 'environment', values, origins };
}

/** Flags arrive as dotted paths (`--set hub.bind_url=...` and the named shortcuts). */
export function flagLayer(settings: Readonly<Record<string, unknown>>): ConfigLayer {
  const values: PlainObject = {};
  const origins = new Map<string, string>();
  for (const [path, value] of Object.entries(settings)) {
    setPath(values, path.split('.'), value);
    origins.set(path, `flag ${path}`);
  }
  return { source: 'flag', values, origins };
}

/** Every leaf path in a layer, for attributing errors to the layer that set them. */
export function leafPaths(values: PlainObject, prefix = ''): string[] {
  return Object.entries(values).flatMap(([key, value]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    return isPlainObject(value) ? [path, ...leafPaths(value, path)] : [path];
  });
}
