import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migration-context.js';

/** Shared access to servers (JupyterHub 5 sharing): shares per (server, user) or (server, group), and share codes. */
export async function up(db: Kysely<unknown>, context: MigrationContext): Promise<void> {
  await db.schema
    .createTable('hub_shares')
    .addColumn('id', context.idColumn.type, context.idColumn.build)
    .addColumn('server_id', 'integer', (c) => c.notNull().references('servers.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('group_id', 'integer', (c) => c.references('groups.id').onDelete('cascade'))
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('hub_shares_server_user', ['server_id', 'user_id'])
    .addUniqueConstraint('hub_shares_server_group', ['server_id', 'group_id'])
    .execute();
  // Every request looks up the caller's shares, so both grantee columns are indexed.
  await db.schema.createIndex('hub_shares_user').on('hub_shares').column('user_id').execute();
  await db.schema.createIndex('hub_shares_group').on('hub_shares').column('group_id').execute();

  await db.schema
    .createTable('hub_share_codes')
    .addColumn('id', context.idColumn.type, context.idColumn.build)
    .addColumn('server_id', 'integer', (c) => c.notNull().references('servers.id').onDelete('cascade'))
    .addColumn('code_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(32)')
    .addColumn('last_exchanged_at', 'varchar(32)')
    .addColumn('exchange_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
