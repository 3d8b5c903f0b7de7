import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

export type SqliteConnection = BetterSqlite3.Database;
export type SqliteOpenOptions = BetterSqlite3.Options;

const nodeMajor = Number(process.versions.node.split('.')[0]);

/**
 * better-sqlite3 12 wraps its objects with V8's raw ObjectWrap, which aborts the process during
 * garbage collection on Node >= 24.19 (nodejs/node#65446); better-sqlite3 13 uses Node-API and is
 * fine there, but crashes on Node 20. Both are installed (13 under an npm alias) and the one that
 * works on the running Node is loaded; their JavaScript API is the same.
 */
const driverModule = nodeMajor >= 22 ? 'better-sqlite3-napi' : 'better-sqlite3';

let driver: typeof BetterSqlite3 | undefined;

/** Opens a SQLite database file (or `:memory:`) with the driver that suits this Node. */
export function openSqliteConnection(path: string, options?: SqliteOpenOptions): SqliteConnection {
  driver ??= createRequire(import.meta.url)(driverModule) as typeof BetterSqlite3;
  return new driver(path, options);
}
