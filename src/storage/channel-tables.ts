import type { Generated } from 'kysely';

/** PEP 792 project status; `quarantined` also hides every file of the project. */
export type ChannelProjectStatus = 'active' | 'archived' | 'quarantined' | 'deprecated';

/**
 * Where a file stands. Every file enters `quarantined`; the vetting pipeline moves it to
 * `vetted` or `rejected`; an approver (or, without `require_vetting`, the channel itself for a
 * vetted file) moves it to `approved`, the only state pip can see or download. An advisory
 * import can send an approved file back to `quarantined`. Migration 005 renamed `pending`.
 */
export type ChannelFileState = 'quarantined' | 'vetted' | 'rejected' | 'approved';

export interface ChannelProjectsTable {
  id: Generated<number>;
  /** PEP 503-normalised name; the key every URL uses. */
  name: string;
  /** The name as the first upload spelled it, for pages. */
  display_name: string;
  status: ChannelProjectStatus;
  status_reason: string | null;
  created_at: string;
}

export interface ChannelFilesTable {
  id: Generated<number>;
  project_id: number;
  filename: string;
  /** The version as the file name spells it. */
  version: string;
  packagetype: 'bdist_wheel' | 'sdist';
  sha256: string;
  blake2_256: string;
  size: number;
  requires_python: string | null;
  /** sha256 of the stored METADATA blob (PEP 658); null for sdists. */
  metadata_sha256: string | null;
  summary: string | null;
  /** JSON list of Requires-Dist strings. */
  requires_dist: string;
  state: ChannelFileState;
  /** 0/1; a yanked file stays downloadable but installers skip it unless pinned (PEP 592). */
  yanked: number;
  yanked_reason: string | null;
  uploaded_at: string;
  uploaded_by: string | null;
  approved_at: string | null;
  approved_by: string | null;
  verified_at: string | null;
  /** Set when a re-hash found the blob changed or missing; such files are withheld. */
  integrity_failed_at: string | null;
  /** Why the file is in its state (the last transition's reason); migration 005. */
  state_reason: string | null;
  state_changed_at: string | null;
  /** Who made the last transition; null for the channel itself or a local administrator. */
  state_changed_by: string | null;
  /** 0/1: a person decided the state (approve, reject), so re-vetting never overrides it. */
  state_manual: Generated<number>;
}

/** A message for a project's page, e.g. "moved to quarantine by an advisory import". */
export interface ChannelNoticesTable {
  id: Generated<number>;
  project_id: number;
  filename: string | null;
  message: string;
  created_at: string;
}

/** A single row (id 1) whose value grows with every catalog write. */
export interface ChannelGenerationTable {
  id: number;
  value: number;
}

/** The channel's tables, merged into `Tables`. */
export interface ChannelTables {
  channel_generation: ChannelGenerationTable;
  channel_projects: ChannelProjectsTable;
  channel_files: ChannelFilesTable;
  channel_notices: ChannelNoticesTable;
}
