import { sortVersions } from '../../pypkg/index.js';
import { html, type SafeHtml } from '../../web/index.js';
import type { FileRecord, ProjectRecord } from '../catalog/file-record.js';
import type { ChannelPaths } from '../channel-paths.js';
import type { VettingReport } from '../vetting/vetting-report.js';
import { renderReport } from './report-view.js';

/** A file shown on a project page, whether pip can get it, and its current vetting report. */
export interface ProjectPageFile {
  file: FileRecord;
  servable: boolean;
  report: VettingReport | null;
}

/** A notice on a project's page (e.g. a file moved to quarantine by an advisory import). */
export interface ProjectNotice {
  message: string;
  createdAt: string;
}

function status(entry: ProjectPageFile): SafeHtml {
  const { file } = entry;
  const why = file.stateReason ? html`<br><small>${file.stateReason}${file.stateChangedBy ? ` (${file.stateChangedBy})` : ''}</small>` : html``;
  if (!entry.servable) return html`<span class="status status-${file.state}" data-state="${file.state}">${file.state}</span>${why}`;
  if (file.yanked) return html`<span class="status status-yanked" data-state="${file.state}">yanked${file.yankedReason ? `: ${file.yankedReason}` : ''}</span>`;
  return html`<span class="status" data-state="${file.state}">approved</span>${why}`;
}

function fileRow(entry: ProjectPageFile, project: ProjectRecord, paths: ChannelPaths): SafeHtml {
  const { file } = entry;
  const name = entry.servable ? html`<a href="${paths.file(project.name, file.filename)}">${file.filename}</a>` : html`${file.filename}`;
  return html`<tr id="file-${file.filename}"><td>${name}</td><td>${file.version}</td><td>${file.size}</td><td class="hash">${file.sha256}</td><td>${file.requiresPython ?? ''}</td><td>${status(entry)}</td><td>${file.uploadedAt}</td><td>${renderReport(entry.report)}</td></tr>`;
}

function noticeList(notices: readonly ProjectNotice[]): SafeHtml {
  if (notices.length === 0) return html``;
  return html`<section class="card notices" id="notices"><h2>Notices</h2><ul>${notices.map((n) => html`<li>${n.createdAt}: ${n.message}</li>`)}</ul></section>`;
}

/** The body of a project's page: notices, status, versions, dependencies of the latest, every file with its vetting report. */
export function renderProjectBody(project: ProjectRecord, files: readonly ProjectPageFile[], paths: ChannelPaths, notices: readonly ProjectNotice[] = []): SafeHtml {
  const versions = sortVersions([...new Set(files.map(({ file }) => file.version))]).reverse();
  const latest = versions[0];
  const latestFile = files.find(({ file }) => file.version === latest)?.file;
  const dependencies = latestFile?.requiresDist ?? [];
  return html`<h1 id="project-name">${project.displayName}</h1>
${noticeList(notices)}
<p>${latestFile?.summary ?? ''}</p>
<p>Status: <strong id="project-status">${project.status}</strong>${project.statusReason ? ` \u2014 ${project.statusReason}` : ''}.
Simple index: <a href="${paths.simpleProject(project.name)}">${paths.simpleProject(project.name)}</a></p>
<h2>Versions</h2>
<ul id="versions">${versions.map((version) => html`<li>${version}</li>`)}</ul>
<h2>Dependencies of ${latest ?? '\u2014'}</h2>
<ul id="dependencies">${dependencies.length === 0 ? html`<li>none</li>` : dependencies.map((requirement) => html`<li><code>${requirement}</code></li>`)}</ul>
<h2>Files</h2>
<table id="files"><thead><tr><th>File</th><th>Version</th><th>Size</th><th>sha256</th><th>Requires-Python</th><th>Status</th><th>Uploaded</th><th>Vetting</th></tr></thead>
<tbody>${files.map((entry) => fileRow(entry, project, paths))}</tbody></table>`;
}
