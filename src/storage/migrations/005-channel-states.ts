import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migration-context.js';

/**
 * The vetting states: `pending` becomes `quarantined` (vetting decides `vetted` or `rejected`,
 * an approver `approved`); each file remembers why and by whom its state last changed, and
 * projects get notices (e.g. files withdrawn after an advisory import).
 */
export async function up(db: Kysely<unknown>, { idColumn }: MigrationContext): Promise<void> {
  await sql`UPDATE channel_files SET state = 'quarantined' WHERE state = 'pending'`.execute(db);
  // One column per statement: SQLite's ALTER TABLE adds a single column at a time.
  await db.schema.alterTable('channel_files').addColumn('state_reason', 'text').execute();
  await db.schema.alterTable('channel_files').addColumn('state_changed_at', 'varchar(32)').execute();
  await db.schema.alterTable('channel_files').addColumn('state_changed_by', 'varchar(255)').execute();
  await db.schema.alterTable('channel_files').addColumn('state_manual', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex('channel_files_state').on('channel_files').column('state').execute();

  await db.schema
    .createTable('channel_notices')
    .addColumn('id', idColumn.type, idColumn.build)
    .addColumn('project_id', 'integer', (c) => c.notNull().references('channel_projects.id').onDelete('cascade'))
    .addColumn('filename', 'varchar(255)')
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('channel_notices_project').on('channel_notices').column('project_id').execute();
}
