import type { Logger } from '../log/logger.js';
import type { ChpApiClient } from './chp-api-client.js';
import type { ChpRouteJson } from './route-json.js';
import { createRouteTable, normalizePrefix, type Route, type RouteTable } from './route-table.js';

/** What one reconciliation did; it never throws, a failure is reported here and logged. */
export interface SyncResult {
  added: string[];
  removed: string[];
  error?: unknown;
}

/**
 * A RouteTable whose routes live in an external CHP-compatible proxy. add and remove change a
 * local mirror at once (so the hub's own reads stay synchronous) and push the change to the proxy
 * in the background, with retries; sync() repairs whatever the pushes could not.
 */
export interface ExternalRouteTable extends RouteTable {
  /** Makes the proxy's table match the mirror: adds missing or changed routes, deletes stale hub routes. */
  sync(): Promise<SyncResult>;
  /** Settles when every push started so far has finished (or given up). */
  flush(): Promise<void>;
}

export interface ExternalRouteTableOptions {
  client: ChpApiClient;
  logger: Logger;
  /** Attempts per push before leaving it to the next sync (default 4). */
  attempts?: number;
  /** First retry delay, doubled each time (default 250 ms). */
  retryDelayMs?: number;
}

/**
 * Routes the hub owns, as JupyterHub marks them: `jupyterhub: true` on everything it adds, or the
 * hub route `{hub: true}`, or a user server's `{user, server_name}`. Routes someone else added to
 * the proxy are never deleted by sync.
 */
export function isHubOwnedRoute(data: Readonly<Record<string, unknown>>): boolean {
  return data['jupyterhub'] === true || data['hub'] === true || (typeof data['user'] === 'string' && 'server_name' in data);
}

/** The data a route carries in the proxy: the hub's data plus JupyterHub's `jupyterhub: true` mark. */
function remoteData(route: Route): Record<string, unknown> {
  return { ...route.data, jupyterhub: true };
}

/** CHP paths of host routes carry a leading slash; the mirror's prefixes do not. */
function mirrorPrefix(chpPath: string): string {
  return normalizePrefix(chpPath);
}

export function createExternalRouteTable(options: ExternalRouteTableOptions): ExternalRouteTable {
  const { client, logger } = options;
  const attempts = options.attempts ?? 4;
  const retryDelayMs = options.retryDelayMs ?? 250;
  const mirror = createRouteTable();
  // One queue per prefix, so an add and a remove of the same route reach the proxy in order.
  const queues = new Map<string, Promise<void>>();

  async function withRetries(what: string, prefix: string, op: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await op();
        return;
      } catch (error) {
        if (attempt >= attempts) {
          logger.error({ err: error, prefix }, `proxy: could not ${what} route ${prefix}; the next route check retries`);
          return;
        }
        logger.warn({ prefix, attempt, reason: (error as Error).message }, `proxy: ${what} route failed, retrying`);
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs * 2 ** (attempt - 1)));
      }
    }
  }

  function enqueue(prefix: string, what: string, op: () => Promise<void>): void {
    const previous = queues.get(prefix) ?? Promise.resolve();
    const next = previous.then(() => withRetries(what, prefix, op));
    queues.set(prefix, next);
    void next.then(() => {
      if (queues.get(prefix) === next) queues.delete(prefix);
    });
  }

  function pushAdd(prefix: string): void {
    enqueue(prefix, 'add', async () => {
      // The latest state wins: a route removed or changed since this push was queued is sent as it is now.
      const route = mirror.list().find((r) => r.prefix === prefix);
      if (route === undefined) return;
      await client.add(route.prefix, route.target, remoteData(route));
    });
  }

  return {
    add(prefix, target, data = {}) {
      mirror.add(prefix, target, data);
      pushAdd(normalizePrefix(prefix));
    },
    remove(prefix) {
      const key = normalizePrefix(prefix);
      mirror.remove(key);
      enqueue(key, 'remove', async () => {
        if (mirror.list().some((r) => r.prefix === key)) return;
        await client.remove(key);
      });
    },
    match: (path, host) => mirror.match(path, host),
    list: () => mirror.list(),
    touch: (prefix, when) => mirror.touch(prefix, when),
    async flush() {
      while (queues.size > 0) await Promise.all([...queues.values()]);
    },
    async sync() {
      const result: SyncResult = { added: [], removed: [] };
      let remote: Record<string, ChpRouteJson>;
      try {
        remote = await client.list();
      } catch (error) {
        logger.warn({ reason: (error as Error).message }, 'proxy: route check could not list the routes');
        return { ...result, error };
      }
      const remoteByPrefix = new Map(Object.entries(remote).map(([path, route]) => [mirrorPrefix(path), route]));
      const local = mirror.list();
      const wanted = new Set(local.map((r) => r.prefix));
      try {
        for (const route of local) {
          const there = remoteByPrefix.get(route.prefix);
          if (there !== undefined && there.target === route.target) continue;
          await client.add(route.prefix, route.target, remoteData(route));
          result.added.push(route.prefix);
        }
        for (const [prefix, route] of remoteByPrefix) {
          if (wanted.has(prefix) || !isHubOwnedRoute(route)) continue;
          await client.remove(prefix);
          result.removed.push(prefix);
        }
      } catch (error) {
        logger.warn({ reason: (error as Error).message }, 'proxy: route check failed part-way');
        return { ...result, error };
      }
      if (result.added.length > 0 || result.removed.length > 0) {
        logger.info({ added: result.added, removed: result.removed }, 'proxy: routes re-synced');
      }
      return result;
    },
  };
}
