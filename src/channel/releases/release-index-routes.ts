import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BulwarkError } from '../../errors/index.js';
import { isNormalizedName } from '../../pypkg/index.js';
import { requireScope } from '../access/caller.js';
import type { FileRecord } from '../catalog/file-record.js';
import type { ChannelDeps } from '../channel-deps.js';
import { matchesIfNoneMatch, sendIndexPage } from '../http-caching.js';
import { formatFromQuery, negotiateFormat, SIMPLE_HTML, SIMPLE_JSON, TEXT_HTML, type SimpleFormat } from '../simple-api/negotiate.js';
import { projectView } from '../simple-api/project-view.js';
import { renderIndexHtml, renderProjectHtml } from '../simple-api/render-html.js';
import { renderIndexJson, renderProjectJson } from '../simple-api/render-json.js';
import { isReleasable } from './releasable-file.js';
import type { ReleaseRecord } from './release-store.js';

const METADATA_SUFFIX = '.metadata';

function chooseFormat(request: FastifyRequest): SimpleFormat {
  const format = negotiateFormat(formatFromQuery((request.query as Record<string, unknown> | undefined)?.['format']) ?? request.headers.accept);
  if (!format) throw new BulwarkError('CHANNEL_NOT_ACCEPTABLE', { available: [SIMPLE_JSON, SIMPLE_HTML, TEXT_HTML].join(', ') });
  return format;
}

const contentType = (format: SimpleFormat) => (format === TEXT_HTML ? 'text/html; charset=utf-8' : format);

/** A published release, or 404: drafts are not installable, so they have no index. */
export async function publishedRelease(deps: ChannelDeps, name: string): Promise<ReleaseRecord> {
  const record = await deps.releases.releases.get(name);
  if (!record || record.state !== 'published') throw new BulwarkError('CHANNEL_RELEASE_NOT_FOUND', { name });
  return record;
}

/** The release's files of one project, as the catalog has them now (still releasable ones only). */
async function releaseFiles(deps: ChannelDeps, release: string, project: string): Promise<FileRecord[]> {
  const filenames = new Set((await deps.releases.releases.pins(release)).filter((p) => p.project === project).map((p) => p.filename));
  const owner = await deps.catalog.project(project);
  if (!owner || filenames.size === 0) return [];
  return (await deps.catalog.files(owner.id)).filter((file) => filenames.has(file.filename) && isReleasable(file, owner));
}

async function sendFile(request: FastifyRequest, reply: FastifyReply, deps: ChannelDeps, file: FileRecord, sha256: string, type: string) {
  const stored = await deps.store.stat(sha256);
  if (!stored) throw new BulwarkError('CHANNEL_FILE_NOT_FOUND', { filename: file.filename });
  const etag = `"${sha256}"`;
  reply.header('ETag', etag);
  reply.header('Cache-Control', `max-age=365000000, immutable, ${deps.config.require_auth ? 'private' : 'public'}`);
  reply.type(type);
  if (matchesIfNoneMatch(request, etag)) return reply.code(304).send();
  reply.header('Content-Length', stored.size);
  return reply.send(deps.store.createReadStream(sha256));
}

/**
 * The release-scoped index: `/releases/<name>/simple/` (PEP 503/691, the channel's own renderers)
 * and `/releases/<name>/files/...` offer exactly the release's files, so pip pointed at it cannot
 * get anything else, whatever the rest of the channel holds.
 */
export function registerReleaseIndexRoutes(app: FastifyInstance, deps: ChannelDeps): void {
  const root = `${deps.paths.base}releases/`;
  const cache = { maxAge: deps.config.index_max_age, requireAuth: deps.config.require_auth };
  const guard = async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('Vary', deps.config.require_auth ? 'Accept, Authorization' : 'Accept');
    if (deps.config.require_auth) await requireRead(request, deps);
  };

  app.get<{ Params: { name: string } }>(`${root}:name/simple/`, async (request, reply) => {
    await guard(request, reply);
    await publishedRelease(deps, request.params.name);
    const format = chooseFormat(request);
    const names = [...new Set((await deps.releases.releases.pins(request.params.name)).map((p) => p.project))].sort();
    const body = format === SIMPLE_JSON ? renderIndexJson(names) : renderIndexHtml(names);
    return sendIndexPage(request, reply, body, contentType(format), cache);
  });

  app.get<{ Params: { name: string; project: string } }>(`${root}:name/simple/:project/`, async (request, reply) => {
    await guard(request, reply);
    const { name, project } = request.params;
    await publishedRelease(deps, name);
    if (!isNormalizedName(project)) throw new BulwarkError('CHANNEL_PROJECT_NOT_FOUND', { name: project });
    const owner = await deps.catalog.project(project);
    const files = await releaseFiles(deps, name, project);
    if (!owner || files.length === 0) throw new BulwarkError('CHANNEL_PROJECT_NOT_FOUND', { name: project });
    const format = chooseFormat(request);
    const view = projectView(owner, files);
    return sendIndexPage(request, reply, format === SIMPLE_JSON ? renderProjectJson(view) : renderProjectHtml(view), contentType(format), cache);
  });

  app.get<{ Params: { name: string; project: string; filename: string } }>(`${root}:name/files/:project/:filename`, async (request, reply) => {
    if (deps.config.require_auth) await requireRead(request, deps);
    const { name, project, filename } = request.params;
    await publishedRelease(deps, name);
    const wheel = filename.endsWith(METADATA_SUFFIX) ? filename.slice(0, -METADATA_SUFFIX.length) : filename;
    const file = (await releaseFiles(deps, name, project)).find((f) => f.filename === wheel);
    if (!file) throw new BulwarkError('CHANNEL_FILE_NOT_FOUND', { filename });
    if (wheel === filename) return sendFile(request, reply, deps, file, file.sha256, 'application/octet-stream');
    if (file.metadataSha256 === null) throw new BulwarkError('CHANNEL_FILE_NOT_FOUND', { filename });
    return sendFile(request, reply, deps, file, file.metadataSha256, 'text/plain; charset=utf-8');
  });
}

async function requireRead(request: FastifyRequest, deps: ChannelDeps): Promise<void> {
  await requireScope(request, deps.tokens, 'channel:read', 'read this channel');
}
