import { BulwarkError, isBulwarkError } from '../../errors/index.js';
import type { User } from '../../identity/index.js';
import type { Actor } from '../../log/index.js';
import { hubEnvironment } from './hub-environment.js';
import type { PreparedEnvironment } from './package-environment.js';
import type { ServerContext } from './server-context.js';
import { displayName, entryKey, newEntry, routePrefix, type Entry } from './server-entry.js';
import { persistEntry } from './server-records.js';
import { forgetCredentials, markReady } from './server-transitions.js';

export interface ServerStarter {
  /** Admits the start (limits, throttling), records it, and runs the spawn in the background. */
  start(user: User, serverName: string, by: Actor, userOptions: Record<string, unknown>): Promise<void>;
  onSpawnFinished(listener: (seconds: number, ok: boolean) => void): void;
}

/** Starting a server: the admission checks, then credentials, package environment, spawner, ready. */
export function createServerStarter(context: ServerContext): ServerStarter {
  const { deps, entries } = context;
  const spawnListeners: Array<(seconds: number, ok: boolean) => void> = [];
  /** When each server was last asked to start, for hub.user_spawn_interval. */
  const lastStartAt = new Map<string, number>();
  /** Spawns under way, for hub.concurrent_spawn_limit. */
  let spawning = 0;

  /** Throws the error a start refused by a limit gets; returns false when a spawn is already under way. */
  function admit(user: User, serverName: string): boolean {
    const existing = entries.get(entryKey(user.id, serverName));
    if (existing?.ready) throw new BulwarkError('HUB_SERVER_ALREADY_RUNNING', { name: displayName(user, serverName) });
    if (existing?.pending === 'stop') throw new BulwarkError('HUB_SERVER_PENDING_STOP', { name: displayName(user, serverName) });
    if (existing?.pending === 'spawn') return false;
    if (deps.concurrentSpawnLimit > 0 && spawning >= deps.concurrentSpawnLimit) {
      throw new BulwarkError('HUB_TOO_MANY_SPAWNS', { seconds: 30 });
    }
    const activeLimit = deps.activeServerLimit ?? 0;
    if (activeLimit > 0 && [...entries.values()].filter((e) => e.ready || e.pending !== null).length >= activeLimit) {
      throw new BulwarkError('HUB_ACTIVE_SERVER_LIMIT');
    }
    const interval = (deps.userSpawnInterval ?? 0) * 1000;
    const now = deps.clock().getTime();
    const previous = lastStartAt.get(entryKey(user.id, serverName));
    if (interval > 0 && previous !== undefined && now - previous < interval) {
      throw new BulwarkError('HUB_SPAWN_THROTTLED', { name: displayName(user, serverName), seconds: Math.ceil((interval - (now - previous)) / 1000) });
    }
    lastStartAt.set(entryKey(user.id, serverName), now);
    return true;
  }

  /** The server's API token and OAuth client, linked so deleting the client revokes the token. */
  async function issueCredentials(entry: Entry, user: User, by: Actor): Promise<string> {
    const prefix = routePrefix(deps.paths, entry);
    const { token, record } = await deps.tokens.create(
      {
        owner: user,
        kind: 'server',
        // channel:read lets the server's pip read a channel that requires a token (bulwark up).
        scopes: ['users:activity!user', 'access:servers!server', 'channel:read'],
        note: `Server at ${prefix}`,
      },
      by,
    );
    await deps.oauth.saveClient(
      {
        identifier: entry.clientId,
        redirectUri: `${prefix}oauth_callback`,
        description: `Server at ${prefix}`,
        userId: user.id,
        serverName: entry.serverName,
        allowedScopes: [],
      },
      token,
    );
    await deps.db.updateTable('api_tokens').set({ oauth_client_id: entry.clientId }).where('id', '=', record.id).execute();
    return token;
  }

  async function runSpawn(entry: Entry, user: User, by: Actor): Promise<void> {
    spawning++;
    const began = deps.clock().getTime();
    let ok = false;
    const { progress } = entry;
    progress.push({ progress: 0, message: 'Server requested' });
    let prepared: PreparedEnvironment | undefined;
    try {
      const token = await issueCredentials(entry, user, by);
      prepared = await deps.packageEnvironment?.prepare(user.name, entry.serverName, (message) => progress.push({ progress: 5, message }), token);
      progress.push({ progress: 10, message: 'Spawning server...' });
      const state = await deps.spawner.start({
        ...(prepared?.command ? { command: prepared.command } : {}),
        ...(prepared ? { environment: prepared.environment } : {}),
        username: user.name,
        serverName: entry.serverName,
        servicePrefix: routePrefix(deps.paths, entry),
        hubEnvironment: hubEnvironment({
          user: user.name,
          serverName: entry.serverName,
          apiToken: token,
          clientId: entry.clientId,
          apiUrl: deps.apiUrl(),
          paths: deps.paths,
        }),
        // Only the hub's own final event may say 100 (and ready); the spawner's steps stay below it.
        onProgress: (event) => progress.push({ progress: Math.min(event.progress ?? 50, 90), message: event.message }),
        // A hub killed from here on finds the process in the database: restore() adopts or stops it.
        onLaunched: (launched) => persistEntry(deps.db, entry, 'spawn_pending', launched),
      });
      if (entry.pending !== 'spawn') return; // stopped while starting; stop() cleans up
      await markReady(context, entry, state, by, {});
      ok = true;
    } catch (error) {
      const reason = isBulwarkError(error) ? error.message : (error as Error).message;
      deps.logger.error({ user: user.name, err: error }, 'spawn failed');
      entry.failure = reason;
      entry.pending = null;
      entry.ready = false;
      await forgetCredentials(context, entry).catch(() => undefined);
      if (prepared) await deps.packageEnvironment?.release(prepared.uid, entry.serverName);
      await persistEntry(deps.db, entry, 'failed').catch(() => undefined);
      await deps.audit.record(by, {
        action: 'server.spawn',
        target: user.name,
        outcome: 'failure',
        detail: { server_name: entry.serverName, reason, code: isBulwarkError(error) ? error.code : null },
      });
      progress.push({ progress: 100, failed: true, message: `Spawn failed: ${reason}` });
    } finally {
      spawning--;
      const seconds = (deps.clock().getTime() - began) / 1000;
      for (const listener of spawnListeners) listener(seconds, ok);
    }
  }

  return {
    async start(user, serverName, by, userOptions) {
      if (!admit(user, serverName)) return;
      context.stopReasons.delete(entryKey(user.id, serverName));
      const entry = newEntry(user, serverName, { pending: 'spawn', userOptions });
      entries.set(entryKey(user.id, serverName), entry);
      await persistEntry(deps.db, entry, 'spawn_pending');
      entry.spawnDone = runSpawn(entry, user, by);
    },
    onSpawnFinished(listener) {
      spawnListeners.push(listener);
    },
  };
}
