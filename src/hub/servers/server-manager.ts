import type { User } from '../../identity/index.js';
import type { Actor } from '../../log/index.js';
import type { ProgressLog } from './progress.js';
import type { ServerContext } from './server-context.js';
import { entryKey, viewOf } from './server-entry.js';
import { watchServerEvents } from './server-exits.js';
import type { ServerManagerDeps } from './server-manager-deps.js';
import { deleteRecord, recordActivity } from './server-records.js';
import { restoreServers } from './server-restore.js';
import { createServerStarter } from './server-start.js';
import { shutdownServers, stopServer } from './server-stop.js';
import type { ServerView } from './server-view.js';
import { allServers, listServers, namedServers, stoppedServers } from './server-queries.js';

// What other modules import from here; the stages themselves live in the server-*.ts files beside it.
export type { ServerManagerDeps } from './server-manager-deps.js';
export type { PendingAction, ServerView } from './server-view.js';

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
  /** Forgets a stopped server's record (DELETE ... {"remove": true}). */
  forget(user: User, serverName: string): Promise<void>;
  /** Called with the spawn's duration and outcome, for metrics. */
  onSpawnFinished(listener: (seconds: number, ok: boolean) => void): void;
  /** Re-adopts servers recorded as running by an earlier hub process; drops the dead ones. */
  restore(): Promise<void>;
  /** On hub shutdown: stop every server, or leave them running for the next hub to adopt. */
  shutdown(stopServers: boolean): Promise<void>;
}

/** The lifecycle of users' servers, assembled from its stages around one shared table of active servers. */
export function createServerManager(deps: ServerManagerDeps): ServerManager {
  const context: ServerContext = { deps, entries: new Map(), stopReasons: new Map() };
  const { entries, stopReasons } = context;
  const starter = createServerStarter(context);
  watchServerEvents(context);

  return {
    view(user, serverName = '') {
      const entry = entries.get(entryKey(user.id, serverName));
      return entry ? viewOf(entry, deps.paths) : undefined;
    },
    start: (user, serverName, by, userOptions = {}) => starter.start(user, serverName, by, userOptions),
    async waitForSpawn(user, serverName, timeoutMs) {
      const entry = entries.get(entryKey(user.id, serverName));
      if (!entry) return undefined;
      if (entry.spawnDone) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([entry.spawnDone, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
        clearTimeout(timer);
      }
      return viewOf(entry, deps.paths);
    },
    stop: (user, serverName, by) => stopServer(context, user, serverName, by),
    list: (user) => listServers(context, user),
    all: () => allServers(context),
    stopped: (user) => stoppedServers(context, user),
    namedServers: (user) => namedServers(context, user),
    async forget(user, serverName) {
      // An active server's record is still in use: only a stopped server's record is deleted.
      if (entries.has(entryKey(user.id, serverName))) return;
      await deleteRecord(deps.db, user.id, serverName);
      stopReasons.delete(entryKey(user.id, serverName));
      await deps.onForget?.(user, serverName);
    },
    stopReason: (user, serverName = '') => stopReasons.get(entryKey(user.id, serverName)) ?? null,
    onSpawnFinished: (listener) => starter.onSpawnFinished(listener),
    progress: (user, serverName) => entries.get(entryKey(user.id, serverName))?.progress,
    async recordActivity(user, serverName, when) {
      const entry = entries.get(entryKey(user.id, serverName));
      if (entry && (entry.lastActivity === null || when > entry.lastActivity)) entry.lastActivity = when;
      await recordActivity(deps.db, user.id, serverName, when);
    },
    restore: () => restoreServers(context),
    shutdown: (stopServers) => shutdownServers(context, stopServers),
  };
}
