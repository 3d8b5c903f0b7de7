import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migration-context.js';

/** The package channel: projects and their files (blobs live on disk, addressed by sha256). */
export async function up(db: Kysely<unknown>, { idColumn }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('channel_projects')
    .addColumn('id', idColumn.type, idColumn.build)
    .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('display_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull().defaultTo('active'))
    .addColumn('status_reason', 'text')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('channel_files')
    .addColumn('id', idColumn.type, idColumn.build)
    .addColumn('project_id', 'integer', (c) => c.notNull().references('channel_projects.id').onDelete('cascade'))
    // The file name is the identity pip and twine use; unique so a racing duplicate upload fails.
    .addColumn('filename', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('version', 'varchar(128)', (c) => c.notNull())
    .addColumn('packagetype', 'varchar(16)', (c) => c.notNull())
    .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('blake2_256', 'varchar(64)', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('requires_python', 'text')
    .addColumn('metadata_sha256', 'varchar(64)')
    .addColumn('summary', 'text')
    .addColumn('requires_dist', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('yanked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('yanked_reason', 'text')
    .addColumn('uploaded_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('uploaded_by', 'varchar(255)')
    .addColumn('approved_at', 'varchar(32)')
    .addColumn('approved_by', 'varchar(255)')
    .addColumn('verified_at', 'varchar(32)')
    .addColumn('integrity_failed_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('channel_files_project').on('channel_files').column('project_id').execute();
  await db.schema.createIndex('channel_files_sha256').on('channel_files').column('sha256').execute();

  // One row counting catalog writes, so every process serving the channel can tell cheaply
  // whether a cached index page is still current (a CLI approve runs in another process).
  await db.schema
    .createTable('channel_generation')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('value', 'integer', (c) => c.notNull())
    .execute();
  await (db as Kysely<{ channel_generation: { id: number; value: number } }>).insertInto('channel_generation').values({ id: 1, value: 0 }).execute();
}
