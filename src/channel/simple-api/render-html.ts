import { html, type SafeHtml } from '../../web/index.js';
import { API_VERSION, type FileLink, type ProjectView } from './project-view.js';

function document(title: string, head: SafeHtml, body: SafeHtml): string {
  return html`<!DOCTYPE html>
<html>
<head>
<meta name="pypi:repository-version" content="${API_VERSION}">
${head}<title>${title}</title>
</head>
<body>
${body}</body>
</html>
`.value;
}

function anchor(link: FileLink): SafeHtml {
  const metadata = link.metadataSha256 === null ? null : `sha256=${link.metadataSha256}`;
  // PEP 714: data-core-metadata is the name; the old data-dist-info-metadata (same value) lets
  // pip 22.3-23.1 use the metadata file too, and harms nobody.
  return html`<a href="${link.url}#sha256=${link.sha256}"${link.requiresPython === null ? '' : html` data-requires-python="${link.requiresPython}"`}${
    metadata === null ? '' : html` data-core-metadata="${metadata}" data-dist-info-metadata="${metadata}"`
  }${link.yanked === false ? '' : html` data-yanked="${link.yanked}"`}>${link.filename}</a><br>
`;
}

/** PEP 503 project page, with PEP 592/658/714/792 attributes. */
export function renderProjectHtml(view: ProjectView): string {
  const head = html`<meta name="pypi:project-status" content="${view.status}">
${view.statusReason === null ? '' : html`<meta name="pypi:project-status-reason" content="${view.statusReason}">
`}`;
  return document(`Links for ${view.name}`, head, html`<h1>Links for ${view.name}</h1>
${view.files.map(anchor)}`);
}

/** PEP 503 root page: one link per project, relative so any base path works. */
export function renderIndexHtml(names: readonly string[]): string {
  return document('Simple index', html``, html`${names.map((name) => html`<a href="${encodeURIComponent(name)}/">${name}</a><br>
`)}`);
}
