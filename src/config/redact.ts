import { secretPaths } from './schema-fields.js';

const REDACTED = '[redacted]';

function redactAt(value: unknown, segments: readonly string[]): unknown {
  if (segments.length === 0) return value === null || value === undefined ? value : REDACTED;
  const [head, ...rest] = segments as [string, ...string[]];
  if (head.endsWith('[]')) {
    const key = head.slice(0, -2);
    if (value === null || typeof value !== 'object') return value;
    const list = (value as Record<string, unknown>)[key];
    if (!Array.isArray(list)) return value;
    return { ...(value as Record<string, unknown>), [key]: list.map((item) => redactAt(item, rest)) };
  }
  if (value === null || typeof value !== 'object' || !(head in value)) return value;
  const record = value as Record<string, unknown>;
  return { ...record, [head]: redactAt(record[head], rest) };
}

/**
 * A copy of a config (or part of one shaped like it) with every secret value replaced, so it can
 * be logged or printed. A database URL keeps its shape but loses its password.
 */
export function redactConfig<T>(config: T): T {
  let result: unknown = config;
  for (const path of secretPaths()) {
    if (path === 'hub.db_url') continue;
    result = redactAt(result, path.split('.'));
  }
  const hub = (result as { hub?: { db_url?: unknown } }).hub;
  if (hub && typeof hub.db_url === 'string') {
    result = { ...(result as object), hub: { ...hub, db_url: redactUrlPassword(hub.db_url) } };
  }
  return result as T;
}

/** `postgresql://hub:pw@host/db` -> `postgresql://hub:[redacted]@host/db`. */
export function redactUrlPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/i, `$1${REDACTED}@`);
}
