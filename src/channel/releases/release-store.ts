import type { Kysely, Selectable } from 'kysely';
import { BulwarkError } from '../../errors/index.js';
import type { ChannelReleasesTable, Tables } from '../../storage/index.js';

/** A release as stored. */
export interface ReleaseRecord {
  name: string;
  state: 'draft' | 'published';
  targets: string[];
  requirements: string;
  fromRelease: string | null;
  createdAt: string;
  createdBy: string | null;
  publishedAt: string | null;
  publishedBy: string | null;
}

/** One file chosen for one target. */
export interface ReleasePin {
  target: string;
  project: string;
  filename: string;
  version: string;
  sha256: string;
}

/** A document frozen at publish time. */
export interface ReleaseDocument {
  path: string;
  contentType: string;
  body: string;
}

function toRecord(row: Selectable<ChannelReleasesTable>): ReleaseRecord {
  return {
    name: row.name,
    state: row.state,
    targets: JSON.parse(row.targets) as string[],
    requirements: row.requirements,
    fromRelease: row.from_release,
    createdAt: row.created_at,
    createdBy: row.created_by,
    publishedAt: row.published_at,
    publishedBy: row.published_by,
  };
}

/**
 * Releases, their pins and their published documents. Publishing writes the documents and flips
 * the state in one transaction, guarded by `state = 'draft'`, so two racing publishers cannot
 * both succeed and a published release never changes.
 */
export class ReleaseStore {
  constructor(private readonly db: Kysely<Tables>) {}

  async get(name: string): Promise<ReleaseRecord | undefined> {
    const row = await this.db.selectFrom('channel_releases').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  /** Like get, but a missing release is CHANNEL_RELEASE_NOT_FOUND. */
  async require(name: string): Promise<ReleaseRecord> {
    const record = await this.get(name);
    if (!record) throw new BulwarkError('CHANNEL_RELEASE_NOT_FOUND', { name });
    return record;
  }

  async list(): Promise<ReleaseRecord[]> {
    return (await this.db.selectFrom('channel_releases').selectAll().orderBy('created_at').orderBy('name').execute()).map(toRecord);
  }

  /** Stores a new draft with its pins; a taken name is CHANNEL_RELEASE_EXISTS. */
  async create(record: ReleaseRecord, pins: readonly ReleasePin[]): Promise<void> {
    if (await this.get(record.name)) throw new BulwarkError('CHANNEL_RELEASE_EXISTS', { name: record.name });
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('channel_releases')
        .values({
          name: record.name,
          state: record.state,
          targets: JSON.stringify(record.targets),
          requirements: record.requirements,
          from_release: record.fromRelease,
          created_at: record.createdAt,
          created_by: record.createdBy,
          published_at: null,
          published_by: null,
        })
        .execute();
      // Chunked: SQLite caps bound parameters per statement (6 columns x 500 rows stays under).
      for (let i = 0; i < pins.length; i += 500) {
        const rows = pins.slice(i, i + 500).map((pin) => ({ release: record.name, ...pin }));
        if (rows.length > 0) await trx.insertInto('channel_release_pins').values(rows).execute();
      }
    });
  }

  async pins(name: string): Promise<ReleasePin[]> {
    return this.db
      .selectFrom('channel_release_pins')
      .select(['target', 'project', 'filename', 'version', 'sha256'])
      .where('release', '=', name)
      .orderBy('target')
      .orderBy('project')
      .execute();
  }

  /** Whether the release pins this file for any target (the release-scoped index serves nothing else). */
  async hasFile(name: string, filename: string): Promise<boolean> {
    const row = await this.db.selectFrom('channel_release_pins').select('project').where('release', '=', name).where('filename', '=', filename).executeTakeFirst();
    return row !== undefined;
  }

  async document(name: string, path: string): Promise<ReleaseDocument | undefined> {
    const row = await this.db
      .selectFrom('channel_release_documents')
      .select(['path', 'content_type', 'body'])
      .where('release', '=', name)
      .where('path', '=', path)
      .executeTakeFirst();
    return row ? { path: row.path, contentType: row.content_type, body: row.body } : undefined;
  }

  async documentPaths(name: string): Promise<string[]> {
    const rows = await this.db.selectFrom('channel_release_documents').select('path').where('release', '=', name).orderBy('path').execute();
    return rows.map((row) => row.path);
  }

  /** Freezes a draft: stores its documents and marks it published, or fails if it already is. */
  async publish(name: string, documents: readonly ReleaseDocument[], at: string, by: string | null): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('channel_releases')
        .set({ state: 'published', published_at: at, published_by: by })
        .where('name', '=', name)
        .where('state', '=', 'draft')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw new BulwarkError('CHANNEL_RELEASE_PUBLISHED', { name });
      for (const doc of documents) {
        await trx.insertInto('channel_release_documents').values({ release: name, path: doc.path, content_type: doc.contentType, body: doc.body }).execute();
      }
    });
  }
}
