import { sortVersions } from '../../pypkg/index.js';
import type { FileRecord, ProjectRecord } from '../catalog/file-record.js';
import { isServable } from '../catalog/file-record.js';

/** The highest Simple API version whose features we implement: 1.4 (PEP 792 project status). */
export const API_VERSION = '1.4';

/** One file link of a project page, in the terms both serializations share. */
export interface FileLink {
  filename: string;
  /** Relative to the project page, so it works under any base path and host. */
  url: string;
  sha256: string;
  size: number;
  requiresPython: string | null;
  metadataSha256: string | null;
  /** false, or the reason (possibly empty) the file was yanked. */
  yanked: false | string;
  uploadTime: string;
}

/** A project page: status, versions and the files pip may see. */
export interface ProjectView {
  name: string;
  status: ProjectRecord['status'];
  statusReason: string | null;
  versions: string[];
  files: FileLink[];
}

/** PEP 700 wants microseconds (`...ss.ffffffZ`); JavaScript dates carry milliseconds. */
export function uploadTime(iso: string): string {
  return iso.replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** The view of a project; quarantined projects and unapproved or damaged files offer no files. */
export function projectView(project: ProjectRecord, files: readonly FileRecord[]): ProjectView {
  const servable = files.filter((file) => isServable(file, project));
  const encoded = encodeURIComponent(project.name);
  return {
    name: project.name,
    status: project.status,
    statusReason: project.statusReason,
    versions: sortVersions([...new Set(servable.map((file) => file.version))]),
    files: servable.map((file) => ({
      filename: file.filename,
      url: `../../files/${encoded}/${encodeURIComponent(file.filename)}`,
      sha256: file.sha256,
      size: file.size,
      requiresPython: file.requiresPython,
      metadataSha256: file.metadataSha256,
      yanked: file.yanked ? (file.yankedReason ?? '') : false,
      uploadTime: uploadTime(file.uploadedAt),
    })),
  };
}
