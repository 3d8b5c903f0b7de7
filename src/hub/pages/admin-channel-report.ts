import { html, type SafeHtml } from '../../web/index.js';
import type { ChannelAdminFinding, ChannelAdminReport } from '../channel-admin-port.js';

function verdict(f: ChannelAdminFinding): string {
  if (f.blocking) return 'blocks';
  if (f.waived !== null) return `waived until ${f.waived.expiresAt}: ${f.waived.reason}`;
  if (f.wouldBlock) return 'would block (dry run)';
  return 'does not block';
}

function findingRow(step: string, f: ChannelAdminFinding): SafeHtml {
  return html`<tr class="finding" data-code="${f.code}" data-blocking="${f.blocking ? 'yes' : 'no'}">
    <td>${step}</td><td><code>${f.code}</code></td><td>${f.severity}</td>
    <td class="${f.blocking ? 'error' : ''}">${verdict(f)}</td><td>${f.message}</td></tr>`;
}

/**
 * A file's vetting report as the approver reads it before deciding: the verdict, each step's
 * status, and every finding with code, severity, message and whether it blocks.
 */
export function renderChannelReport(report: ChannelAdminReport | null): SafeHtml {
  if (report === null) return html`<p id="report" class="muted">This file has not been vetted yet.</p>`;
  const rows = report.steps.flatMap((step) => step.findings.map((f) => findingRow(step.name, f)));
  const steps = report.steps.map(
    (step) => html`<li data-step="${step.name}"><strong>${step.name}</strong>: ${step.status}${step.error !== null ? html` &mdash; <span class="error">${step.error}</span>` : ''}</li>`,
  );
  return html`<div id="report" data-status="${report.status}">
    <p>Vetting verdict: <strong id="report-status">${report.status}</strong>${report.dryRun ? ' (dry run)' : ''}, ${report.startedAt}</p>
    <ul id="report-steps">${steps}</ul>
    ${rows.length === 0
      ? html`<p class="muted" id="no-findings">No findings.</p>`
      : html`<table id="findings"><thead><tr><th>Step</th><th>Code</th><th>Severity</th><th>Verdict</th><th>Message</th></tr></thead><tbody>${rows}</tbody></table>`}
  </div>`;
}

/** The names the approve form may waive: those of the blocking findings that can be waived. */
export function waivableNames(report: ChannelAdminReport | null): string[] {
  if (report === null) return [];
  return [...new Set(report.steps.flatMap((s) => s.findings.flatMap((f) => f.waivable)))];
}
