import type { User } from '../../identity/index.js';
import type { ServerContext } from './server-context.js';
import { entryKey, viewOf } from './server-entry.js';
import type { ServerView } from './server-view.js';

/** Read-only views of servers: active ones from memory, stopped ones from the database. */

/** Active (ready or pending) servers of a user, default first. */
export function listServers(context: ServerContext, user: Pick<User, 'id'>): ServerView[] {
  return [...context.entries.values()]
    .filter((entry) => entry.userId === user.id)
    .sort((a, b) => a.serverName.localeCompare(b.serverName))
    .map((entry) => viewOf(entry, context.deps.paths));
}

/** Every active server, with its owner. */
export function allServers(context: ServerContext): Array<ServerView & { userId: number; userName: string }> {
  return [...context.entries.values()].map((entry) => ({ ...viewOf(entry, context.deps.paths), userId: entry.userId, userName: entry.userName }));
}

/** Servers recorded in the database but not active (stopped or failed), with `stopped` views. */
export async function stoppedServers(context: ServerContext, user: User): Promise<ServerView[]> {
  const rows = await context.deps.db.selectFrom('servers').selectAll().where('user_id', '=', user.id).orderBy('name').execute();
  return rows
    .filter((row) => !context.entries.has(entryKey(user.id, row.name)))
    .map((row) => ({
      name: row.name,
      pending: null,
      ready: false,
      url: context.deps.paths.userServer(user.name, row.name),
      started: null,
      lastActivity: row.last_activity,
      userOptions: JSON.parse(row.user_options) as Record<string, unknown>,
      failure: row.failure,
      notice: null,
      state: null,
    }));
}

/** Names of every named server the user has, recorded or only in memory (a spawn not yet written). */
export async function namedServers(context: ServerContext, user: User): Promise<string[]> {
  const rows = await context.deps.db.selectFrom('servers').select('name').where('user_id', '=', user.id).where('name', '!=', '').execute();
  const names = new Set(rows.map((row) => row.name));
  for (const entry of context.entries.values()) if (entry.userId === user.id && entry.serverName !== '') names.add(entry.serverName);
  return [...names].sort();
}
