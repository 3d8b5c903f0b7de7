import { html, type SafeHtml } from '../../web/index.js';
import type { ChannelPaths } from '../channel-paths.js';
import { page } from '../pages/layout.js';
import type { CurrencyReport } from './release-currency.js';
import type { ReleaseDiff } from './release-diff.js';
import type { ReleasePin, ReleaseRecord } from './release-store.js';

/** The list of published releases. */
export function renderReleaseList(paths: ChannelPaths, releases: readonly ReleaseRecord[]): string {
  const rows = releases.map(
    (r) => html`<tr><td><a href="${paths.base}releases/${encodeURIComponent(r.name)}/">${r.name}</a></td><td>${r.targets.join(', ')}</td><td>${r.publishedAt ?? ''}</td></tr>`,
  );
  return page({ title: 'Releases', paths, body: html`<h1>Releases</h1><table id="releases"><thead><tr><th>Release</th><th>Targets</th><th>Published</th></tr></thead><tbody>${rows}</tbody></table>` });
}

function diffSection(diff: ReleaseDiff | null): SafeHtml {
  if (diff === null) return html``;
  const rows = diff.changes.map((c) => html`<tr><td>${c.kind}</td><td>${c.project}</td><td>${c.from ?? ''}</td><td>${c.to ?? ''}</td><td>${c.target}</td></tr>`);
  const fixed = diff.advisoriesFixed.map((a) => html`<li>fixed ${a.id} (${a.project} ${a.version})</li>`);
  const introduced = diff.advisoriesIntroduced.map((a) => html`<li>introduced ${a.id} (${a.project} ${a.version})</li>`);
  return html`<section id="diff"><h2>Changes since ${diff.from}</h2>
<table><thead><tr><th>Change</th><th>Project</th><th>From</th><th>To</th><th>Target</th></tr></thead><tbody>${rows}</tbody></table>
<ul>${fixed}${introduced}</ul></section>`;
}

/**
 * A release's page: how to install it, its documents, its pins per target, how current it is and
 * what changed since the release it was made from.
 */
export function renderReleasePage(options: {
  paths: ChannelPaths;
  record: ReleaseRecord;
  pins: readonly ReleasePin[];
  documents: readonly string[];
  currency: CurrencyReport;
  diff: ReleaseDiff | null;
}): string {
  const { paths, record, pins, documents, currency, diff } = options;
  const base = `${paths.base}releases/${encodeURIComponent(record.name)}/`;
  const links = [...documents, 'vulnerabilities.json', 'currency.json'].map((path) => html`<li><a href="${base}${path}">${path}</a></li>`);
  const pinRows = pins.map((p) => html`<tr><td>${p.target}</td><td>${p.project}</td><td>${p.version}</td><td><code>${p.sha256}</code></td></tr>`);
  const newer = currency.newer.map((n) => html`<li>${n.project} ${n.pinned} &rarr; ${n.newer.join(', ')} (${n.target})</li>`);
  const advisories = currency.vulnerabilities.map((v) => html`<li>${v.match.id}: ${v.project} ${v.version} &mdash; ${v.match.summary}</li>`);
  const target = record.targets[0] ?? '';
  const body = html`<h1>Release ${record.name}</h1>
<p>Published ${record.publishedAt ?? '(draft)'} for ${record.targets.join(', ')}.</p>
<p>Install with <code>pip install --require-hashes --only-binary :all: -r ${base}requirements-${target}.txt</code></p>
<section id="documents"><h2>Documents</h2><ul>${links}</ul></section>
<section id="currency"><h2>Currency</h2><p>${currency.newer.length} pin(s) with newer approved versions; ${currency.vulnerabilities.length} advisory match(es) as of ${currency.checkedAt}.</p><ul>${newer}${advisories}</ul></section>
${diffSection(diff)}
<section id="pins"><h2>Pins</h2><table><thead><tr><th>Target</th><th>Project</th><th>Version</th><th>sha256</th></tr></thead><tbody>${pinRows}</tbody></table></section>`;
  return page({ title: `Release ${record.name}`, paths, body });
}
