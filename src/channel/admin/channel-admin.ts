import { BulwarkError } from '../../errors/index.js';
import type { Clock } from '../../identity/index.js';
import type { Actor, AuditLog } from '../../log/index.js';
import type { FileRecord } from '../catalog/file-record.js';
import type { ChannelContext } from '../channel-context.js';
import { verifyFiles, type VerificationResult } from '../integrity/verify-files.js';
import { selectFiles } from './select-files.js';

/** Staged uploads younger than this may still be in flight on a running server. */
const STAGING_GRACE_MS = 6 * 3600 * 1000;

/** Administrative changes to what the channel serves; every one is audited. */
export class ChannelAdmin {
  constructor(private readonly deps: ChannelContext & { audit: AuditLog; clock: Clock }) {}

  private now(): string {
    return this.deps.clock().toISOString();
  }

  /** PEP 592: installers skip yanked files unless pinned with ==; reversible with unyank. */
  async yank(name: string, selector: string | undefined, reason: string | null, actor: Actor): Promise<FileRecord[]> {
    const { files } = await selectFiles(this.deps.catalog, name, selector);
    await this.deps.catalog.setYanked(files.map((file) => file.id), true, reason);
    for (const file of files) await this.deps.audit.record(actor, { action: 'channel.yank', target: file.filename, detail: { reason } });
    return files;
  }

  async unyank(name: string, selector: string | undefined, actor: Actor): Promise<FileRecord[]> {
    const { files } = await selectFiles(this.deps.catalog, name, selector);
    await this.deps.catalog.setYanked(files.map((file) => file.id), false, null);
    for (const file of files) await this.deps.audit.record(actor, { action: 'channel.unyank', target: file.filename });
    return files;
  }

  /** Removes files for good (rows, then blobs nothing else refers to). Needs `force`. */
  async delete(name: string, selector: string | undefined, force: boolean, actor: Actor): Promise<FileRecord[]> {
    const { project, files } = await selectFiles(this.deps.catalog, name, selector);
    if (!force) throw new BulwarkError('CHANNEL_DELETE_NEEDS_FORCE', { count: files.length, name: project.name });
    await this.deps.catalog.deleteFiles(files.map((file) => file.id));
    await this.deps.publisher.releaseBlobs(files.flatMap((file) => [file.sha256, file.metadataSha256]));
    for (const file of files) {
      await this.deps.audit.record(actor, { action: 'channel.delete', target: file.filename, detail: { sha256: file.sha256, project: project.name, version: file.version } });
    }
    return files;
  }

  /** Re-hashes every stored file; failures are audited and withheld from the index. */
  async fsck(actor: Actor): Promise<{ results: VerificationResult[]; orphans: string[]; sweptStaging: number }> {
    const files = await this.deps.catalog.allFiles();
    const results = await verifyFiles({ ...this.deps, now: () => this.now() }, files);
    for (const result of results.filter((r) => r.status !== 'ok')) {
      await this.deps.audit.record(actor, { action: 'channel.integrity', target: result.filename, outcome: 'failure', detail: { ...result } });
    }
    const referenced = new Set(files.flatMap((file) => [file.sha256, file.metadataSha256]));
    const orphans: string[] = [];
    for await (const sha256 of this.deps.store.list()) if (!referenced.has(sha256)) orphans.push(sha256);
    return { results, orphans, sweptStaging: await this.deps.store.sweepStaging(STAGING_GRACE_MS) };
  }
}
