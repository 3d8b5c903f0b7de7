import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BulwarkConfig } from '../config/index.js';
import { createSessionStore, createTokenStore, createUserStore, systemClock, type Clock, type SessionStore, type TokenStore, type UserStore } from '../identity/index.js';
import { createAuditLog, type AuditLog, type Logger } from '../log/index.js';
import { assertSchemaCurrent, openDatabase, type Database } from '../storage/index.js';

/** The shared services every command and app is built from. */
export interface CoreServices {
  config: Readonly<BulwarkConfig>;
  logger: Logger;
  clock: Clock;
  database: Database;
  audit: AuditLog;
  users: UserStore;
  tokens: TokenStore;
  sessions: SessionStore;
  close(): Promise<void>;
}

export interface OpenServicesOptions {
  logger: Logger;
  clock?: Clock;
  /** Create the schema in an empty database; an outdated one is always refused. */
  createSchemaIfEmpty?: boolean;
  /** Skip the schema check (only `bulwark db upgrade` does this). */
  skipSchemaCheck?: boolean;
}

export function resolveDataDir(config: Readonly<BulwarkConfig>): string {
  const dir = resolve(config.hub.data_dir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

export async function openServices(config: Readonly<BulwarkConfig>, options: OpenServicesOptions): Promise<CoreServices> {
  const clock = options.clock ?? systemClock;
  const dataDir = resolveDataDir(config);
  const database = openDatabase({ dbUrl: config.hub.db_url, dataDir });
  try {
    if (!options.skipSchemaCheck) {
      await assertSchemaCurrent(database, { createIfEmpty: options.createSchemaIfEmpty ?? true });
    }
  } catch (error) {
    await database.close();
    throw error;
  }
  const audit = createAuditLog({
    db: database.db,
    file: config.log.audit_file ?? resolve(dataDir, 'audit.log'),
    logger: options.logger,
    clock,
  });
  const users = createUserStore({ db: database.db, audit, clock });
  const tokens = createTokenStore({ db: database.db, users, audit, clock });
  const sessions = createSessionStore({ db: database.db, users, clock });
  return {
    config,
    logger: options.logger,
    clock,
    database,
    audit,
    users,
    tokens,
    sessions,
    close: () => database.close(),
  };
}
