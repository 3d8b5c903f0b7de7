import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migration-context.js';

/** Users, groups, roles, tokens, sessions, OAuth and audit: the identity store of hub and channel. */
export async function up(db: Kysely<unknown>, { idColumn }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', idColumn.type, idColumn.build)
    .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('admin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('authorized', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('password_hash', 'text')
    .addColumn('email', 'varchar(255)')
    .addColumn('cookie_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'varchar(32)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('last_activity', 'varchar(32)')
    .execute();

  await db.schema
    .createTable('groups')
    .addColumn('id', idColumn.type, idColumn.build)
    .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('properties', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema
    .createTable('user_groups')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('user_groups_pk', ['user_id', 'group_id'])
    .execute();

  await db.schema
    .createTable('roles')
    .addColumn('id', idColumn.type, idColumn.build)
    .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('scopes', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema
    .createTable('user_roles')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role_id', 'integer', (c) => c.notNull().references('roles.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('user_roles_pk', ['user_id', 'role_id'])
    .execute();

  await db.schema
    .createTable('oauth_clients')
    .addColumn('identifier', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('secret_hash', 'varchar(128)', (c) => c.notNull())
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('server_name', 'varchar(255)')
    .addColumn('allowed_scopes', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', idColumn.type, idColumn.build)
    .addColumn('prefix', 'varchar(16)', (c) => c.notNull())
    .addColumn('hash', 'varchar(128)', (c) => c.notNull().unique())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('session_id', 'varchar(64)')
    .addColumn('oauth_client_id', 'varchar(255)', (c) =>
      c.references('oauth_clients.identifier').onDelete('cascade'),
    )
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(32)')
    .addColumn('last_activity', 'varchar(32)')
    .execute();
  await db.schema.createIndex('api_tokens_prefix').on('api_tokens').column('prefix').execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', idColumn.type, idColumn.build)
    .addColumn('hash', 'varchar(128)', (c) => c.notNull().unique())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('public_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('oauth_codes')
    .addColumn('hash', 'varchar(128)', (c) => c.primaryKey())
    .addColumn('client_id', 'varchar(255)', (c) =>
      c.notNull().references('oauth_clients.identifier').onDelete('cascade'),
    )
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('session_public_id', 'varchar(64)')
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('servers')
    .addColumn('id', idColumn.type, idColumn.build)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('spawner_state', 'text')
    .addColumn('user_options', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('started_at', 'varchar(32)')
    .addColumn('last_activity', 'varchar(32)')
    .addColumn('failure', 'text')
    .addUniqueConstraint('servers_user_name', ['user_id', 'name'])
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', idColumn.type, idColumn.build)
    .addColumn('at', 'varchar(32)', (c) => c.notNull())
    .addColumn('actor', 'varchar(255)')
    .addColumn('action', 'varchar(64)', (c) => c.notNull())
    .addColumn('target', 'varchar(255)')
    .addColumn('outcome', 'varchar(16)', (c) => c.notNull())
    .addColumn('ip', 'varchar(64)')
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
}
