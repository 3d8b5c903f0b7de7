import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { BulwarkError } from '../errors/index.js';
import type { Database } from './database.js';
import { migrationContext } from './migration-context.js';
import { migrations } from './migrations/index.js';

class CodeMigrationProvider implements MigrationProvider {
  constructor(private readonly database: Database) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const context = migrationContext(this.database.dialect);
    return Object.fromEntries(
      migrations.map(([name, migration]) => [
        name,
        { up: (db: Kysely<unknown>) => migration.up(db, context) },
      ]),
    );
  }
}

function migrator(database: Database): Migrator {
  return new Migrator({ db: database.db, provider: new CodeMigrationProvider(database) });
}

export interface SchemaStatus {
  applied: string[];
  pending: string[];
  /** Migrations recorded in the database that this code does not know (a newer Bulwark ran). */
  unknown: string[];
}

async function appliedNames(database: Database): Promise<string[]> {
  try {
    const rows = await (database.db as unknown as Kysely<{ kysely_migration: { name: string } }>)
      .selectFrom('kysely_migration')
      .select('name')
      .orderBy('name')
      .execute();
    return rows.map((row) => row.name);
  } catch {
    return []; // no migration table yet: a new, empty database
  }
}

export async function schemaStatus(database: Database): Promise<SchemaStatus> {
  let applied: string[];
  try {
    applied = await appliedNames(database);
  } catch (error) {
    throw new BulwarkError('STORAGE_UNAVAILABLE', { reason: (error as Error).message });
  }
  const known = migrations.map(([name]) => name);
  return {
    applied,
    pending: known.filter((name) => !applied.includes(name)),
    unknown: applied.filter((name) => !known.includes(name)),
  };
}

/**
 * Refuses to run on a schema that does not match the code, the way `jupyterhub --upgrade-db`
 * works: a new database is created, an old one is left for the administrator to upgrade.
 */
export async function assertSchemaCurrent(database: Database, options: { createIfEmpty: boolean }): Promise<void> {
  const status = await schemaStatus(database);
  const expected = migrations.length;
  if (status.unknown.length > 0) {
    throw new BulwarkError('STORAGE_SCHEMA_NEWER', { current: status.applied.at(-1) ?? '', expected: migrations.at(-1)?.[0] ?? '' });
  }
  if (status.pending.length === 0) return;
  if (status.applied.length === 0 && options.createIfEmpty) {
    await upgradeSchema(database);
    return;
  }
  throw new BulwarkError('STORAGE_SCHEMA_OUTDATED', {
    current: `${status.applied.length}/${expected}`,
    expected: `${expected}/${expected}`,
  });
}

export interface UpgradeResult {
  applied: string[];
}

/** Applies every pending migration, each in its own transaction; running it twice changes nothing. */
export async function upgradeSchema(database: Database): Promise<UpgradeResult> {
  const status = await schemaStatus(database);
  if (status.unknown.length > 0) {
    throw new BulwarkError('STORAGE_SCHEMA_NEWER', { current: status.applied.at(-1) ?? '', expected: migrations.at(-1)?.[0] ?? '' });
  }
  const { error, results } = await migrator(database).migrateToLatest();
  if (error !== undefined) {
    throw new BulwarkError('STORAGE_UNAVAILABLE', { reason: `migration failed: ${(error as Error).message}` }, { cause: error });
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
