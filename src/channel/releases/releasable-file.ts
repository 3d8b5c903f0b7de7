import { isInstallable, type FileRecord, type ProjectRecord } from '../catalog/file-record.js';

/**
 * The one rule for what a release may contain: installable (approved by vetting or a person, not
 * damaged), of a project that is not quarantined, and a wheel (releases are `--only-binary :all:`).
 *
 * @example
 * ```ts
 * const usable = files.filter((file) => isReleasable(file, project));
 * ```
 */
export function isReleasable(file: FileRecord, project: ProjectRecord): boolean {
  return isInstallable(file) && project.status !== 'quarantined' && file.packagetype === 'bdist_wheel';
}
