import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migration-context.js';
import * as identity from './001-identity.js';

export interface CodeMigration {
  up(db: Kysely<unknown>, context: MigrationContext): Promise<void>;
}

/**
 * Every migration, in order. Names are permanent: a released migration is never renamed or
 * edited; a change to the schema is a new entry at the end.
 */
export const migrations: ReadonlyArray<readonly [name: string, migration: CodeMigration]> = [
  ['001-identity', identity],
];
