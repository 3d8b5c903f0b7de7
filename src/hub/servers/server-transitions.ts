import type { Actor } from '../../log/index.js';
import type { ServerState } from '../../spawner/spawner.js';
import type { ServerContext } from './server-context.js';
import { entryKey, routePrefix, type Entry } from './server-entry.js';
import { persistEntry } from './server-records.js';
import { routeTarget } from './route-target.js';

/**
 * The two state changes several stages end in: a spawn (fresh or resumed after a hub restart)
 * becoming ready, and a server leaving (stopped on request or exited by itself).
 */

/** Server token and OAuth client go away with the server; tokens issued to the client with them. */
export async function forgetCredentials(context: ServerContext, entry: Entry): Promise<void> {
  await context.deps.oauth.deleteClient(entry.clientId);
}

/** A spawn's successful end: route, record, audit, the final progress event. */
export async function markReady(context: ServerContext, entry: Entry, state: ServerState, by: Actor, detail: Record<string, unknown>): Promise<void> {
  const { deps } = context;
  const url = routePrefix(deps.paths, entry);
  entry.state = state;
  deps.routes.add(url, routeTarget(state), { user: entry.userName, server_name: entry.serverName });
  entry.ready = true;
  entry.pending = null;
  entry.started = state.startedAt;
  entry.lastActivity = state.startedAt;
  await persistEntry(deps.db, entry, 'running');
  await deps.audit.record(by, {
    action: 'server.spawn',
    target: entry.userName,
    detail: { server_name: entry.serverName, uid: state.uid, gid: state.gid, pid: state.pid, port: state.port, ...detail },
  });
  entry.progress.push({
    progress: 100,
    ready: true,
    message: `Server ready at ${url}`,
    html_message: `Server ready at <a href="${url}">${url}</a>`,
    url,
  });
}

/** A server's end, however it came: unroute, revoke, record, release its venv, audit. */
export async function markStopped(context: ServerContext, entry: Entry, reason: 'stopped' | 'exited', by: Actor): Promise<void> {
  const { deps } = context;
  deps.routes.remove(routePrefix(deps.paths, entry));
  await forgetCredentials(context, entry);
  const state = entry.state;
  entry.ready = false;
  entry.pending = null;
  entry.state = null;
  await persistEntry(deps.db, entry, 'stopped');
  context.entries.delete(entryKey(entry.userId, entry.serverName));
  if (state) await deps.packageEnvironment?.release(state.uid, entry.serverName);
  await deps.audit.record(by, {
    action: reason === 'stopped' ? 'server.stop' : 'server.exit',
    target: entry.userName,
    detail: { server_name: entry.serverName, pid: state?.pid ?? null },
  });
}
