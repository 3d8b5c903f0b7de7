import type { FileRecord, ProjectRecord } from '../channel/catalog/file-record.js';
import type { ChannelContext } from '../channel/channel-context.js';
import { vulnerabilitiesOf } from '../channel/releases/release-reports.js';
import type { ReleaseRecord } from '../channel/releases/release-store.js';
import { approveFiles } from '../channel/review/approve-files.js';
import { parseExpiry } from '../channel/review/parse-expiry.js';
import { rejectFiles } from '../channel/review/reject-files.js';
import type { Finding } from '../channel/vetting/finding.js';
import type { VettingReport } from '../channel/vetting/vetting-report.js';
import { BulwarkError } from '../errors/index.js';
import type {
  ChannelAdminAdvisory,
  ChannelAdminFile,
  ChannelAdminFinding,
  ChannelAdminPort,
  ChannelAdminReport,
  ChannelAdminSummary,
} from '../hub/channel-admin-port.js';

function adminFile(file: FileRecord, project: string): ChannelAdminFile {
  return {
    project,
    version: file.version,
    filename: file.filename,
    state: file.state,
    stateReason: file.stateReason,
    stateChangedAt: file.stateChangedAt,
    stateChangedBy: file.stateChangedBy,
    stateManual: file.stateManual,
    uploadedAt: file.uploadedAt,
    uploadedBy: file.uploadedBy,
  };
}

/** The names a blocking finding can be waived by, as `approve --waive` matches them; MAL- never. */
function waivableNames(f: Finding): string[] {
  if (!f.blocking || f.code === 'VULN_MALICIOUS') return [];
  return [...new Set([f.code, ...(f.subjects ?? [])])].filter((name) => !name.toUpperCase().startsWith('MAL-'));
}

function adminFinding(f: Finding): ChannelAdminFinding {
  return {
    code: f.code,
    severity: f.severity,
    message: f.message,
    blocking: f.blocking,
    waived: f.waived ? { reason: f.waived.reason, expiresAt: f.waived.expiresAt } : null,
    wouldBlock: f.wouldBlock === true,
    waivable: waivableNames(f),
  };
}

function adminReport(report: VettingReport): ChannelAdminReport {
  return {
    status: report.status,
    dryRun: report.dryRun,
    startedAt: report.startedAt,
    steps: report.steps.map((s) => ({ name: s.name, status: s.status, error: s.error ?? null, findings: s.findings.map(adminFinding) })),
  };
}

/** The newest published release: the one notebooks are most likely bound to. */
function newestPublished(releases: readonly ReleaseRecord[]): ReleaseRecord | undefined {
  const published = releases.filter((r) => r.state === 'published');
  return published.sort((a, b) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? ''))[0];
}

/**
 * The hub's admin views over the in-process channel (`bulwark up`): the same review functions
 * the CLI calls (approveFiles, rejectFiles), with the acting hub user as the audited actor, so
 * a decision made on the page and one made with `bulwark channel approve` leave the same trail.
 *
 * @example
 * ```ts
 * const channelAdmin = createChannelAdminAdapter(createChannelContext({ config: config.channel, db, audit, clock, logger }));
 * ```
 */
export function createChannelAdminAdapter(context: ChannelContext): ChannelAdminPort {
  const { catalog } = context;

  async function find(filename: string): Promise<{ file: FileRecord; project: ProjectRecord }> {
    const file = await catalog.file(filename);
    const project = file ? await catalog.projectById(file.projectId) : undefined;
    if (!file || !project) throw new BulwarkError('CHANNEL_FILE_NOT_FOUND', { filename });
    return { file, project };
  }

  async function releaseAdvisories(): Promise<ChannelAdminSummary['release']> {
    const release = newestPublished(await context.releases.releases.list());
    if (!release) return null;
    const found = await vulnerabilitiesOf({ catalog, releases: context.releases }, release.name);
    const advisories: ChannelAdminAdvisory[] = found.map((v) => ({
      id: v.match.id,
      ids: v.match.ids,
      malicious: v.match.malicious,
      score: v.match.severity.score,
      summary: v.match.summary,
      project: v.project,
      version: v.version,
      filenames: v.filenames,
    }));
    return { name: release.name, publishedAt: release.publishedAt, advisories };
  }

  return {
    async summary() {
      const names = new Map((await catalog.projects()).map((p) => [p.id, p.displayName]));
      const listed = (await catalog.filesInStates(['quarantined', 'vetted', 'rejected'])).map((f) => adminFile(f, names.get(f.projectId) ?? '?'));
      const approved = (await catalog.filesInStates(['approved'])).length;
      const quarantined = listed.filter((f) => f.state === 'quarantined');
      const pendingApproval = listed.filter((f) => f.state === 'vetted');
      const rejected = listed.filter((f) => f.state === 'rejected');
      return {
        counts: { quarantined: quarantined.length, pendingApproval: pendingApproval.length, rejected: rejected.length, approved },
        quarantined,
        pendingApproval,
        rejected,
        release: await releaseAdvisories(),
      };
    },

    async file(filename) {
      const file = await catalog.file(filename);
      const project = file ? await catalog.projectById(file.projectId) : undefined;
      if (!file || !project) return undefined;
      const report = await context.reports.latest(file.filename);
      return { file: adminFile(file, project.displayName), report: report === null ? null : adminReport(report) };
    },

    async approve(filename, request, actor) {
      const reason = request.reason?.trim() || null;
      if (request.waive.length > 0 && reason === null) throw new BulwarkError('CHANNEL_REVIEW_REASON_REQUIRED', { action: 'Approving with waivers' });
      const { file, project } = await find(filename);
      const expiresAt = parseExpiry(request.expires, context.clock());
      const [result] = await approveFiles(context, project.name, file.filename, { reason, waive: request.waive, expiresAt }, actor);
      if (!result) throw new BulwarkError('CHANNEL_FILE_NOT_FOUND', { filename });
      const after = adminFile(result.file, project.displayName);
      return result.outcome === 'refused' ? { outcome: 'refused', file: after, blocking: result.blocking } : { outcome: result.outcome, file: after };
    },

    async reject(filename, reason, actor) {
      if (reason.trim() === '') throw new BulwarkError('CHANNEL_REVIEW_REASON_REQUIRED', { action: 'Rejecting a file' });
      const { file, project } = await find(filename);
      const [moved] = await rejectFiles(context, project.name, file.filename, reason, actor);
      // Already rejected by a person: nothing moved, the file stays as it was.
      return adminFile(moved ?? file, project.displayName);
    },
  };
}
