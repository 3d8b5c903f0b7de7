import type { Actor } from '../log/index.js';

/*
 * What the hub's admin area may ask of the package channel when both run as one platform.
 * The hub never imports src/channel: the composition root (src/server) implements this port
 * over the channel's own review code, so every decision goes through the same checks and the
 * same audit records as `bulwark channel approve|reject` and the channel's HTTP API.
 */

/** Where a file stands in the channel's review. */
export type ChannelFileState = 'quarantined' | 'vetted' | 'rejected' | 'approved';

/** One distribution file as the admin lists show it. */
export interface ChannelAdminFile {
  project: string;
  version: string;
  filename: string;
  state: ChannelFileState;
  /** Why it is in its state (a person's reason or the vetting verdict); null before any move. */
  stateReason: string | null;
  stateChangedAt: string | null;
  stateChangedBy: string | null;
  /** A person decided the state; re-vetting does not undo it. */
  stateManual: boolean;
  uploadedAt: string;
  uploadedBy: string | null;
}

/** One advisory that affects files pinned by a published release. */
export interface ChannelAdminAdvisory {
  id: string;
  /** Every id and alias of the merged records. */
  ids: readonly string[];
  malicious: boolean;
  /** CVSS base score, or null when unknown. */
  score: number | null;
  summary: string;
  project: string;
  version: string;
  filenames: readonly string[];
}

/** The channel's state at a glance. */
export interface ChannelAdminSummary {
  counts: { quarantined: number; pendingApproval: number; rejected: number; approved: number };
  quarantined: ChannelAdminFile[];
  /** Vetted files that wait for an approver. */
  pendingApproval: ChannelAdminFile[];
  rejected: ChannelAdminFile[];
  /** The newest published release and the advisories affecting it today; null before the first one. */
  release: { name: string; publishedAt: string | null; advisories: ChannelAdminAdvisory[] } | null;
}

/** One observation of the vetting pipeline. */
export interface ChannelAdminFinding {
  code: string;
  severity: string;
  message: string;
  /** Whether this finding, alone, rejects the file. */
  blocking: boolean;
  /** Set when a waiver covers it. */
  waived: { reason: string; expiresAt: string } | null;
  /** A policy finding that dry-run kept from blocking. */
  wouldBlock: boolean;
  /** Names an approver may waive it by (finding code, advisory ids); empty when it can never be waived. */
  waivable: readonly string[];
}

/** A file's latest vetting report. */
export interface ChannelAdminReport {
  status: 'vetted' | 'rejected';
  dryRun: boolean;
  startedAt: string;
  steps: Array<{ name: string; status: string; error: string | null; findings: ChannelAdminFinding[] }>;
}

/** A file with the report an approver decides on. */
export interface ChannelFileReview {
  file: ChannelAdminFile;
  /** Null when the file was never vetted. */
  report: ChannelAdminReport | null;
}

export interface ChannelApproveRequest {
  /** Audited; also the reason of any waiver created. */
  reason: string | null;
  /** Advisory ids or finding codes to waive for this file before deciding (needs a reason). */
  waive: readonly string[];
  /** When the waivers end: 12h, 30d, 2w or an ISO date. */
  expires: string;
}

/** What approving did: `refused` when vetting still rejects the file. */
export type ChannelApproveResult =
  | { outcome: 'approved' | 'unchanged'; file: ChannelAdminFile }
  | { outcome: 'refused'; file: ChannelAdminFile; blocking: readonly string[] };

/** The channel as the hub's admin area sees it. `actor` is the hub user acting (audited). */
export interface ChannelAdminPort {
  summary(): Promise<ChannelAdminSummary>;
  /** One file and its vetting report; undefined when the channel has no such file. */
  file(filename: string): Promise<ChannelFileReview | undefined>;
  /** Vets the file again, applies the requested waivers, then lets it into the index if it passes. */
  approve(filename: string, request: ChannelApproveRequest, actor: Actor): Promise<ChannelApproveResult>;
  /** Takes the file out of the index for good; the reason is required. */
  reject(filename: string, reason: string, actor: Actor): Promise<ChannelAdminFile>;
}
