import type { Clock } from '../../identity/index.js';
import type { Actor, Logger } from '../../log/index.js';
import type { AdvisoryLookup } from '../advisories/advisory.js';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { ChannelCatalog } from '../catalog/channel-catalog.js';
import type { FileRecord } from '../catalog/file-record.js';
import { blockingFindings, type VettingReport } from '../vetting/vetting-report.js';
import { defaultVettingSteps } from '../vetting/default-steps.js';
import type { VettingReportStore } from '../vetting/report-store.js';
import { runVettingPipeline } from '../vetting/run-pipeline.js';
import type { VettingPolicy } from '../vetting/vetting-policy.js';
import type { VettingStep } from '../vetting/vetting-step.js';
import type { WaiverStore } from '../vetting/waivers/waiver-store.js';
import type { FileTransitions } from './file-transitions.js';
import { readStoredFile } from './read-stored-file.js';

/** The channel itself, as the actor of automatic transitions. */
export const channelActor: Actor = { name: null };

export interface FileVetterDeps {
  catalog: ChannelCatalog;
  store: ArtifactStore;
  reports: VettingReportStore;
  waivers: WaiverStore;
  advisories: AdvisoryLookup;
  transitions: FileTransitions;
  policy: VettingPolicy;
  /** `channel.policy.require_vetting`: false lets a vetted file in without an approver. */
  requireVetting: boolean;
  clock: Clock;
  logger?: Logger;
  steps?: readonly VettingStep[];
}

/** What vetting one stored file did. */
export interface VetOutcome {
  file: FileRecord;
  report: VettingReport;
}

function rejectionReason(report: VettingReport): string {
  const codes = [...new Set(blockingFindings(report).map((f) => f.code))];
  return `vetting rejected it: ${codes.join(', ')}`;
}

/**
 * Runs the vetting pipeline on a stored file, stores the report and moves the file: a
 * rejection always wins (even over an earlier approval); a pass moves a quarantined file (or
 * one the pipeline rejected before) to `vetted`, and on to `approved` when the policy does not
 * require an approver. A person's rejection stands until a person approves.
 */
export class FileVetter {
  constructor(private readonly deps: FileVetterDeps) {}

  async vet(file: FileRecord, actor: Actor = channelActor): Promise<VetOutcome> {
    const { reports, transitions } = this.deps;
    const now = this.deps.clock();
    const report = await runVettingPipeline(
      { filename: file.filename, bytes: await readStoredFile(this.deps.store, file) },
      this.deps.steps ?? defaultVettingSteps(),
      {
        policy: this.deps.policy,
        advisories: this.deps.advisories,
        knownProjects: await this.knownProjects(file),
        waivers: await this.deps.waivers.forFile(file.filename),
        now,
      },
    );
    await reports.save(report, now);
    this.deps.logger?.info({ filename: file.filename, status: report.status, durationMs: Math.round(report.durationMs) }, 'file vetted');
    let current = file;
    if (report.status === 'rejected') {
      const reason = rejectionReason(report);
      // Already rejected (by a person, or by the pipeline for the same findings): nothing moves.
      const unchanged = current.state === 'rejected' && (current.stateManual || current.stateReason === reason);
      if (!unchanged) current = await transitions.move(current, 'rejected', actor, { reason, detail: { codes: blockingFindings(report).map((f) => f.code) } });
      return { file: current, report };
    }
    if (current.state === 'quarantined' || (current.state === 'rejected' && !current.stateManual)) {
      current = await transitions.move(current, 'vetted', actor, { reason: 'every vetting step passed' });
    }
    if (current.state === 'vetted' && !this.deps.requireVetting) {
      current = await transitions.move(current, 'approved', channelActor, { reason: 'vetted; channel.policy.require_vetting is off' });
    }
    return { file: current, report };
  }

  /** Projects already established in the channel (an approved file); others get the name check. */
  private async knownProjects(file: FileRecord): Promise<Set<string>> {
    const approved = await this.deps.catalog.filesInStates(['approved']);
    const ids = new Set(approved.filter((f) => f.id !== file.id).map((f) => f.projectId));
    const names = new Set<string>();
    for (const project of await this.deps.catalog.projects()) if (ids.has(project.id)) names.add(project.name);
    return names;
  }
}
