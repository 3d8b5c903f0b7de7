import type { Kysely } from 'kysely';

/** Services added through the REST API at runtime, so that they survive a hub restart. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('hub_services')
    .addColumn('name', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'varchar(128)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_by', 'varchar(255)')
    .execute();
}
