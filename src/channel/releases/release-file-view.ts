/** One pinned file as the published documents describe it. */
export interface ReleaseFileView {
  target: string;
  project: string;
  version: string;
  filename: string;
  sha256: string;
  size: number;
  uploadedAt: string;
  requiresPython: string | null;
  /** Normalised names of the pins this file's applicable requirements are met by, on this target. */
  dependencies: string[];
  /** Absolute download URL inside the release-scoped index. */
  url: string;
}
