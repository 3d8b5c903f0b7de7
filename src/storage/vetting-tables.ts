import type { Generated } from 'kysely';

/** One OSV record of the offline advisory database (migration 004). */
export interface VettingAdvisoriesTable {
  /** The record's own id (PYSEC-..., GHSA-..., MAL-...); a newer copy replaces the row. */
  id: string;
  /** JSON list of alias ids; matches that alias each other are merged at match time. */
  aliases: string;
  /** JSON list of the PEP 503-normalised PyPI names it affects. */
  packages: string;
  modified: string | null;
  published: string | null;
  /** Withdrawn records stay stored (for history) but never match. */
  withdrawn: string | null;
  summary: string;
  malicious: number;
  severity_score: number | null;
  severity_vector: string | null;
  severity_source: 'cvss_v3' | 'label' | 'none';
  /** JSON of the trimmed OSV record (PyPI affected entries only) that matching evaluates. */
  record: string;
  source: string;
  imported_at: string;
}

/** Which advisory affects which package: the index every lookup by name goes through. */
export interface VettingAdvisoryPackagesTable {
  advisory_id: string;
  name: string;
}

/** One run of `bulwark channel advisories import`. */
export interface VettingAdvisoryImportsTable {
  id: Generated<number>;
  source: string;
  format: string;
  imported_at: string;
  records_read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: number;
  duration_ms: number;
}

/** A stored vetting report; the newest row per file is the current one. */
export interface VettingReportsTable {
  id: Generated<number>;
  filename: string;
  sha256: string;
  status: 'vetted' | 'rejected';
  /** JSON of the whole VettingReport. */
  report: string;
  created_at: string;
}

/** A waiver: one finding subject (advisory id or finding code) accepted for one file until it expires. */
export interface VettingWaiversTable {
  id: Generated<number>;
  subject: string;
  filename: string;
  reason: string;
  created_by: string | null;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  revoked_by: string | null;
}

/** Tables of the vetting pipeline and the advisory database. */
export interface VettingTables {
  vetting_advisories: VettingAdvisoriesTable;
  vetting_advisory_packages: VettingAdvisoryPackagesTable;
  vetting_advisory_imports: VettingAdvisoryImportsTable;
  vetting_reports: VettingReportsTable;
  vetting_waivers: VettingWaiversTable;
}
