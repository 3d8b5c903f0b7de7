import type { FastifyInstance } from 'fastify';
import { grants } from '../../identity/index.js';
import { html, type SafeHtml } from '../../web/index.js';
import type { ChannelAdminFile, ChannelAdminSummary } from '../channel-admin-port.js';
import type { HubDeps } from '../hub-deps.js';
import { channelReviewer } from './admin-channel-access.js';
import { registerAdminChannelFilePage } from './admin-channel-file-page.js';
import { page } from './layout.js';

function fileTable(deps: HubDeps, id: string, title: string, empty: string, files: readonly ChannelAdminFile[]): SafeHtml {
  const rows = files.map(
    (f) => html`<tr data-filename="${f.filename}">
      <td>${f.project}</td><td>${f.version}</td>
      <td><a href="${deps.paths.hubUrl(`admin/channel/files/${encodeURIComponent(f.filename)}`)}">${f.filename}</a></td>
      <td>${f.stateReason ?? ''}</td><td>${f.stateChangedAt ?? f.uploadedAt}${f.stateChangedBy ? ` by ${f.stateChangedBy}` : ''}</td></tr>`,
  );
  return html`<h2>${title} (${String(files.length)})</h2>
    ${files.length === 0
      ? html`<p class="muted" id="${id}-empty">${empty}</p>`
      : html`<table id="${id}"><thead><tr><th>Project</th><th>Version</th><th>File</th><th>Why</th><th>Since</th></tr></thead><tbody>${rows}</tbody></table>`}`;
}

function releaseSection(release: ChannelAdminSummary['release']): SafeHtml {
  if (release === null) return html`<h2>Current release</h2><p class="muted" id="release-none">No release has been published yet.</p>`;
  const rows = release.advisories.map(
    (a) => html`<tr data-advisory="${a.id}">
      <td>${a.id}${a.malicious ? html` <strong class="error">malicious</strong>` : ''}</td>
      <td>${a.score === null ? 'unknown' : a.score.toFixed(1)}</td><td>${a.project} ${a.version}</td>
      <td>${a.summary}</td><td>${a.filenames.join(', ')}</td></tr>`,
  );
  return html`<h2>Current release <span id="release-name">${release.name}</span></h2>
    <p class="muted">Published ${release.publishedAt ?? ''}. Advisories known today that affect its pinned files:</p>
    ${release.advisories.length === 0
      ? html`<p class="notice" id="release-advisories-none">No known advisory affects this release.</p>`
      : html`<table id="release-advisories"><thead><tr><th>Advisory</th><th>CVSS</th><th>Package</th><th>Summary</th><th>Files</th></tr></thead><tbody>${rows}</tbody></table>`}`;
}

/**
 * `/hub/admin/channel` and the file pages under it, registered only when the hub runs with a
 * channel (`bulwark up`); a plain `bulwark hub` answers these paths with its 404.
 */
export function registerAdminChannelPages(app: FastifyInstance, deps: HubDeps): void {
  const channel = deps.channelAdmin;
  if (!channel) return;
  app.get(deps.paths.hubUrl('admin/channel'), async (request, reply) => {
    const identity = await channelReviewer(request, reply, deps);
    if (!identity) return reply;
    const summary = await channel.summary();
    const { counts } = summary;
    const body = html`<section class="card wide" id="channel-status">
      <h1>Package channel</h1>
      <p>${grants(identity.scopes, 'admin-ui') ? html`<a href="${deps.paths.hubUrl('admin')}" id="channel-to-users">Users and servers</a> &middot; ` : ''}Files waiting or kept out of the index, and what affects the current release.</p>
      <table id="channel-counts"><tbody>
        <tr><th>Pending approval</th><td id="count-pending">${String(counts.pendingApproval)}</td></tr>
        <tr><th>Quarantined</th><td id="count-quarantined">${String(counts.quarantined)}</td></tr>
        <tr><th>Rejected</th><td id="count-rejected">${String(counts.rejected)}</td></tr>
        <tr><th>Approved</th><td id="count-approved">${String(counts.approved)}</td></tr>
      </tbody></table>
      ${fileTable(deps, 'pending-files', 'Pending approval', 'No vetted file waits for approval.', summary.pendingApproval)}
      ${fileTable(deps, 'quarantined-files', 'Quarantined', 'Nothing is in quarantine.', summary.quarantined)}
      ${fileTable(deps, 'rejected-files', 'Rejected', 'No file is rejected.', summary.rejected)}
      ${releaseSection(summary.release)}
    </section>`;
    return reply.type('text/html').send(page({ title: 'Channel', paths: deps.paths, user: identity.user, body, channelNav: true }));
  });
  registerAdminChannelFilePage(app, deps, channel);
}
