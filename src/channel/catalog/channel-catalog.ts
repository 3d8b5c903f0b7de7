import type { Insertable, Kysely } from 'kysely';
import { BulwarkError } from '../../errors/index.js';
import type { ChannelFilesTable, ChannelFileState, Tables } from '../../storage/index.js';
import { toFile, toProject, type FileRecord, type ProjectRecord } from './file-record.js';

/** A new file row; the catalog fills ids and defaults. */
export type NewFile = Omit<Insertable<ChannelFilesTable>, 'id' | 'project_id'>;

function isUniqueViolation(error: unknown): boolean {
  const text = `${(error as { code?: string }).code ?? ''} ${(error as Error).message ?? ''}`;
  return /SQLITE_CONSTRAINT_UNIQUE|23505|UNIQUE constraint|duplicate key/i.test(text);
}

/**
 * The channel's metadata rows: projects and files. Blobs are not its business; callers store
 * bytes first and record them here last, so a row always points at bytes that exist.
 */
export class ChannelCatalog {
  constructor(private readonly db: Kysely<Tables>) {}

  /**
   * A number that grows with every write to the catalog, by any process: caches of rendered pages
   * compare it to know whether what they show may have changed.
   */
  async generation(): Promise<number> {
    const row = await this.db.selectFrom('channel_generation').select('value').where('id', '=', 1).executeTakeFirst();
    return row?.value ?? 0;
  }

  /** Called after each write, so a reader never caches the old state under the new number. */
  private async changed(): Promise<void> {
    await this.db.updateTable('channel_generation').set((eb) => ({ value: eb('value', '+', 1) })).where('id', '=', 1).execute();
  }

  async project(name: string): Promise<ProjectRecord | undefined> {
    const row = await this.db.selectFrom('channel_projects').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? toProject(row) : undefined;
  }

  async projectById(id: number): Promise<ProjectRecord | undefined> {
    const row = await this.db.selectFrom('channel_projects').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toProject(row) : undefined;
  }

  async projects(): Promise<ProjectRecord[]> {
    const rows = await this.db.selectFrom('channel_projects').selectAll().orderBy('name').execute();
    return rows.map(toProject);
  }

  async file(filename: string): Promise<FileRecord | undefined> {
    const row = await this.db.selectFrom('channel_files').selectAll().where('filename', '=', filename).executeTakeFirst();
    return row ? toFile(row) : undefined;
  }

  async files(projectId: number): Promise<FileRecord[]> {
    const rows = await this.db.selectFrom('channel_files').selectAll().where('project_id', '=', projectId).orderBy('filename').execute();
    return rows.map(toFile);
  }

  async allFiles(): Promise<FileRecord[]> {
    return (await this.db.selectFrom('channel_files').selectAll().orderBy('id').execute()).map(toFile);
  }

  /** Files whose last check is older than `before` (or that were never checked). */
  async filesDueForVerification(before: string): Promise<FileRecord[]> {
    const rows = await this.db
      .selectFrom('channel_files')
      .selectAll()
      .where((eb) => eb.or([eb('verified_at', 'is', null), eb('verified_at', '<', before)]))
      .orderBy('id')
      .execute();
    return rows.map(toFile);
  }

  /** Normalised names of projects with at least one approved file, or a non-active status. */
  async visibleProjectNames(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('channel_projects as p')
      .select('p.name')
      .where((eb) =>
        eb.or([
          eb('p.status', '!=', 'active'),
          eb.exists(
            eb
              .selectFrom('channel_files as f')
              .select('f.id')
              .whereRef('f.project_id', '=', 'p.id')
              .where('f.state', '=', 'approved')
              .where('f.integrity_failed_at', 'is', null),
          ),
        ]),
      )
      .orderBy('p.name')
      .execute();
    return rows.map((row) => row.name);
  }

