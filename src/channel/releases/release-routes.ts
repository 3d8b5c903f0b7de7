import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BulwarkError } from '../../errors/index.js';
import { requireScope } from '../access/caller.js';
import type { ChannelDeps } from '../channel-deps.js';
import { sendIndexPage } from '../http-caching.js';
import { SBOM_PATH } from './release-documents.js';
import { publishedRelease, registerReleaseIndexRoutes } from './release-index-routes.js';
import { renderReleaseList, renderReleasePage } from './release-page.js';
import { currencyOf, diffOf, vulnerabilitiesOf } from './release-reports.js';
import { renderVulnerabilityReport } from './vulnerability-report.js';

/**
 * `/releases/`: the list of published releases, each release's page, its frozen documents
 * (requirements files, pylock files, SBOM), its live vulnerability (VEX) and currency reports,
 * and its release-scoped index. Drafts are not served.
 */
export function registerReleaseRoutes(app: FastifyInstance, deps: ChannelDeps): void {
  const root = `${deps.paths.base}releases/`;
  const { releases } = deps.releases;
  const cache = { maxAge: deps.config.index_max_age, requireAuth: deps.config.require_auth };
  const guard = async (request: FastifyRequest) => {
    if (deps.config.require_auth) await requireScope(request, deps.tokens, 'channel:read', 'read this channel');
  };
  const now = () => deps.clock().toISOString();

  app.get(root, async (request, reply) => {
    await guard(request);
    const published = (await releases.list()).filter((r) => r.state === 'published');
    return sendIndexPage(request, reply, renderReleaseList(deps.paths, published), 'text/html; charset=utf-8', cache);
  });

  app.get<{ Params: { name: string } }>(`${root}:name/`, async (request, reply) => {
    await guard(request);
    const record = await publishedRelease(deps, request.params.name);
    const context = { catalog: deps.catalog, releases: deps.releases };
    // Compare with the release it was made from, else with the published release before it.
    const earlier = (await releases.list()).filter((r) => r.state === 'published' && r.name !== record.name && (r.publishedAt ?? '') < (record.publishedAt ?? ''));
    const from = record.fromRelease !== null ? await releases.get(record.fromRelease) : earlier.sort((a, b) => ((a.publishedAt ?? '') < (b.publishedAt ?? '') ? -1 : 1)).at(-1);
    const body = renderReleasePage({
      paths: deps.paths,
      record,
      pins: await releases.pins(record.name),
      documents: await releases.documentPaths(record.name),
      currency: await currencyOf(context, record.name, now()),
      diff: from ? await diffOf(context, from.name, record.name) : null,
    });
    return sendIndexPage(request, reply, body, 'text/html; charset=utf-8', cache);
  });

  app.get<{ Params: { name: string; document: string } }>(`${root}:name/:document`, async (request, reply) => {
    await guard(request);
    const { name, document } = request.params;
    const record = await publishedRelease(deps, name);
    const context = { catalog: deps.catalog, releases: deps.releases };
    if (document === 'vulnerabilities.json') {
      const sbom = await releases.document(record.name, SBOM_PATH);
      const sbomSerial = sbom ? (JSON.parse(sbom.body) as { serialNumber?: string }).serialNumber : undefined;
      const body = renderVulnerabilityReport({ release: record.name, timestamp: now(), vulnerabilities: await vulnerabilitiesOf(context, record.name), sbomSerial });
      return sendIndexPage(request, reply, body, 'application/vnd.cyclonedx+json; charset=utf-8', cache);
    }
    if (document === 'currency.json') {
      return sendIndexPage(request, reply, JSON.stringify(await currencyOf(context, record.name, now())), 'application/json; charset=utf-8', cache);
    }
    const stored = await releases.document(record.name, document);
    if (!stored) throw new BulwarkError('HTTP_NOT_FOUND');
    // Frozen at publish: these bytes never change, so they may be cached for good.
    reply.header('Cache-Control', `max-age=365000000, immutable, ${deps.config.require_auth ? 'private' : 'public'}`);
    return reply.type(stored.contentType).send(stored.body);
  });

  registerReleaseIndexRoutes(app, deps);
}
