import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { BulwarkError } from '../errors/index.js';
import { ConfigError, type ConfigProblem } from './errors.js';
import { configSchema, type BulwarkConfig } from './schema.js';
import {
  environmentLayer,
  flagLayer,
  isPlainObject,
  leafPaths,
  mergeLayers,
  type ConfigLayer,
  type PlainObject,
} from './sources.js';
import { closestName } from './suggest.js';

export interface LoadConfigOptions {
  /** `--config FILE`; when absent, `./bulwark.yaml` is read if it exists, or `$BULWARK_CONFIG`. */
  file?: string | undefined;
  env?: Readonly<Record<string, string | undefined>>;
  /** Flag settings as dotted paths; they win over everything else. */
  flags?: Readonly<Record<string, unknown>>;
  cwd?: string;
}

export interface LoadedConfig {
  config: Readonly<BulwarkConfig>;
  /** The file that was read, if any. */
  file: string | undefined;
}

function readConfigFile(path: string): ConfigLayer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new BulwarkError('CONFIG_FILE_UNREADABLE', { path, reason: (error as Error).message });
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text) ?? {};
  } catch (error) {
    throw new BulwarkError('CONFIG_FILE_UNREADABLE', { path, reason: (error as Error).message.split('\n')[0] ?? '' });
  }
  if (!isPlainObject(parsed)) {
    throw new BulwarkError('CONFIG_FILE_UNREADABLE', { path, reason: 'the top level must be a mapping of sections' });
  }
  const origins = new Map(leafPaths(parsed).map((p) => [p, path] as const));
  return { source: 'file', values: parsed, origins };
}

function pickFile(options: LoadConfigOptions, cwd: string): string | undefined {
  if (options.file !== undefined) return resolve(cwd, options.file);
  const fromEnv = options.env?.['BULWARK_CONFIG'];
  if (fromEnv) return resolve(cwd, fromEnv);
  const local = resolve(cwd, 'bulwark.yaml');
  return existsSync(local) ? local : undefined;
}

/** Names the layer that supplied a path (the last one that set it, or any parent of it). */
function attribute(path: string, layers: readonly ConfigLayer[]): Pick<ConfigProblem, 'source' | 'origin'> {
  for (const layer of [...layers].reverse()) {
    let probe = path;
    while (probe !== '') {
      const origin = layer.origins.get(probe);
      if (origin !== undefined) return { source: layer.source, origin };
      probe = probe.includes('.') ? probe.slice(0, probe.lastIndexOf('.')) : '';
    }
  }
  return { source: 'default' };
}

function knownKeysAt(path: readonly PropertyKey[]): string[] {
  let node: z.ZodType = configSchema;
  for (const segment of path) {
    const shape = shapeOf(node);
    const next = shape?.[String(segment)];
    if (next === undefined) return [];
    node = next;
  }
  return Object.keys(shapeOf(node) ?? {});
}

function shapeOf(node: z.ZodType): Record<string, z.ZodType> | undefined {
  // Section schemas are objects wrapped in prefault/default; unwrap to reach their shape.
  let current: unknown = node;
  for (let depth = 0; depth < 5 && current !== undefined; depth++) {
    const def = (current as { _zod?: { def?: { shape?: Record<string, z.ZodType>; innerType?: unknown } } })._zod?.def;
    if (def?.shape) return def.shape;
    current = def?.innerType;
  }
  return undefined;
}

function toProblems(issues: readonly z.core.$ZodIssue[], layers: readonly ConfigLayer[]): ConfigProblem[] {
  return issues.flatMap((issue) => {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(issue.path);
      return issue.keys.map((key) => {
        const path = base === '' ? key : `${base}.${key}`;
        const suggestion = closestName(key, known);
        const hint = suggestion ? `; did you mean ${base === '' ? suggestion : `${base}.${suggestion}`}?` : '';
        const expected = known.length > 0 ? ` (known keys here: ${known.join(', ')})` : '';
        return { path, message: `unknown key${hint}${hint ? '' : expected}`, ...attribute(path, layers) };
      });
    }
    return [{ path: base === '' ? '(top level)' : base, message: issue.message, ...attribute(base, layers) }];
  });
}

/**
 * Defaults that follow another key: the channel's files live under the hub's data directory
 * (`<hub.data_dir>/channel`) unless channel.data_dir is set, so `--data-dir` moves all state.
 */
function withDerivedDefaults(merged: PlainObject): PlainObject {
  const hub = merged['hub'];
  const channel = merged['channel'];
  if (!isPlainObject(hub) || typeof hub['data_dir'] !== 'string') return merged;
  if (channel !== undefined && (!isPlainObject(channel) || channel['data_dir'] !== undefined)) return merged;
  return { ...merged, channel: { ...(channel ?? {}), data_dir: `${hub['data_dir'].replace(/\/+$/, '')}/channel` } };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * Resolves the config: schema defaults < config file < BULWARK_* environment < flags. Throws a
 * ConfigError listing every bad key (its path, what was expected and where the value came from).
 * The result is deeply frozen: nothing may change the config after start-up.
 */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const cwd = options.cwd ?? process.cwd();
  const file = pickFile(options, cwd);
  const layers: ConfigLayer[] = [];
  if (file !== undefined) layers.push(readConfigFile(file));
  layers.push(environmentLayer(options.env ?? {}));
  layers.push(flagLayer(options.flags ?? {}));
  const merged: PlainObject = withDerivedDefaults(mergeLayers(layers.map((layer) => layer.values)));
  const result = configSchema.safeParse(merged);
  if (!result.success) throw new ConfigError(toProblems(result.error.issues, layers));
  return { config: deepFreeze(result.data), file };
}
