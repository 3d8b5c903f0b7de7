import { html, type SafeHtml } from '../../web/index.js';
import type { Finding } from '../vetting/finding.js';
import type { VettingReport } from '../vetting/vetting-report.js';

function mark(f: Finding): string {
  if (f.blocking) return 'blocks';
  if (f.waived !== undefined) return `waived until ${f.waived.expiresAt}: ${f.waived.reason}`;
  if (f.wouldBlock === true) return 'would block (dry run)';
  return f.severity;
}

function findingItem(f: Finding): SafeHtml {
  return html`<li class="finding finding-${f.blocking ? 'block' : 'note'}"><code>${f.code}</code> [${mark(f)}] ${f.message}</li>`;
}

/**
 * A file's vetting report on its project page: the verdict, then every step with its status
 * and findings (informational ones included, so a pass shows what was looked at).
 */
export function renderReport(report: VettingReport | null): SafeHtml {
  if (report === null) return html`<p class="report-none">not vetted yet</p>`;
  return html`<details class="report"><summary>report: ${report.status}${report.dryRun ? ' (dry run)' : ''}, ${report.startedAt}</summary>
<ul class="steps">${report.steps.map(
    (step) => html`<li class="step step-${step.status}"><strong>${step.name}</strong>: ${step.status}${step.findings.length === 0 ? html`` : html`<ul>${step.findings.map(findingItem)}</ul>`}</li>`,
  )}</ul></details>`;
}
