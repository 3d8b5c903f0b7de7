import { BulwarkError } from '../../errors/index.js';
import type { User } from '../../identity/index.js';
import type { Actor } from '../../log/index.js';
import type { ServerContext } from './server-context.js';
import { displayName, entryKey, routePrefix } from './server-entry.js';
import { persistEntry } from './server-records.js';
import { markStopped } from './server-transitions.js';

/** Stops a server on request; a failed spawn's entry is just forgotten. */
export async function stopServer(context: ServerContext, user: Pick<User, 'id' | 'name'>, serverName: string, by: Actor): Promise<void> {
  const { deps, entries } = context;
  const entry = entries.get(entryKey(user.id, serverName));
  if (!entry || (!entry.ready && entry.pending === null)) {
    if (entry) entries.delete(entryKey(user.id, serverName)); // a failed spawn: forget it
    return;
  }
  if (entry.pending === 'spawn') throw new BulwarkError('HUB_SERVER_PENDING_SPAWN', { name: displayName(user, serverName) });
  if (entry.pending === 'stop') return;
  entry.pending = 'stop';
  await persistEntry(deps.db, entry, 'stop_pending');
  deps.routes.remove(routePrefix(deps.paths, entry));
  if (entry.state) await deps.spawner.stop(entry.state);
  await markStopped(context, entry, 'stopped', by);
}

/**
 * On hub shutdown: let spawns under way settle (so none is left half-recorded), then stop every
 * ready server, or leave them running for the next hub process to re-adopt.
 */
export async function shutdownServers(context: ServerContext, stopServers: boolean): Promise<void> {
  const all = [...context.entries.values()];
  await Promise.all(all.map((entry) => entry.spawnDone?.catch(() => undefined)));
  if (!stopServers) return;
  await Promise.all(
    all
      .filter((entry) => entry.ready)
      .map((entry) =>
        stopServer(context, { id: entry.userId, name: entry.userName }, entry.serverName, { name: null }).catch((error: unknown) =>
          context.deps.logger.error({ err: error, user: entry.userName }, 'cannot stop server at shutdown'),
        ),
      ),
  );
}
