import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migration-context.js';

/** Vetting: the offline advisory database, stored reports and waivers. */
export async function up(db: Kysely<unknown>, { idColumn }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('vetting_advisories')
    .addColumn('id', 'varchar(128)', (c) => c.primaryKey())
    .addColumn('aliases', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('packages', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('modified', 'varchar(40)')
    .addColumn('published', 'varchar(40)')
    .addColumn('withdrawn', 'varchar(40)')
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('malicious', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('severity_score', 'real')
    .addColumn('severity_vector', 'text')
    .addColumn('severity_source', 'varchar(16)', (c) => c.notNull().defaultTo('none'))
    .addColumn('record', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('vetting_advisory_packages')
    .addColumn('advisory_id', 'varchar(128)', (c) => c.notNull().references('vetting_advisories.id').onDelete('cascade'))
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addPrimaryKeyConstraint('vetting_advisory_packages_pk', ['advisory_id', 'name'])
    .execute();
  // Every lookup is "advisories of this package"; the primary key alone would not serve it.
  await db.schema.createIndex('vetting_advisory_packages_name').on('vetting_advisory_packages').column('name').execute();

  await db.schema
    .createTable('vetting_advisory_imports')
    .addColumn('id', idColumn.type, idColumn.build)
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('format', 'varchar(32)', (c) => c.notNull())
    .addColumn('imported_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('records_read', 'integer', (c) => c.notNull())
    .addColumn('inserted', 'integer', (c) => c.notNull())
    .addColumn('updated', 'integer', (c) => c.notNull())
    .addColumn('unchanged', 'integer', (c) => c.notNull())
    .addColumn('skipped', 'integer', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('vetting_reports')
    .addColumn('id', idColumn.type, idColumn.build)
    .addColumn('filename', 'varchar(255)', (c) => c.notNull())
    .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('report', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('vetting_reports_filename').on('vetting_reports').columns(['filename', 'id']).execute();

  await db.schema
    .createTable('vetting_waivers')
    .addColumn('id', idColumn.type, idColumn.build)
    .addColumn('subject', 'varchar(128)', (c) => c.notNull())
    .addColumn('filename', 'varchar(255)', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'varchar(255)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('revoked_at', 'varchar(32)')
    .addColumn('revoked_by', 'varchar(255)')
    .execute();
  await db.schema.createIndex('vetting_waivers_filename').on('vetting_waivers').column('filename').execute();
}
