/** A named set of approved files per target (migration 006); immutable once `published`. */
export interface ChannelReleasesTable {
  name: string;
  state: 'draft' | 'published';
  /** JSON list of target names, e.g. ["cp312-manylinux_x86_64"]. */
  targets: string;
  /** The top-level requirements the release was resolved from, as given. */
  requirements: string;
  /** The release whose pins were preferred (`--from`), if any. */
  from_release: string | null;
  created_at: string;
  created_by: string | null;
  published_at: string | null;
  published_by: string | null;
}

/** One file chosen for one target of a release. */
export interface ChannelReleasePinsTable {
  release: string;
  target: string;
  /** PEP 503-normalised project name. */
  project: string;
  filename: string;
  version: string;
  sha256: string;
}

/** A document frozen at publish time (requirements files, pylock files, the SBOM). */
export interface ChannelReleaseDocumentsTable {
  release: string;
  /** File name under /releases/<name>/, e.g. requirements-cp312-manylinux_x86_64.txt. */
  path: string;
  content_type: string;
  body: string;
}

/** The release tables, merged into `Tables`. */
export interface ReleaseTables {
  channel_releases: ChannelReleasesTable;
  channel_release_pins: ChannelReleasePinsTable;
  channel_release_documents: ChannelReleaseDocumentsTable;
}
