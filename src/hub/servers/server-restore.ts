import type { Kysely } from 'kysely';
import type { ServerState } from '../../spawner/spawner.js';
import type { Tables } from '../../storage/index.js';
import type { ServerContext } from './server-context.js';
import { entryKey, newEntry, routePrefix, type Entry } from './server-entry.js';
import { persistEntry } from './server-records.js';
import { forgetCredentials, markReady } from './server-transitions.js';
import { routeTarget } from './route-target.js';

/** Checks of recorded servers run side by side, at most this many at a time. */
const restoreConcurrency = 8;

/**
 * After a hub restart: re-adopts the servers an earlier hub process recorded as running, follows
 * the spawns it left half done, and cleans up after the ones that are gone.
 */
export async function restoreServers(context: ServerContext): Promise<void> {
  const rows = await readRecordedServers(context.deps.db);
  // Each check reads /proc and may stop a dead server's leftovers: run them side by side, a few at a time.
  const queue = [...rows];
  const worker = async (): Promise<void> => {
    for (let row = queue.shift(); row !== undefined; row = queue.shift()) await restoreOne(context, row);
  };
  await Promise.all(Array.from({ length: Math.min(restoreConcurrency, queue.length) }, worker));
}

/** Servers the database says are running or between states, with their owner's name. */
function readRecordedServers(db: Kysely<Tables>) {
  return db
    .selectFrom('servers')
    .innerJoin('users', 'users.id', 'servers.user_id')
    .select(['servers.user_id', 'servers.name', 'servers.state', 'servers.spawner_state', 'servers.user_options', 'servers.started_at', 'servers.last_activity', 'users.name as user_name'])
    .where('servers.state', 'in', ['running', 'spawn_pending', 'stop_pending'])
    .execute();
}

type RecordedServer = Awaited<ReturnType<typeof readRecordedServers>>[number];

async function restoreOne(context: ServerContext, row: RecordedServer): Promise<void> {
  const { deps, entries } = context;
  const state = row.spawner_state ? (JSON.parse(row.spawner_state) as ServerState) : null;
  const entry = newEntry({ id: row.user_id, name: row.user_name }, row.name, {
    state,
    started: row.started_at,
    lastActivity: row.last_activity,
    userOptions: JSON.parse(row.user_options) as Record<string, unknown>,
  });
  if (row.state === 'spawn_pending' && state !== null) {
    // Launched but not ready when the previous hub died: follow it in the background.
    entry.pending = 'spawn';
    entries.set(entryKey(entry.userId, entry.serverName), entry);
    entry.spawnDone = resumeSpawn(context, entry, state).catch((error: unknown) =>
      deps.logger.error({ err: error, user: entry.userName }, 'cannot finish an interrupted spawn'),
    );
    return;
  }
  // poll() matches pid, start time and uid: a reused pid reads as gone and is never signalled.
  const alive = row.state === 'running' && state !== null && (await deps.spawner.poll(state)) === null;
  if (alive && state) {
    entries.set(entryKey(entry.userId, entry.serverName), entry);
    entry.ready = true;
    deps.routes.add(routePrefix(deps.paths, entry), routeTarget(state), { user: entry.userName, server_name: entry.serverName });
    deps.logger.info({ user: entry.userName, pid: state.pid }, 're-adopted running server');
  } else {
    deps.logger.warn({ user: entry.userName, server: entry.serverName, pid: state?.pid ?? null }, 'server recorded as running is gone; cleaning up');
    if (state) await deps.spawner.stop(state).catch(() => undefined);
    if (state) await deps.packageEnvironment?.release(state.uid, entry.serverName);
    await forgetCredentials(context, entry);
    await persistEntry(deps.db, entry, 'stopped');
  }
}

/**
 * A spawn an earlier hub process began and never finished (it was killed): the process is on
 * record, so it is either adopted once it answers or stopped; never left running unknown.
 */
async function resumeSpawn(context: ServerContext, entry: Entry, launched: ServerState): Promise<void> {
  const { deps } = context;
  entry.progress.push({ progress: 50, message: 'The hub restarted during this spawn; waiting for the server to answer' });
  const ready = deps.spawner.resume
    ? await deps.spawner.resume(launched).catch((error: unknown) => {
        deps.logger.error({ err: error, user: entry.userName }, 'cannot resume an interrupted spawn');
        return false;
      })
    : false;
  if (ready) {
    await markReady(context, entry, launched, { name: null }, { resumed: true });
    deps.logger.info({ user: entry.userName, pid: launched.pid }, 'adopted a server whose spawn the previous hub process began');
    return;
  }
  if (!deps.spawner.resume) await deps.spawner.stop(launched).catch(() => undefined);
  await deps.packageEnvironment?.release(launched.uid, entry.serverName);
  const reason = 'the hub restarted while this server was starting and the server did not become ready; it was stopped';
  entry.failure = reason;
  entry.pending = null;
  await forgetCredentials(context, entry);
  await persistEntry(deps.db, entry, 'failed');
  await deps.audit.record({ name: null }, {
    action: 'server.spawn',
    target: entry.userName,
    outcome: 'failure',
    detail: { server_name: entry.serverName, reason, pid: launched.pid },
  });
  entry.progress.push({ progress: 100, failed: true, message: `Spawn failed: ${reason}` });
}
