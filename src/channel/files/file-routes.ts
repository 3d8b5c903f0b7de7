import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BulwarkError } from '../../errors/index.js';
import { requireScope } from '../access/caller.js';
import { isServable, type FileRecord } from '../catalog/file-record.js';
import type { ChannelDeps } from '../channel-deps.js';
import { matchesIfNoneMatch } from '../http-caching.js';
import { parseByteRange } from './byte-range.js';

const METADATA_SUFFIX = '.metadata';

/** Finds a servable file; anything pip must not install (pending, quarantined, damaged) is a 404. */
async function servableFile(deps: ChannelDeps, project: string, filename: string): Promise<FileRecord> {
  const file = await deps.catalog.file(filename);
  const owner = file ? await deps.catalog.projectById(file.projectId) : undefined;
  if (!file || !owner || owner.name !== project || !isServable(file, owner)) throw new BulwarkError('CHANNEL_FILE_NOT_FOUND', { filename });
  return file;
}

/**
 * Sends a blob. Files never change once published, so they are cached "forever" with their
 * sha256 as a strong ETag, and ranges are honoured for resumed downloads.
 */
async function sendBlob(request: FastifyRequest, reply: FastifyReply, deps: ChannelDeps, file: FileRecord, sha256: string, type: string) {
  const stored = await deps.store.stat(sha256);
  if (!stored) {
    await deps.catalog.recordVerification(file.id, false, deps.clock().toISOString());
    throw new BulwarkError('CHANNEL_INTEGRITY_FAILED', { filename: file.filename, expected: sha256, actual: '(missing)' });
  }
  const etag = `"${sha256}"`;
  reply.header('ETag', etag);
  reply.header('Cache-Control', `max-age=365000000, immutable, ${deps.config.require_auth ? 'private' : 'public'}`);
  reply.header('Last-Modified', new Date(file.uploadedAt).toUTCString());
  reply.header('Accept-Ranges', 'bytes');
  reply.type(type);
  if (matchesIfNoneMatch(request, etag)) return reply.code(304).send();
  const ifRange = request.headers['if-range'];
  const range = ifRange === undefined || ifRange === etag ? parseByteRange(request.headers.range, stored.size) : undefined;
  if (range === 'unsatisfiable') {
    reply.header('Content-Range', `bytes */${stored.size}`);
    return reply.code(416).send();
  }
  if (range) {
    reply.code(206);
    reply.header('Content-Range', `bytes ${range.start}-${range.end}/${stored.size}`);
    reply.header('Content-Length', range.end - range.start + 1);
    return reply.send(deps.store.createReadStream(sha256, range));
  }
  reply.header('Content-Length', stored.size);
  return reply.send(deps.store.createReadStream(sha256));
}

/** `files/<project>/<filename>` and its PEP 658 `<filename>.metadata`. */
export function registerFileRoutes(app: FastifyInstance, deps: ChannelDeps): void {
  app.get<{ Params: { project: string; filename: string } }>(`${deps.paths.files}:project/:filename`, async (request, reply) => {
    if (deps.config.require_auth) await requireScope(request, deps.tokens, 'channel:read', 'download from this channel');
    const { project, filename } = request.params;
    if (filename.endsWith(METADATA_SUFFIX)) {
      const file = await servableFile(deps, project, filename.slice(0, -METADATA_SUFFIX.length));
      if (file.metadataSha256 === null) throw new BulwarkError('CHANNEL_FILE_NOT_FOUND', { filename });
      return sendBlob(request, reply, deps, file, file.metadataSha256, 'text/plain; charset=utf-8');
    }
    const file = await servableFile(deps, project, filename);
    return sendBlob(request, reply, deps, file, file.sha256, 'application/octet-stream');
  });
}
