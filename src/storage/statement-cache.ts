import type { SqliteConnection } from './sqlite-driver.js';

/** What Kysely's SqliteDialect calls on the database (its SqliteDatabase interface, narrowed). */
type Prepared = ReturnType<SqliteConnection['prepare']>;

/**
 * Keeps prepared statements by SQL text, so a query the hub runs on every request (token lookup,
 * user by name) is compiled once instead of each time: on a busy hub, SQLite's prepare was the
 * largest single cost of an API request. Bounded; the oldest statement is dropped first. A
 * statement is only reused when it is not in the middle of an iteration (a streamed query).
 */
export function withStatementCache(connection: SqliteConnection, size = 256): SqliteConnection {
  const cache = new Map<string, Prepared>();
  const prepare = (sql: string): Prepared => {
    const cached = cache.get(sql);
    if (cached !== undefined && !cached.busy) return cached;
    const statement = connection.prepare(sql);
    if (cached === undefined) {
      cache.set(sql, statement);
      if (cache.size > size) cache.delete(cache.keys().next().value as string);
    }
    return statement;
  };
  return new Proxy(connection, {
    get(target, property, receiver) {
      if (property === 'prepare') return prepare;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
