import type { Actor, Logger } from '../../log/index.js';
import type { AdvisoryLookup } from '../advisories/advisory.js';
import { recheckAll, reportAdvisoryIds, type RecheckOutcome } from '../vetting/recheck-all.js';
import type { VettingPolicy } from '../vetting/vetting-policy.js';
import type { VettingReport } from '../vetting/vetting-report.js';
import type { StepResult } from '../vetting/vetting-step.js';
import type { ReviewDeps } from './review-deps.js';

/** What a re-check after an advisory import did. */
export interface QuarantineSummary {
  checked: number;
  quarantined: Array<{ filename: string; advisories: string[] }>;
  durationMs: number;
}

/** The stored report with its vulnerabilities step replaced by the re-check's. */
function withStep(report: VettingReport | null, filename: string, sha256: string, step: StepResult, now: Date): VettingReport {
  const steps = report === null ? [step] : [...report.steps.filter((s) => s.name !== 'vulnerabilities'), step];
  return {
    version: 1,
    filename,
    sha256,
    size: report?.size ?? 0,
    status: 'rejected',
    dryRun: report?.dryRun ?? false,
    startedAt: now.toISOString(),
    durationMs: step.durationMs,
    steps,
    wouldBlock: report?.wouldBlock ?? [],
  };
}

/**
 * After an advisory import: re-matches every approved and vetted file and moves each newly
 * affected one back to quarantine, with the advisory in its report, a log line, an audit
 * record and a notice on its project's page. Files already quarantined or rejected stay put.
 */
export async function quarantineAffected(
  deps: ReviewDeps & { advisories: AdvisoryLookup; policy: VettingPolicy; logger?: Logger },
  actor: Actor,
): Promise<QuarantineSummary> {
  const now = deps.clock();
  const files = await deps.catalog.filesInStates(['approved', 'vetted']);
  const stored = new Map<string, VettingReport | null>();
  const candidates = [];
  for (const file of files) {
    const report = await deps.reports.latest(file.filename);
    stored.set(file.filename, report);
    candidates.push({ filename: file.filename, knownAdvisoryIds: report === null ? [] : reportAdvisoryIds(report), waivers: await deps.waivers.forFile(file.filename) });
  }
  const summary = await recheckAll(candidates, { advisories: deps.advisories, policy: deps.policy, now });
  const byName = new Map(files.map((file) => [file.filename, file]));
  const quarantined: QuarantineSummary['quarantined'] = [];
  for (const outcome of summary.newlyAffected) {
    const file = byName.get(outcome.filename);
    if (file === undefined) continue;
    await quarantineOne(deps, file, outcome, stored.get(file.filename) ?? null, now, actor);
    quarantined.push({ filename: file.filename, advisories: outcome.newAdvisoryIds });
  }
  return { checked: summary.checked, quarantined, durationMs: summary.durationMs };
}

async function quarantineOne(
  deps: ReviewDeps & { logger?: Logger },
  file: Parameters<ReviewDeps['transitions']['move']>[0],
  outcome: RecheckOutcome,
  report: VettingReport | null,
  now: Date,
  actor: Actor,
): Promise<void> {
  const ids = outcome.newAdvisoryIds.join(', ');
  await deps.reports.save(withStep(report, file.filename, file.sha256, outcome.step, now), now);
  const reason = `advisory import: ${ids} affects this version`;
  await deps.transitions.move(file, 'quarantined', actor, { reason, detail: { advisories: outcome.newAdvisoryIds, previous: file.state } });
  await deps.catalog.addNotice(file.projectId, file.filename, `${file.filename} was ${file.state} and moved to quarantine on ${now.toISOString()}: ${ids}`, now.toISOString());
  deps.logger?.warn({ filename: file.filename, advisories: outcome.newAdvisoryIds, previous: file.state }, 'advisory import moved a file to quarantine');
}
