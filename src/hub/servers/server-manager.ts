import type { Kysely } from 'kysely';
import { BulwarkError, isBulwarkError } from '../../errors/index.js';
import { type Clock, type TokenStore, type User } from '../../identity/index.js';
import type { Actor, AuditLog, Logger } from '../../log/index.js';
import type { RouteTable } from '../../proxy/index.js';
import type { ServerState, Spawner } from '../../spawner/spawner.js';
import type { Tables } from '../../storage/index.js';
import type { OAuthStore } from '../oauth/oauth-store.js';
import type { HubPaths } from '../paths.js';
import { hubEnvironment, serverClientId } from './hub-environment.js';
import type { PackageEnvironment, PreparedEnvironment } from './package-environment.js';
import { ProgressLog } from './progress.js';
import { routeTarget } from './route-target.js';

export type PendingAction = 'spawn' | 'stop' | null;

/** What the REST API and pages show of one server (JupyterHub's server model, before scoping). */
export interface ServerView {
  name: string;
  pending: PendingAction;
  ready: boolean;
  url: string;
  started: string | null;
  lastActivity: string | null;
  userOptions: Record<string, unknown>;
  failure: string | null;
  /** A limit hit while running, e.g. a kernel killed by the memory limit; null when none. */
  notice: string | null;
  state: ServerState | null;
}

interface Entry {
  userId: number;
  userName: string;
  serverName: string;
  pending: PendingAction;
  ready: boolean;
  state: ServerState | null;
  started: string | null;
  lastActivity: string | null;
  userOptions: Record<string, unknown>;
  failure: string | null;
  notice: string | null;
  progress: ProgressLog;
  /** Settles when the current spawn ends, successfully or not (never rejects). */
  spawnDone: Promise<void> | null;
  clientId: string;
}

export interface ServerManagerDeps {
  db: Kysely<Tables>;
  tokens: TokenStore;
  oauth: OAuthStore;
  audit: AuditLog;
  logger: Logger;
  clock: Clock;
  spawner: Spawner;
  routes: RouteTable;
  paths: HubPaths;
  /** Where servers reach the hub API; known once the listener is bound. */
  apiUrl: () => string;
  concurrentSpawnLimit: number;
  /** hub.active_server_limit; 0 means none. */
  activeServerLimit?: number;
  /** hub.user_spawn_interval in seconds; 0 means none. */
  userSpawnInterval?: number;
  /** spawner.package_channel: pip bound to the channel (and the person's venv) on every start. */
  packageEnvironment?: PackageEnvironment;
  /** Runs after a server is forgotten (removed), e.g. notebook directory clean-up. */
  onForget?: (user: Pick<User, 'id' | 'name'>, serverName: string) => Promise<void>;
}

const key = (userId: number, serverName: string) => `${userId}/${serverName}`;

export interface ServerManager {
  view(user: User, serverName?: string): ServerView | undefined;
  /** Starts a spawn and returns at once; await `waitForSpawn` to follow it. */
  start(user: User, serverName: string, by: Actor, userOptions?: Record<string, unknown>): Promise<void>;
  waitForSpawn(user: User, serverName: string, timeoutMs: number): Promise<ServerView | undefined>;
  stop(user: User, serverName: string, by: Actor): Promise<void>;
  progress(user: User, serverName: string): ProgressLog | undefined;
  /** Why the server last stopped when the hub knows (e.g. its memory limit), else null. */
  stopReason(user: Pick<User, 'id'>, serverName?: string): string | null;
  recordActivity(user: User, serverName: string, when: string): Promise<void>;
  /** Active (ready or pending) servers of a user, default first. */
  list(user: Pick<User, 'id'>): ServerView[];
  /** Every active server, for state filters, the culler and metrics. */
  all(): Array<ServerView & { userId: number; userName: string }>;
  /** Servers recorded in the database but not active (stopped or failed), with `stopped` views. */
  stopped(user: User): Promise<ServerView[]>;
  /** Names of every named server the user has, active or stopped (for named_server_limit_per_user). */
  namedServers(user: User): Promise<string[]>;
  /** Forgets a stopped server's record (DELETE … {"remove": true}). */
  forget(user: User, serverName: string): Promise<void>;
  /** Called with the spawn's duration and outcome, for metrics. */
  onSpawnFinished(listener: (seconds: number, ok: boolean) => void): void;
  /** Re-adopts servers recorded as running by an earlier hub process; drops the dead ones. */
  restore(): Promise<void>;
  /** On hub shutdown: stop every server, or leave them running for the next hub to adopt. */
  shutdown(stopServers: boolean): Promise<void>;
}

