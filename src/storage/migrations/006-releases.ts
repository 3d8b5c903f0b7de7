import type { Kysely } from 'kysely';

/** Releases: named, immutable-once-published sets of approved files per target environment. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('channel_releases')
    .addColumn('name', 'varchar(128)', (c) => c.primaryKey())
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('targets', 'text', (c) => c.notNull())
    .addColumn('requirements', 'text', (c) => c.notNull())
    .addColumn('from_release', 'varchar(128)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_by', 'varchar(255)')
    .addColumn('published_at', 'varchar(32)')
    .addColumn('published_by', 'varchar(255)')
    .execute();

  await db.schema
    .createTable('channel_release_pins')
    .addColumn('release', 'varchar(128)', (c) => c.notNull().references('channel_releases.name').onDelete('cascade'))
    .addColumn('target', 'varchar(64)', (c) => c.notNull())
    .addColumn('project', 'varchar(255)', (c) => c.notNull())
    .addColumn('filename', 'varchar(255)', (c) => c.notNull())
    .addColumn('version', 'varchar(128)', (c) => c.notNull())
    .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
    .addPrimaryKeyConstraint('channel_release_pins_pk', ['release', 'target', 'project'])
    .execute();
  // The release-scoped index answers "is this file in release R?" on every download.
  await db.schema.createIndex('channel_release_pins_file').on('channel_release_pins').columns(['release', 'filename']).execute();

  await db.schema
    .createTable('channel_release_documents')
    .addColumn('release', 'varchar(128)', (c) => c.notNull().references('channel_releases.name').onDelete('cascade'))
    .addColumn('path', 'varchar(255)', (c) => c.notNull())
    .addColumn('content_type', 'varchar(128)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('channel_release_documents_pk', ['release', 'path'])
    .execute();
}
