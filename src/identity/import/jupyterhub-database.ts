import { BulwarkError } from '../../errors/index.js';
import { openSqliteConnection, type SqliteConnection } from '../../storage/sqlite-driver.js';

/** One account as an existing JupyterHub (and its nativeauthenticator table) knows it. */
export interface JupyterHubAccount {
  name: string;
  admin: boolean;
  /** From nativeauthenticator's users_info; JupyterHub users without a row there count as authorized. */
  authorized: boolean;
  /** A bcrypt hash from users_info, kept as is: Bulwark verifies it and re-hashes on next login. */
  bcryptHash: string | null;
  email: string | null;
  createdAt: string | null;
  lastActivity: string | null;
  groups: string[];
}

export interface JupyterHubExport {
  accounts: JupyterHubAccount[];
  groups: Array<{ name: string; properties: Record<string, unknown> }>;
}

function columnsOf(db: SqliteConnection, table: string): Set<string> {
  const rows = db.prepare(`PRAGMA table_info("${table.replace(/"/g, '')}")`).all() as Array<{ name: string }>;
  return new Set(rows.map((row) => row.name));
}

/** JupyterHub stores naive UTC timestamps (`2026-11-23 03:34:04.108819`); ours are ISO with Z. */
function toIso(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  const date = new Date(`${value.replace(' ', 'T')}${/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? '' : 'Z'}`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function bcryptText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  return /^\$2[abxy]\$\d\d\$/.test(text) ? text : null;
}

/**
 * Reads users, admin flags, groups and nativeauthenticator accounts from a JupyterHub SQLite
 * database (3.x to 5.x schemas; columns are probed, not assumed). Read-only: the file is never
 * written.
 */
export function readJupyterHubDatabase(path: string): JupyterHubExport {
  let db: SqliteConnection;
  try {
    db = openSqliteConnection(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new BulwarkError('IDENTITY_IMPORT_FAILED', { source: path, reason: (error as Error).message });
  }
  try {
    const tables = new Set((db.prepare("select name from sqlite_master where type = 'table'").all() as Array<{ name: string }>).map((r) => r.name));
    if (!tables.has('users')) throw new BulwarkError('IDENTITY_IMPORT_FAILED', { source: path, reason: 'no users table: not a JupyterHub database' });
    const groupColumns = tables.has('groups') ? columnsOf(db, 'groups') : new Set<string>();
    const groups = tables.has('groups')
      ? (db.prepare(`select id, name${groupColumns.has('properties') ? ', properties' : ''} from groups order by id`).all() as Array<{ id: number; name: string; properties?: string }>)
      : [];
    const membership = tables.has('user_group_map')
      ? (db.prepare('select user_id, group_id from user_group_map').all() as Array<{ user_id: number; group_id: number }>)
      : [];
    const groupName = new Map(groups.map((g) => [g.id, g.name]));
    const users = db.prepare('select id, name, admin, created, last_activity from users order by id').all() as Array<{
      id: number;
      name: string;
      admin: number | null;
      created: string | null;
      last_activity: string | null;
    }>;
    const native = new Map<string, { password: unknown; is_authorized: number | null; email: string | null }>();
    if (tables.has('users_info')) {
      const rows = db.prepare('select username, password, is_authorized, email from users_info order by id').all() as Array<{
        username: string;
        password: unknown;
        is_authorized: number | null;
        email: string | null;
      }>;
      // users_info has no unique constraint on username; the first row is the one nativeauthenticator reads.
      for (const row of rows) if (!native.has(row.username)) native.set(row.username, row);
    }
    const accounts: JupyterHubAccount[] = users.map((user) => {
      const info = native.get(user.name);
      native.delete(user.name);
      return {
        name: user.name,
        admin: user.admin === 1,
        authorized: info ? info.is_authorized === 1 : true,
        bcryptHash: info ? bcryptText(info.password) : null,
        email: info?.email ?? null,
        createdAt: toIso(user.created),
        lastActivity: toIso(user.last_activity),
        groups: membership.filter((m) => m.user_id === user.id).map((m) => groupName.get(m.group_id) ?? '').filter(Boolean),
      };
    });
    // Signups still waiting for an admin exist only in users_info.
    for (const [name, info] of native) {
      accounts.push({
        name,
        admin: false,
        authorized: info.is_authorized === 1,
        bcryptHash: bcryptText(info.password),
        email: info.email,
        createdAt: null,
        lastActivity: null,
        groups: [],
      });
    }
    return {
      accounts,
      groups: groups.map((g) => ({ name: g.name, properties: g.properties ? (JSON.parse(g.properties) as Record<string, unknown>) : {} })),
    };
  } finally {
    db.close();
  }
}
