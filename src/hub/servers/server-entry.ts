import type { User } from '../../identity/index.js';
import type { ServerState } from '../../spawner/spawner.js';
import type { HubPaths } from '../paths.js';
import { serverClientId } from './hub-environment.js';
import { ProgressLog } from './progress.js';
import type { PendingAction, ServerView } from './server-view.js';

/** The hub's in-memory record of one active (ready, spawning or stopping) server. */
export interface Entry {
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

/** The key of an entry in the table of active servers. */
export const entryKey = (userId: number, serverName: string): string => `${userId}/${serverName}`;

/** How errors name a server: 'alice' for the default one, 'alice/lab' for a named one. */
export const displayName = (user: Pick<User, 'name'>, serverName: string): string =>
  serverName === '' ? user.name : `${user.name}/${serverName}`;

/** The server's URL prefix, which is also its proxy route. */
export const routePrefix = (paths: HubPaths, entry: Pick<Entry, 'userName' | 'serverName'>): string =>
  paths.userServer(entry.userName, entry.serverName);

/** A fresh entry for one server; callers override what they know (pending state, restored fields). */
export function newEntry(user: { id: number; name: string }, serverName: string, fields: Partial<Entry>): Entry {
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

export function viewOf(entry: Entry, paths: HubPaths): ServerView {
  return {
    name: entry.serverName,
    pending: entry.pending,
    ready: entry.ready,
    url: routePrefix(paths, entry),
    started: entry.started,
    lastActivity: entry.lastActivity,
    userOptions: entry.userOptions,
    failure: entry.failure,
    notice: entry.notice,
    state: entry.state,
  };
}
