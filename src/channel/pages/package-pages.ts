import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BulwarkError } from '../../errors/index.js';
import { isNormalizedName, normalizeName, sortVersions } from '../../pypkg/index.js';
import { html } from '../../web/index.js';
import { callerOf, requireScope } from '../access/caller.js';
import { isServable, type FileRecord, type ProjectRecord } from '../catalog/file-record.js';
import type { ChannelDeps } from '../channel-deps.js';
import { sendIndexPage } from '../http-caching.js';
import { page } from './layout.js';
import { renderProjectBody, type ProjectPageFile } from './project-body.js';

/** Files a page shows: what pip can get, plus (for approvers) every other undamaged file. */
function visibleFiles(project: ProjectRecord, files: readonly FileRecord[], showPending: boolean): Array<Omit<ProjectPageFile, 'report'>> {
  return files
    .filter((file) => isServable(file, project) || (showPending && file.integrityFailedAt === null && project.status !== 'quarantined'))
    .map((file) => ({ file, servable: isServable(file, project) }));
}

function latestVersion(files: ReadonlyArray<Pick<ProjectPageFile, 'file'>>): string | undefined {
  return sortVersions([...new Set(files.map(({ file }) => file.version))]).at(-1);
}

/**
 * The channel's web index: a package list and a page per project (versions, files, hashes,
 * requires-python, dependencies, vetting status), rendered on the server like the hub's pages.
 */
export function registerPackagePages(app: FastifyInstance, deps: ChannelDeps): void {
  const { paths } = deps;
  const cache = { maxAge: deps.config.index_max_age, requireAuth: true };

  const showPending = async (request: FastifyRequest) => {
    if (deps.config.require_auth) await requireScope(request, deps.tokens, 'channel:read', 'read this channel');
    const caller = await callerOf(request, deps.tokens);
    return caller?.scopes.has('channel:approve') ?? false;
  };

  app.get(paths.base, async (request, reply) => {
    const pending = await showPending(request);
    const rows = [];
    for (const project of await deps.catalog.projects()) {
      const files = visibleFiles(project, await deps.catalog.files(project.id), pending);
      if (files.length === 0 && project.status === 'active') continue;
      const latest = latestVersion(files);
      const summary = files.find(({ file }) => file.version === latest)?.file.summary ?? '';
      rows.push(html`<tr><td><a href="${paths.projectPage(project.name)}">${project.displayName}</a></td><td>${latest ?? '\u2014'}</td><td>${summary}</td><td>${project.status}</td><td>${files.length}</td></tr>`);
    }
    const body = html`<h1>Packages</h1>
<p>Install with <code>pip install --index-url ${paths.simple} --require-hashes --only-binary :all: &hellip;</code></p>
<table id="packages"><thead><tr><th>Project</th><th>Latest</th><th>Summary</th><th>Status</th><th>Files</th></tr></thead><tbody>${rows}</tbody></table>`;
    return sendIndexPage(request, reply, page({ title: 'Packages', paths, body }), 'text/html; charset=utf-8', cache);
  });

  app.get<{ Params: { project: string } }>(`${paths.projectPages}:project/`, async (request, reply) => {
    const pending = await showPending(request);
    const requested = request.params.project;
    if (!isNormalizedName(requested)) return reply.redirect(paths.projectPage(normalizeName(requested)), 301);
    const project = await deps.catalog.project(requested);
    const files = project ? visibleFiles(project, await deps.catalog.files(project.id), pending) : [];
    const notices = project ? await deps.catalog.notices(project.id) : [];
    if (!project || (files.length === 0 && notices.length === 0 && project.status === 'active')) throw new BulwarkError('CHANNEL_PROJECT_NOT_FOUND', { name: requested });
    const withReports: ProjectPageFile[] = [];
    for (const entry of files) withReports.push({ ...entry, report: await deps.reports.latest(entry.file.filename) });
    const body = renderProjectBody(project, withReports, paths, notices);
    return sendIndexPage(request, reply, page({ title: project.displayName, paths, body }), 'text/html; charset=utf-8', cache);
  });
}
