import type { ColumnDataType, ColumnDefinitionBuilder } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

/** What a migration needs to know about the database it runs on, beyond Kysely's portable API. */
export interface MigrationContext {
  dialect: DialectName;
  /** An auto-incrementing integer primary key, spelled the way this dialect wants it. */
  idColumn: {
    type: ColumnDataType;
    build: (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
  };
}

export function migrationContext(dialect: DialectName): MigrationContext {
  if (dialect === 'postgres') {
    return { dialect, idColumn: { type: 'serial', build: (c) => c.primaryKey() } };
  }
  return { dialect, idColumn: { type: 'integer', build: (c) => c.primaryKey().autoIncrement() } };
}
