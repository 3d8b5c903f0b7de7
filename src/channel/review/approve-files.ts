import type { Actor } from '../../log/index.js';
import type { FileRecord } from '../catalog/file-record.js';
import { selectFiles } from '../admin/select-files.js';
import { blockingFindings, type VettingReport } from '../vetting/vetting-report.js';
import type { ReviewDeps } from './review-deps.js';
import { createWaiver } from './waive-finding.js';

/** What `approve` did to one file. */
export type ApproveResult =
  | { outcome: 'approved' | 'unchanged'; file: FileRecord; report: VettingReport | null }
  | { outcome: 'refused'; file: FileRecord; report: VettingReport; blocking: string[] };

export interface ApproveOptions {
  reason: string | null;
  /** Advisory ids or finding codes to waive for the selected files before deciding. */
  waive: readonly string[];
  expiresAt: Date;
}

/** The waiver subjects among `requested` that name a blocking finding of the report. */
function coveredSubjects(report: VettingReport | null, requested: readonly string[]): string[] {
  if (report === null) return [];
  const names = new Set(blockingFindings(report).flatMap((f) => [f.code, ...(f.subjects ?? [])]));
  return requested.filter((subject) => names.has(subject));
}

/**
 * An approver's decision. Every selected file is vetted again first (so the decision rests on
 * the current advisories and waivers); a file that is still rejected is refused unless the
 * `waive` subjects cover its blocking findings. Malicious releases are never approved.
 */
export async function approveFiles(deps: ReviewDeps, name: string, selector: string | undefined, options: ApproveOptions, actor: Actor): Promise<ApproveResult[]> {
  const { files } = await selectFiles(deps.catalog, name, selector);
  const results: ApproveResult[] = [];
  for (const file of files) {
    if (file.state === 'approved') {
      results.push({ outcome: 'unchanged', file, report: await deps.reports.latest(file.filename) });
      continue;
    }
    const previous = await deps.reports.latest(file.filename);
    const reason = options.reason ?? 'approved';
    for (const subject of coveredSubjects(previous, options.waive)) {
      await createWaiver(deps, file, { subject, reason, expiresAt: options.expiresAt }, actor);
    }
    const { file: vetted, report } = await deps.vetter.vet(file, actor);
    if (report.status === 'rejected') {
      results.push({ outcome: 'refused', file: vetted, report, blocking: [...new Set(blockingFindings(report).map((f) => f.code))] });
      continue;
    }
    if (vetted.state === 'approved') {
      results.push({ outcome: 'approved', file: vetted, report });
      continue;
    }
    results.push({ outcome: 'approved', file: await deps.transitions.move(vetted, 'approved', actor, { reason, manual: true }), report });
  }
  return results;
}
