import { sql, type Kysely } from 'kysely';
import { BulwarkError } from '../../errors/index.js';
import { grants, userFromRow, type User } from '../../identity/index.js';
import type { Tables } from '../../storage/index.js';
import type { Page } from './pagination.js';

export type StateFilter = '' | 'active' | 'ready' | 'inactive';

export interface UsersQuery {
  state: StateFilter;
  /** Case-insensitive substring of the name; '' for all. */
  nameFilter: string;
  sort: string | undefined;
  page: Page;
  /** The caller's scopes: unfiltered list:users lists in SQL; filtered forms are checked per user. */
  scopes: ReadonlySet<string>;
  /** Ids of users with an active (ready or pending) server, and with a ready one (from the server manager). */
  activeIds: ReadonlySet<number>;
  readyIds: ReadonlySet<number>;
}

export interface UsersPage {
  users: User[];
  /** Groups of the listed users, fetched in one query. */
  groups: Map<number, string[]>;
  total: number;
}


/** `%` and `_` are literal in a name filter. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * GET /hub/api/users without loading every user: filters, order, count and page run in SQL, and the
 * page's groups come in one query. Only a caller whose list:users is filtered (by user or group)
 * needs each candidate's groups, which are then fetched in one batch too.
 */
export async function listUsersPage(db: Kysely<Tables>, query: UsersQuery): Promise<UsersPage> {
  const spec = query.sort ?? 'id';
  const descending = spec.startsWith('-');
  const field = descending ? spec.slice(1) : spec;
  if (field !== 'id' && field !== 'name' && field !== 'last_activity') {
    throw new BulwarkError('HUB_API_INVALID', { detail: `sort must be one of id, name, last_activity, got ${spec}` });
  }
  let base = db.selectFrom('users');
  if (query.nameFilter !== '') base = base.where(sql<boolean>`lower(users.name) like ${likePattern(query.nameFilter.toLowerCase())} escape '\\'`);
  const active = [...query.activeIds];
  if (query.state === 'active') base = active.length === 0 ? base.where(sql<boolean>`1 = 0`) : base.where('users.id', 'in', active);
  if (query.state === 'ready') base = query.readyIds.size === 0 ? base.where(sql<boolean>`1 = 0`) : base.where('users.id', 'in', [...query.readyIds]);
  if (query.state === 'inactive' && active.length > 0) base = base.where('users.id', 'not in', active);

  // NULLs first ascending, last descending, as PostgreSQL orders them in JupyterHub; ties by id.
  const direction = descending ? 'desc' : 'asc';
  let ordered = base.selectAll('users');
  if (field === 'last_activity') ordered = ordered.orderBy(sql`users.last_activity is null`, descending ? 'asc' : 'desc');
  ordered = ordered.orderBy(`users.${field}`, direction);
  if (field !== 'id') ordered = ordered.orderBy('users.id', direction);

  if (query.scopes.has('list:users')) {
    const [count, rows] = await Promise.all([
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      // SQL integers stop at 2^63; an offset past every row is an empty page either way.
      ordered.limit(query.page.limit).offset(Math.min(query.page.offset, Number.MAX_SAFE_INTEGER)).execute(),
    ]);
    const users = rows.map(userFromRow);
    return { users, groups: await groupsOfUsers(db, users.map((u) => u.id)), total: Number(count.n) };
  }
  // Filtered list:users (e.g. !group=): judge each candidate, with every group fetched at once.
  const candidates = (await ordered.execute()).map(userFromRow);
  const groups = await groupsOfUsers(db, candidates.map((u) => u.id));
  const visible = candidates.filter((user) => grants(query.scopes, 'list:users', { user: user.name, groups: groups.get(user.id) ?? [] }));
  return { users: visible.slice(query.page.offset, query.page.offset + query.page.limit), groups, total: visible.length };
}

/** Group names per user id, for many users in one query (chunked under SQL parameter limits). */
export async function groupsOfUsers(db: Kysely<Tables>, ids: readonly number[]): Promise<Map<number, string[]>> {
  const groups = new Map<number, string[]>(ids.map((id) => [id, []]));
  for (let start = 0; start < ids.length; start += 5000) {
    const chunk = ids.slice(start, start + 5000);
    const rows = await db
      .selectFrom('user_groups')
      .innerJoin('groups', 'groups.id', 'user_groups.group_id')
      .select(['user_groups.user_id', 'groups.name'])
      .where('user_groups.user_id', 'in', chunk)
      .orderBy('groups.name')
      .execute();
    for (const row of rows) groups.get(row.user_id)?.push(row.name);
  }
  return groups;
}
