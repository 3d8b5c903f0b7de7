import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BulwarkError } from '../../errors/index.js';
import { isNormalizedName, normalizeName } from '../../pypkg/index.js';
import { requireScope } from '../access/caller.js';
import type { ChannelDeps } from '../channel-deps.js';
import { sendIndexPage } from '../http-caching.js';
import { formatFromQuery, negotiateFormat, SIMPLE_HTML, SIMPLE_JSON, TEXT_HTML, type SimpleFormat } from './negotiate.js';
import { IndexPageCache } from './page-cache.js';
import { projectView } from './project-view.js';
import { renderIndexHtml, renderProjectHtml } from './render-html.js';
import { renderIndexJson, renderProjectJson } from './render-json.js';

function queryString(request: FastifyRequest): string {
  const q = request.url.indexOf('?');
  return q === -1 ? '' : request.url.slice(q);
}

function chooseFormat(request: FastifyRequest): SimpleFormat {
  const query = formatFromQuery((request.query as Record<string, unknown> | undefined)?.['format']);
  const format = negotiateFormat(query ?? request.headers.accept);
  if (!format) throw new BulwarkError('CHANNEL_NOT_ACCEPTABLE', { available: [SIMPLE_JSON, SIMPLE_HTML, TEXT_HTML].join(', ') });
  return format;
}

function contentType(format: SimpleFormat): string {
  return format === TEXT_HTML ? 'text/html; charset=utf-8' : format;
}

/**
 * The Simple Repository API: `/simple/` and `/simple/<project>/` in HTML (PEP 503) or JSON
 * (PEP 691) by negotiation. An unknown project is a 404: the channel never consults any other
 * index, which is the dependency-confusion defence.
 */
export function registerSimpleRoutes(app: FastifyInstance, deps: ChannelDeps): void {
  const { paths, config } = deps;
  const cache = { maxAge: config.index_max_age, requireAuth: config.require_auth };
  const pages = new IndexPageCache(() => deps.catalog.generation(), 60_000);
  const guard = async (request: FastifyRequest, reply: FastifyReply) => {
    // Set before anything can fail, so a 406 (or 401) also tells caches the answer depends on Accept.
    reply.header('Vary', config.require_auth ? 'Accept, Authorization' : 'Accept');
    if (config.require_auth) await requireScope(request, deps.tokens, 'channel:read', 'read this channel');
  };

  app.get(paths.simple.slice(0, -1), async (request, reply) => reply.redirect(`${paths.simple}${queryString(request)}`, 301));

  app.get(paths.simple, async (request, reply) => {
    await guard(request, reply);
    const format = chooseFormat(request);
    const page = await pages.get(`index|${format}`, contentType(format), async () => {
      const names = await deps.catalog.visibleProjectNames();
      return format === SIMPLE_JSON ? renderIndexJson(names) : renderIndexHtml(names);
    });
    return sendIndexPage(request, reply, page.body, contentType(format), { ...cache, etag: page.etag });
  });

  const redirectToCanonical = (request: FastifyRequest, reply: FastifyReply, project: string) =>
    reply.redirect(`${paths.simpleProject(normalizeName(project))}${queryString(request)}`, 301);

  app.get<{ Params: { project: string } }>(`${paths.simple}:project`, async (request, reply) => redirectToCanonical(request, reply, request.params.project));

  app.get<{ Params: { project: string } }>(`${paths.simple}:project/`, async (request, reply) => {
    await guard(request, reply);
    const { project: requested } = request.params;
    if (!isNormalizedName(requested)) {
      if (normalizeName(requested) === '' || /[/\\]/.test(requested)) throw new BulwarkError('CHANNEL_PROJECT_NOT_FOUND', { name: requested });
      return redirectToCanonical(request, reply, requested);
    }
    const format = chooseFormat(request);
    // An unknown or empty project renders as '' and is answered 404; that answer is cached too.
    const page = await pages.get(`project|${format}|${requested}`, contentType(format), async () => {
      const project = await deps.catalog.project(requested);
      if (!project) return '';
      const view = projectView(project, await deps.catalog.files(project.id));
      if (view.files.length === 0 && project.status === 'active') return '';
      return format === SIMPLE_JSON ? renderProjectJson(view) : renderProjectHtml(view);
    });
    if (page.body === '') throw new BulwarkError('CHANNEL_PROJECT_NOT_FOUND', { name: requested });
    return sendIndexPage(request, reply, page.body, contentType(format), { ...cache, etag: page.etag });
  });
}
