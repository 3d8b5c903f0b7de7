import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import type { Logger } from '../log/logger.js';
import type { RouteTable } from './route-table.js';

/** One route as the route file keeps it. */
interface StoredRoute {
  target: string;
  data: Record<string, unknown>;
  last_activity: string;
}

export interface RouteFile {
  /** Schedules a write of the whole table (coalesced: at most one write per `delayMs`). */
  changed(): void;
  /** Writes now if a write is pending; call before exit. */
  flush(): Promise<void>;
}

function isStoredRoute(value: unknown): value is StoredRoute {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['target'] === 'string' && typeof v['data'] === 'object' && v['data'] !== null;
}

/**
 * Loads the routes saved by an earlier run into `table`. A missing file is an empty table; a file
 * that cannot be parsed is logged and ignored (the hub re-adds its routes on its next check).
 */
export function loadRouteFile(path: string, table: RouteTable, logger: Logger): number {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return 0;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    logger.error({ err: error, path }, 'route file is not valid JSON; starting with an empty table');
    return 0;
  }
  let count = 0;
  for (const [prefix, stored] of Object.entries(typeof parsed === 'object' && parsed !== null ? parsed : {})) {
    if (!isStoredRoute(stored)) continue;
    try {
      table.add(prefix, stored.target, stored.data);
      const when = Date.parse(stored.last_activity);
      if (Number.isFinite(when)) table.touch(prefix, new Date(when));
      count++;
    } catch (error) {
      logger.warn({ err: error, prefix }, 'skipping a saved route that is no longer valid');
    }
  }
  return count;
}

/**
 * Keeps a JSON copy of the route table at `path`, so a restarted proxy serves its routes before the
 * hub's next check. Writes go to a temporary file that is renamed over the old one, so a crash
 * mid-write leaves the previous table, never half a file.
 */
export function createRouteFile(path: string, table: RouteTable, logger: Logger, delayMs = 200): RouteFile {
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  const write = async (): Promise<void> => {
    const routes: Record<string, StoredRoute> = {};
    for (const route of table.list()) {
      routes[route.prefix] = { target: route.target, data: route.data, last_activity: route.lastActivity.toISOString() };
    }
    const temp = `${path}.${process.pid}.tmp`;
    try {
      await writeFile(temp, `${JSON.stringify(routes, null, 1)}\n`, { mode: 0o600 });
      await rename(temp, path);
    } catch (error) {
      logger.error({ err: error, path }, 'could not save the route table');
    }
  };

  const run = (): void => {
    timer = undefined;
    writing = writing.then(write);
  };

  return {
    changed() {
      if (timer === undefined) timer = setTimeout(run, delayMs);
    },
    async flush() {
      if (timer !== undefined) {
        clearTimeout(timer);
        run();
      }
      await writing;
    },
  };
}
