import type { Selectable } from 'kysely';
import type { ChannelFilesTable, ChannelFileState, ChannelProjectsTable, ChannelProjectStatus } from '../../storage/index.js';

/** A project of the channel. */
export interface ProjectRecord {
  id: number;
  name: string;
  displayName: string;
  status: ChannelProjectStatus;
  statusReason: string | null;
  createdAt: string;
}

/** One distribution file and what the index says about it. */
export interface FileRecord {
  id: number;
  projectId: number;
  filename: string;
  version: string;
  packagetype: 'bdist_wheel' | 'sdist';
  sha256: string;
  blake2_256: string;
  size: number;
  requiresPython: string | null;
  metadataSha256: string | null;
  summary: string | null;
  requiresDist: string[];
  state: ChannelFileState;
  yanked: boolean;
  yankedReason: string | null;
  uploadedAt: string;
  uploadedBy: string | null;
  approvedAt: string | null;
  approvedBy: string | null;
  verifiedAt: string | null;
  integrityFailedAt: string | null;
  /** Why the file is in its state, who moved it there and when (null before any transition). */
  stateReason: string | null;
  stateChangedAt: string | null;
  stateChangedBy: string | null;
  /** A person decided the state (approve, reject); re-vetting does not override it. */
  stateManual: boolean;
}

export type { ChannelFileState as FileState } from '../../storage/index.js';

/** Every state, in the order a file moves through them. */
export const FILE_STATES = ['quarantined', 'vetted', 'rejected', 'approved'] as const;

/**
 * Whether the file passed vetting and an approver (or the policy) let it in: the only files a
 * release, an index page or a download may offer. Damaged files never count.
 *
 * @example
 * ```ts
 * const installable = (await catalog.files(project.id)).filter(isInstallable);
 * ```
 */
export function isInstallable(file: Pick<FileRecord, 'state' | 'integrityFailedAt'>): boolean {
  return file.state === 'approved' && file.integrityFailedAt === null;
}

/** Whether pip may see and download the file (yanked files still count: pins must keep working). */
export function isServable(file: FileRecord, project: ProjectRecord): boolean {
  return isInstallable(file) && project.status !== 'quarantined';
}

export function toProject(row: Selectable<ChannelProjectsTable>): ProjectRecord {
  return {
    id: row.id,
    name: row.name,
    displayName: row.display_name,
    status: row.status,
    statusReason: row.status_reason,
    createdAt: row.created_at,
  };
}

export function toFile(row: Selectable<ChannelFilesTable>): FileRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    filename: row.filename,
    version: row.version,
    packagetype: row.packagetype,
    sha256: row.sha256,
    blake2_256: row.blake2_256,
    // PostgreSQL returns bigint columns as strings.
    size: Number(row.size),
    requiresPython: row.requires_python,
    metadataSha256: row.metadata_sha256,
    summary: row.summary,
    requiresDist: JSON.parse(row.requires_dist) as string[],
    state: row.state,
    yanked: row.yanked === 1,
    yankedReason: row.yanked_reason,
    uploadedAt: row.uploaded_at,
    uploadedBy: row.uploaded_by,
    approvedAt: row.approved_at,
    approvedBy: row.approved_by,
    verifiedAt: row.verified_at,
    integrityFailedAt: row.integrity_failed_at,
    stateReason: row.state_reason,
    stateChangedAt: row.state_changed_at,
    stateChangedBy: row.state_changed_by,
    stateManual: row.state_manual === 1,
  };
}