  /** The project's row, created on first upload with the name as the uploader spelled it. */
  async ensureProject(name: string, displayName: string, now: string): Promise<ProjectRecord> {
    const existing = await this.project(name);
    if (existing) return existing;
    try {
      await this.db.insertInto('channel_projects').values({ name, display_name: displayName, status: 'active', status_reason: null, created_at: now }).execute();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error; // a concurrent upload created it first
    }
    await this.changed();
    const created = await this.project(name);
    if (!created) throw new Error(`project ${name} vanished while being created`);
    return created;
  }

  /** Records a file; a duplicate file name (even from a racing upload) is CHANNEL_FILE_EXISTS. */
  async insertFile(projectId: number, file: NewFile): Promise<FileRecord> {
    try {
      const row = await this.db.insertInto('channel_files').values({ ...file, project_id: projectId }).returningAll().executeTakeFirstOrThrow();
      await this.changed();
      return toFile(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw new BulwarkError('CHANNEL_FILE_EXISTS', { filename: String(file.filename) });
      throw error;
    }
  }

  /** Files in any of `states`, oldest first. */
  async filesInStates(states: readonly ChannelFileState[]): Promise<FileRecord[]> {
    if (states.length === 0) return [];
    return (await this.db.selectFrom('channel_files').selectAll().where('state', 'in', states).orderBy('id').execute()).map(toFile);
  }

  /**
   * Moves files to `state`, remembering who, when and why. Callers audit the transition
   * (see FileTransitions); `manual` marks a person's decision, which re-vetting respects.
   */
  async setState(ids: readonly number[], state: ChannelFileState, by: string | null, now: string, why: { reason?: string | null; manual?: boolean } = {}): Promise<void> {
    if (ids.length === 0) return;
    const common = { state, state_reason: why.reason ?? null, state_changed_at: now, state_changed_by: by, state_manual: why.manual === true ? 1 : 0 };
    await this.db
      .updateTable('channel_files')
      .set(state === 'approved' ? { ...common, approved_at: now, approved_by: by } : { ...common, approved_at: null, approved_by: null })
      .where('id', 'in', ids)
      .execute();
    await this.changed();
  }

  async addNotice(projectId: number, filename: string | null, message: string, now: string): Promise<void> {
    await this.db.insertInto('channel_notices').values({ project_id: projectId, filename, message, created_at: now }).execute();
    await this.changed();
  }

  /** A project's notices, newest first. */
  async notices(projectId: number, limit = 20): Promise<Array<{ filename: string | null; message: string; createdAt: string }>> {
    const rows = await this.db.selectFrom('channel_notices').select(['filename', 'message', 'created_at']).where('project_id', '=', projectId).orderBy('id', 'desc').limit(limit).execute();
    return rows.map((row) => ({ filename: row.filename, message: row.message, createdAt: row.created_at }));
  }

  async setYanked(ids: readonly number[], yanked: boolean, reason: string | null): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('channel_files')
      .set({ yanked: yanked ? 1 : 0, yanked_reason: yanked ? reason : null })
      .where('id', 'in', ids)
      .execute();
    await this.changed();
  }

  async setProjectStatus(projectId: number, status: ProjectRecord['status'], reason: string | null): Promise<void> {
    await this.db.updateTable('channel_projects').set({ status, status_reason: reason }).where('id', '=', projectId).execute();
    await this.changed();
  }

  async recordVerification(id: number, ok: boolean, now: string): Promise<void> {
    await this.db
      .updateTable('channel_files')
      .set(ok ? { verified_at: now, integrity_failed_at: null } : { verified_at: now, integrity_failed_at: now })
      .where('id', '=', id)
      .execute();
    await this.changed();
  }

  async deleteFiles(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.deleteFrom('channel_files').where('id', 'in', ids).execute();
    await this.changed();
  }

  /** Whether any file row still points at the blob (files or their METADATA share blobs). */
  async blobInUse(sha256: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('channel_files')
      .select('id')
      .where((eb) => eb.or([eb('sha256', '=', sha256), eb('metadata_sha256', '=', sha256)]))
      .executeTakeFirst();
    return row !== undefined;
  }
}
