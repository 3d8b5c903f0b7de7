import { BulwarkError } from '../../errors/index.js';
import type { Clock } from '../../identity/index.js';
import type { Actor, AuditLog } from '../../log/index.js';
import { normalizeName, tryParseVersion, type CoreMetadata } from '../../pypkg/index.js';
import { putBlob, type ArtifactStore, type BlobDigests, type StagedBlob } from '../artifacts/artifact-store.js';
import { readWheelMetadata, WheelRejection } from '../artifacts/wheel-metadata.js';
import type { ChannelCatalog } from '../catalog/channel-catalog.js';
import type { FileRecord } from '../catalog/file-record.js';
import { parseDistributionFilename, type DistributionName } from './distribution-filename.js';

/** What the uploader claims about the file (twine's form fields); all optional for local files. */
export interface DeclaredFile {
  name?: string | undefined;
  version?: string | undefined;
  sha256?: string | undefined;
  blake2_256?: string | undefined;
  requiresPython?: string | undefined;
}

export interface PublishPolicy {
  allowSdist: boolean;
}

export interface PublisherDeps {
  catalog: ChannelCatalog;
  store: ArtifactStore;
  audit: AuditLog;
  clock: Clock;
  policy: PublishPolicy;
  /** Runs right after a file is recorded (in quarantine): vetting; returns the file as it now stands. */
  review?: (file: FileRecord, actor: Actor) => Promise<FileRecord>;
}

function compareDigest(kind: string, filename: string, declared: string | undefined, actual: string): void {
  if (declared === undefined) return;
  if (declared.trim().toLowerCase() !== actual) {
    throw new BulwarkError('CHANNEL_UPLOAD_DIGEST_MISMATCH', { digest: kind, filename, declared: declared.slice(0, 64), actual });
  }
}

function checkDeclared(dist: DistributionName, filename: string, declared: DeclaredFile): void {
  if (declared.name !== undefined && normalizeName(declared.name) !== dist.name) {
    throw new BulwarkError('CHANNEL_UPLOAD_METADATA_MISMATCH', { filename, field: 'the form field name', found: declared.name, expected: dist.name });
  }
  if (declared.version !== undefined) {
    const version = tryParseVersion(declared.version);
    if (!version || version.compare(dist.version) !== 0) {
      throw new BulwarkError('CHANNEL_UPLOAD_METADATA_MISMATCH', { filename, field: 'the form field version', found: declared.version, expected: dist.version.toString() });
    }
  }
}

/**
 * The one path by which a file enters the channel: HTTP uploads, `channel upload` and `channel
 * ingest` all end here. Every check runs on staged bytes; only when all passed are the blobs
 * committed and, last, the row written, so a failure at any step leaves nothing visible.
 */
export class Publisher {
  constructor(private readonly deps: PublisherDeps) {}

  /** Refuses a bad name early (before the body is read), with the same rules `publish` applies. */
  checkFilename(filename: string): DistributionName {
    return parseDistributionFilename(filename, this.deps.policy.allowSdist);
  }

  /** Publishes staged bytes; consumes `staged` (committed on success, discarded otherwise). */
  async publish(staged: StagedBlob, filename: string, declared: DeclaredFile, actor: Actor, options: { requireDigest: boolean }): Promise<FileRecord> {
    try {
      const dist = this.checkFilename(filename);
      const digests = await staged.finish();
      if (options.requireDigest && declared.sha256 === undefined && declared.blake2_256 === undefined) {
        throw new BulwarkError('CHANNEL_UPLOAD_DIGEST_MISSING', { filename });
      }
      compareDigest('sha256_digest', filename, declared.sha256, digests.sha256);
      compareDigest('blake2_256_digest', filename, declared.blake2_256, digests.blake2_256);
      checkDeclared(dist, filename, declared);
      const existing = await this.deps.catalog.file(filename);
      if (existing) throw this.existsError(existing, digests);
      const metadata = dist.kind === 'wheel' ? await this.wheelMetadata(staged, dist, filename) : undefined;
      const project = await this.deps.catalog.project(dist.name);
      if (project && (project.status === 'archived' || project.status === 'quarantined')) {
        throw new BulwarkError('CHANNEL_PROJECT_CLOSED', { name: project.name, status: project.status });
      }
      await staged.commit();
      return await this.record(dist, filename, digests, metadata, declared, actor);
    } finally {
      await staged.discard();
    }
  }