/** A fresh entry for one server; callers override what they know (pending state, restored fields). */
function newEntry(user: { id: number; name: string }, serverName: string, fields: Partial<Entry>): Entry {
  return {
    userId: user.id,
    userName: user.name,
    serverName,
    pending: null,
    ready: false,
    state: null,
    started: null,
    lastActivity: null,
    userOptions: {},
    failure: null,
    notice: null,
    progress: new ProgressLog(),
    spawnDone: null,
    clientId: serverClientId(user.name, serverName),
    ...fields,
  };
}

export function createServerManager(deps: ServerManagerDeps): ServerManager {
  const entries = new Map<string, Entry>();
  const spawnListeners: Array<(seconds: number, ok: boolean) => void> = [];
  /** Why servers stopped, when the spawner could tell; kept until the next start. */
  const stopReasons = new Map<string, string>();
  /** When each server was last asked to start, for hub.user_spawn_interval. */
  const lastStartAt = new Map<string, number>();
  let spawning = 0;
  const displayName = (user: Pick<User, 'name'>, serverName: string) => (serverName === '' ? user.name : `${user.name}/${serverName}`);

  const viewOf = (entry: Entry): ServerView => ({
    name: entry.serverName,
    pending: entry.pending,
    ready: entry.ready,
    url: deps.paths.userServer(entry.userName, entry.serverName),
    started: entry.started,
    lastActivity: entry.lastActivity,
    userOptions: entry.userOptions,
    failure: entry.failure,
    notice: entry.notice,
    state: entry.state,
  });

  /** `launched`: a spawning server's process state, recorded before the server is ready. */
  async function persist(entry: Entry, state: Tables['servers']['state'], launched?: ServerState): Promise<void> {
    const spawnerState = launched ?? entry.state;
    const values = {
      state,
      url: spawnerState?.url ?? null,
      spawner_state: spawnerState ? JSON.stringify(spawnerState) : null,
      user_options: JSON.stringify(entry.userOptions),
      started_at: entry.started,
      last_activity: entry.lastActivity,
      failure: entry.failure,
    };
    await deps.db
      .insertInto('servers')
      .values({ user_id: entry.userId, name: entry.serverName, ...values })
      .onConflict((oc) => oc.columns(['user_id', 'name']).doUpdateSet(values))
      .execute();
  }

  const routePrefix = (entry: Entry) => deps.paths.userServer(entry.userName, entry.serverName);

  /** Server token and OAuth client go away with the server; tokens issued to the client with them. */
  async function forgetCredentials(entry: Entry): Promise<void> {
    await deps.oauth.deleteClient(entry.clientId);
  }

  async function markStopped(entry: Entry, reason: 'stopped' | 'exited', by: Actor): Promise<void> {
    deps.routes.remove(routePrefix(entry));
    await forgetCredentials(entry);
    const state = entry.state;
    entry.ready = false;
    entry.pending = null;
    entry.state = null;
    await persist(entry, 'stopped');
    entries.delete(key(entry.userId, entry.serverName));
    if (state) await deps.packageEnvironment?.release(state.uid, entry.serverName);
    await deps.audit.record(by, {
      action: reason === 'stopped' ? 'server.stop' : 'server.exit',
      target: entry.userName,
      detail: { server_name: entry.serverName, pid: state?.pid ?? null },
    });
  }

  deps.spawner.onExit((state, exitCode, signal, reason) => {
    const entry = [...entries.values()].find((e) => e.state?.pid === state.pid);
    if (!entry || entry.pending === 'stop' || !entry.ready) return;
    deps.logger.warn({ user: entry.userName, pid: state.pid, exitCode, signal, reason }, 'server exited unexpectedly');
    if (reason !== null) {
      entry.failure = reason;
      stopReasons.set(key(entry.userId, entry.serverName), reason);
    }
    markStopped(entry, 'exited', { name: null }).catch((error: unknown) =>
      deps.logger.error({ err: error, user: entry.userName }, 'cannot record server exit'),
    );
  });

  deps.spawner.onOomKill?.((state, count) => {
    const entry = [...entries.values()].find((e) => e.state?.pid === state.pid);
    const memory = entry?.state?.limits?.memory;
    if (!entry?.state || !memory) return;
    entry.notice = `memory limit (${memory.value}) exceeded: the kernel killed a process of this server (${count} so far), usually a notebook kernel`;
    entry.state = { ...entry.state, limits: { ...entry.state.limits, memory: { ...memory, oomKills: count } } };
    persist(entry, 'running').catch((error: unknown) => deps.logger.error({ err: error, user: entry.userName }, 'cannot record memory limit hit'));
  });

  /** A spawn's successful end: route, record, audit, the final progress event. */
  async function markReady(entry: Entry, state: ServerState, by: Actor, detail: Record<string, unknown>): Promise<void> {
    entry.state = state;
    deps.routes.add(routePrefix(entry), routeTarget(state), { user: entry.userName, server_name: entry.serverName });
    entry.ready = true;
    entry.pending = null;
    entry.started = state.startedAt;
    entry.lastActivity = state.startedAt;
    await persist(entry, 'running');
    await deps.audit.record(by, {
      action: 'server.spawn',
      target: entry.userName,
      detail: { server_name: entry.serverName, uid: state.uid, gid: state.gid, pid: state.pid, port: state.port, ...detail },
    });
    const url = routePrefix(entry);
    entry.progress.push({
      progress: 100,
      ready: true,
      message: `Server ready at ${url}`,
      html_message: `Server ready at <a href="${url}">${url}</a>`,
      url,
    });
  }

  /**
   * A spawn an earlier hub process began and never finished (it was killed): the process is on
   * record, so it is either adopted once it answers or stopped; never left running unknown.
   */
  async function resumeSpawn(entry: Entry, launched: ServerState): Promise<void> {
    entry.progress.push({ progress: 50, message: 'The hub restarted during this spawn; waiting for the server to answer' });
    const ready = deps.spawner.resume
      ? await deps.spawner.resume(launched).catch((error: unknown) => {
          deps.logger.error({ err: error, user: entry.userName }, 'cannot resume an interrupted spawn');
          return false;
        })
      : false;
    if (ready) {
      await markReady(entry, launched, { name: null }, { resumed: true });
      deps.logger.info({ user: entry.userName, pid: launched.pid }, 'adopted a server whose spawn the previous hub process began');
      return;
    }
    if (!deps.spawner.resume) await deps.spawner.stop(launched).catch(() => undefined);
    await deps.packageEnvironment?.release(launched.uid, entry.serverName);
    const reason = 'the hub restarted while this server was starting and the server did not become ready; it was stopped';
    entry.failure = reason;
    entry.pending = null;
    await forgetCredentials(entry);
    await persist(entry, 'failed');
    await deps.audit.record({ name: null }, {
      action: 'server.spawn',
      target: entry.userName,
      outcome: 'failure',
      detail: { server_name: entry.serverName, reason, pid: launched.pid },
    });
    entry.progress.push({ progress: 100, failed: true, message: `Spawn failed: ${reason}` });
  }

  async function runSpawn(entry: Entry, user: User, by: Actor): Promise<void> {
    spawning++;
    const began = deps.clock().getTime();
    let ok = false;
    const { progress } = entry;
    progress.push({ progress: 0, message: 'Server requested' });
    let prepared: PreparedEnvironment | undefined;
    try {
      const { token, record } = await deps.tokens.create(
        {
          owner: user,
          kind: 'server',
          // channel:read lets the server's pip read a channel that requires a token (bulwark up).
          scopes: ['users:activity!user', 'access:servers!server', 'channel:read'],
          note: `Server at ${routePrefix(entry)}`,
        },
        by,
      );
      await deps.oauth.saveClient(
        {
          identifier: entry.clientId,
          redirectUri: `${routePrefix(entry)}oauth_callback`,
          description: `Server at ${routePrefix(entry)}`,
          userId: user.id,
          serverName: entry.serverName,
          allowedScopes: [],
        },
        token,
      );
      await deps.db.updateTable('api_tokens').set({ oauth_client_id: entry.clientId }).where('id', '=', record.id).execute();
      prepared = await deps.packageEnvironment?.prepare(user.name, entry.serverName, (message) => progress.push({ progress: 5, message }), token);
      progress.push({ progress: 10, message: 'Spawning server...' });
      const state = await deps.spawner.start({
        ...(prepared?.command ? { command: prepared.command } : {}),
        ...(prepared ? { environment: prepared.environment } : {}),
        username: user.name,
        serverName: entry.serverName,
        servicePrefix: routePrefix(entry),
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
        onLaunched: (launched) => persist(entry, 'spawn_pending', launched),
      });
      if (entry.pending !== 'spawn') return; // stopped while starting; stop() cleans up
      await markReady(entry, state, by, {});
      ok = true;
    } catch (error) {
      const reason = isBulwarkError(error) ? error.message : (error as Error).message;
      deps.logger.error({ user: user.name, err: error }, 'spawn failed');
      entry.failure = reason;
      entry.pending = null;
      entry.ready = false;
      await forgetCredentials(entry).catch(() => undefined);
      if (prepared) await deps.packageEnvironment?.release(prepared.uid, entry.serverName);
      await persist(entry, 'failed').catch(() => undefined);
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
    view(user, serverName = '') {
      const entry = entries.get(key(user.id, serverName));
      return entry ? viewOf(entry) : undefined;
    },
    async start(user, serverName, by, userOptions = {}) {
      const existing = entries.get(key(user.id, serverName));
      if (existing?.ready) throw new BulwarkError('HUB_SERVER_ALREADY_RUNNING', { name: displayName(user, serverName) });
      if (existing?.pending === 'stop') throw new BulwarkError('HUB_SERVER_PENDING_STOP', { name: displayName(user, serverName) });
      if (existing?.pending === 'spawn') return;
      if (deps.concurrentSpawnLimit > 0 && spawning >= deps.concurrentSpawnLimit) {
        throw new BulwarkError('HUB_TOO_MANY_SPAWNS', { seconds: 30 });
      }
      const activeLimit = deps.activeServerLimit ?? 0;
      if (activeLimit > 0 && [...entries.values()].filter((e) => e.ready || e.pending !== null).length >= activeLimit) {
        throw new BulwarkError('HUB_ACTIVE_SERVER_LIMIT');
      }
      const interval = (deps.userSpawnInterval ?? 0) * 1000;
      const now = deps.clock().getTime();
      const previous = lastStartAt.get(key(user.id, serverName));
      if (interval > 0 && previous !== undefined && now - previous < interval) {
        throw new BulwarkError('HUB_SPAWN_THROTTLED', { name: displayName(user, serverName), seconds: Math.ceil((interval - (now - previous)) / 1000) });
      }
      lastStartAt.set(key(user.id, serverName), now);
      stopReasons.delete(key(user.id, serverName));
      const entry = newEntry(user, serverName, { pending: 'spawn', userOptions });
      entries.set(key(user.id, serverName), entry);
      await persist(entry, 'spawn_pending');
      entry.spawnDone = runSpawn(entry, user, by);
    },
    async waitForSpawn(user, serverName, timeoutMs) {
      const entry = entries.get(key(user.id, serverName));
      if (!entry) return undefined;
      if (entry.spawnDone) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([entry.spawnDone, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
        clearTimeout(timer);
      }
      return viewOf(entry);
    },
    async stop(user, serverName, by) {
      const entry = entries.get(key(user.id, serverName));
      if (!entry || (!entry.ready && entry.pending === null)) {
        if (entry) entries.delete(key(user.id, serverName)); // a failed spawn: forget it
        return;
      }
      if (entry.pending === 'spawn') throw new BulwarkError('HUB_SERVER_PENDING_SPAWN', { name: displayName(user, serverName) });
      if (entry.pending === 'stop') return;
      entry.pending = 'stop';
      await persist(entry, 'stop_pending');
      deps.routes.remove(routePrefix(entry));
      if (entry.state) await deps.spawner.stop(entry.state);
      await markStopped(entry, 'stopped', by);
    },
    list(user) {
      return [...entries.values()]
        .filter((entry) => entry.userId === user.id)
        .sort((a, b) => a.serverName.localeCompare(b.serverName))
        .map(viewOf);
    },
    all() {
      return [...entries.values()].map((entry) => ({ ...viewOf(entry), userId: entry.userId, userName: entry.userName }));
    },
    async stopped(user) {
      const rows = await deps.db.selectFrom('servers').selectAll().where('user_id', '=', user.id).orderBy('name').execute();
      return rows
        .filter((row) => !entries.has(key(user.id, row.name)))
        .map((row) => ({
          name: row.name,
          pending: null,
          ready: false,
          url: deps.paths.userServer(user.name, row.name),
          started: null,
          lastActivity: row.last_activity,
          userOptions: JSON.parse(row.user_options) as Record<string, unknown>,
          failure: row.failure,
          notice: null,
          state: null,
        }));
    },
    async namedServers(user) {
      const rows = await deps.db.selectFrom('servers').select('name').where('user_id', '=', user.id).where('name', '!=', '').execute();
      const names = new Set(rows.map((row) => row.name));
      for (const entry of entries.values()) if (entry.userId === user.id && entry.serverName !== '') names.add(entry.serverName);
      return [...names].sort();
    },
    async forget(user, serverName) {
      if (entries.has(key(user.id, serverName))) return;
      await deps.db.deleteFrom('servers').where('user_id', '=', user.id).where('name', '=', serverName).execute();
      stopReasons.delete(key(user.id, serverName));
      await deps.onForget?.(user, serverName);
    },
    stopReason(user, serverName = '') {
      return stopReasons.get(key(user.id, serverName)) ?? null;
    },
    onSpawnFinished(listener) {
      spawnListeners.push(listener);
    },
    progress(user, serverName) {
      return entries.get(key(user.id, serverName))?.progress;
    },
    async recordActivity(user, serverName, when) {
      const entry = entries.get(key(user.id, serverName));
      if (entry && (entry.lastActivity === null || when > entry.lastActivity)) entry.lastActivity = when;
      await deps.db
        .updateTable('servers')
        .set({ last_activity: when })
        .where('user_id', '=', user.id)
        .where('name', '=', serverName)
        .where((eb) => eb.or([eb('last_activity', 'is', null), eb('last_activity', '<', when)]))
        .execute();
      await deps.db
        .updateTable('users')
        .set({ last_activity: when })
        .where('id', '=', user.id)
        .where((eb) => eb.or([eb('last_activity', 'is', null), eb('last_activity', '<', when)]))
        .execute();
    },
    async restore() {
      const rows = await deps.db
        .selectFrom('servers')
        .innerJoin('users', 'users.id', 'servers.user_id')
        .select(['servers.user_id', 'servers.name', 'servers.state', 'servers.spawner_state', 'servers.user_options', 'servers.started_at', 'servers.last_activity', 'users.name as user_name'])
        .where('servers.state', 'in', ['running', 'spawn_pending', 'stop_pending'])
        .execute();
      // Each check reads /proc and may stop a dead server's leftovers: run them side by side, a few at a time.
      const restoreOne = async (row: (typeof rows)[number]): Promise<void> => {
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
          entries.set(key(entry.userId, entry.serverName), entry);
          entry.spawnDone = resumeSpawn(entry, state).catch((error: unknown) =>
            deps.logger.error({ err: error, user: entry.userName }, 'cannot finish an interrupted spawn'),
          );
          return;
        }
        // poll() matches pid, start time and uid: a reused pid reads as gone and is never signalled.
        const alive = row.state === 'running' && state !== null && (await deps.spawner.poll(state)) === null;
        if (alive && state) {
          entries.set(key(entry.userId, entry.serverName), entry);
          entry.ready = true;
          deps.routes.add(routePrefix(entry), routeTarget(state), { user: entry.userName, server_name: entry.serverName });
          deps.logger.info({ user: entry.userName, pid: state.pid }, 're-adopted running server');
        } else {
          deps.logger.warn({ user: entry.userName, server: entry.serverName, pid: state?.pid ?? null }, 'server recorded as running is gone; cleaning up');
          if (state) await deps.spawner.stop(state).catch(() => undefined);
          if (state) await deps.packageEnvironment?.release(state.uid, entry.serverName);
          await forgetCredentials(entry);
          await persist(entry, 'stopped');
        }
      };
      const queue = [...rows];
      const worker = async (): Promise<void> => {
        for (let row = queue.shift(); row !== undefined; row = queue.shift()) await restoreOne(row);
      };
      await Promise.all(Array.from({ length: Math.min(8, queue.length) }, worker));
    },
    async shutdown(stopServers) {
      const all = [...entries.values()];
      await Promise.all(all.map((entry) => entry.spawnDone?.catch(() => undefined)));
      if (!stopServers) return;
      await Promise.all(
        all.filter((entry) => entry.ready).map((entry) =>
          this.stop({ id: entry.userId, name: entry.userName } as User, entry.serverName, { name: null }).catch((error: unknown) =>
            deps.logger.error({ err: error, user: entry.userName }, 'cannot stop server at shutdown'),
          ),
        ),
      );
    },
  };
}
