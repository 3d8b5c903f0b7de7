import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { BulwarkError } from '../errors/index.js';
import type { DialectName } from './migration-context.js';
import { openSqliteConnection, type SqliteConnection } from './sqlite-driver.js';
import { withStatementCache } from './statement-cache.js';
import type { Tables } from './tables.js';

export interface Database {
  readonly db: Kysely<Tables>;
  readonly dialect: DialectName;
  /** Where it lives, with any password removed; for logs and messages. */
  readonly location: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** `postgresql://...`, `sqlite:///path`, or null for SQLite under dataDir. */
  dbUrl: string | null;
  dataDir: string;
}

const SQLITE_FILE = 'bulwark.sqlite';

function sqlitePath(options: DatabaseOptions): string {
  if (options.dbUrl === null) {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    return resolve(options.dataDir, SQLITE_FILE);
  }
  const path = options.dbUrl.replace(/^sqlite:\/\//, '');
  return path === '/:memory:' ? ':memory:' : resolve(path);
}

function openSqlite(options: DatabaseOptions): Database {
  const path = sqlitePath(options);
  let driver: SqliteConnection;
  try {
    driver = openSqliteConnection(path);
    // WAL lets readers (CLI commands, status pages) run while the hub writes.
    driver.pragma('journal_mode = WAL');
    driver.pragma('foreign_keys = ON');
    driver.pragma('busy_timeout = 5000');
  } catch (error) {
    throw new BulwarkError('STORAGE_UNAVAILABLE', { reason: `${path}: ${(error as Error).message}` });
  }
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: withStatementCache(driver) }) });
  return { db, dialect: 'sqlite', location: path, close: () => db.destroy() };
}

function openPostgres(url: string): Database {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client that loses its connection emits 'error'; without a listener that kills the process.
  pool.on('error', () => undefined);
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  const location = url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
  return { db, dialect: 'postgres', location, close: () => db.destroy() };
}

/** Opens the database named by `hub.db_url` (SQLite under data_dir when unset). */
export function openDatabase(options: DatabaseOptions): Database {
  const url = options.dbUrl;
  if (url === null || url.startsWith('sqlite:')) return openSqlite(options);
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url);
  throw new BulwarkError('STORAGE_UNAVAILABLE', {
    reason: `hub.db_url must start with postgresql:// or sqlite://, got ${url.split(':')[0]}:`,
  });
}