  private existsError(existing: FileRecord, digests: BlobDigests): BulwarkError {
    if (existing.sha256 === digests.sha256) return new BulwarkError('CHANNEL_FILE_EXISTS', { filename: existing.filename });
    return new BulwarkError('CHANNEL_FILE_CONFLICT', { filename: existing.filename, stored: existing.sha256, actual: digests.sha256 });
  }

  private async wheelMetadata(staged: StagedBlob, dist: DistributionName & { kind: 'wheel' }, filename: string) {
    const file = await staged.open();
    try {
      return await readWheelMetadata(file, dist.wheel);
    } catch (error) {
      if (!(error instanceof WheelRejection)) throw error;
      if (error.mismatch) throw new BulwarkError('CHANNEL_UPLOAD_METADATA_MISMATCH', { filename, ...error.mismatch });
      throw new BulwarkError('CHANNEL_UPLOAD_INVALID_WHEEL', { filename, reason: error.message });
    } finally {
      await file.close();
    }
  }

  private async record(
    dist: DistributionName,
    filename: string,
    digests: BlobDigests,
    wheel: { bytes: Buffer; metadata: CoreMetadata } | undefined,
    declared: DeclaredFile,
    actor: Actor,
  ): Promise<FileRecord> {
    const { catalog, clock } = this.deps;
    const now = clock().toISOString();
    const metadataDigests = wheel ? await putBlob(this.deps.store, wheel.bytes) : undefined;
    // Every file starts in quarantine; only vetting (and an approver) can let it out.
    const state = 'quarantined';
    let file: FileRecord;
    try {
      const project = await catalog.ensureProject(dist.name, wheel?.metadata.name ?? dist.name, now);
      file = await catalog.insertFile(project.id, {
        filename,
        version: dist.version.toString(),
        packagetype: dist.kind === 'wheel' ? 'bdist_wheel' : 'sdist',
        sha256: digests.sha256,
        blake2_256: digests.blake2_256,
        size: digests.size,
        requires_python: wheel ? (wheel.metadata.requiresPython ?? null) : (declared.requiresPython ?? null),
        metadata_sha256: metadataDigests?.sha256 ?? null,
        summary: wheel?.metadata.summary ?? null,
        requires_dist: JSON.stringify(wheel?.metadata.requiresDist ?? []),
        state,
        yanked: 0,
        yanked_reason: null,
        uploaded_at: now,
        uploaded_by: actor.name,
        approved_at: null,
        approved_by: null,
        verified_at: now,
        integrity_failed_at: null,
        state_reason: 'uploaded; awaiting vetting',
        state_changed_at: now,
        state_changed_by: actor.name,
      });
    } catch (error) {
      await this.releaseBlobs([digests.sha256, metadataDigests?.sha256]);
      throw error;
    }
    await this.deps.audit.record(actor, {
      action: 'channel.upload',
      target: filename,
      detail: { project: dist.name, version: file.version, sha256: file.sha256, size: file.size, state },
    });
    return this.deps.review ? this.deps.review(file, actor) : file;
  }

  /** Removes blobs no row refers to (after a refused insert, or a hard delete). */
  async releaseBlobs(digests: ReadonlyArray<string | null | undefined>): Promise<void> {
    for (const sha256 of digests) {
      if (sha256 && !(await this.deps.catalog.blobInUse(sha256))) await this.deps.store.delete(sha256);
    }
  }
}
