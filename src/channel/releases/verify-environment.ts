import { compareVersions, tryParseVersion } from '../../pypkg/index.js';
import { BulwarkError } from '../../errors/index.js';
import { inspectPython, type PythonFacts } from './inspect-python.js';
import { installedDistributions, type ModifiedFile } from './installed-distributions.js';
import type { ReleasePin, ReleaseRecord } from './release-store.js';
import { releaseTarget } from './release-target.js';

/** Installers themselves: a fresh venv has them, so they count as extra only when asked (`strict`). */
const INSTALLER_TOOLING = new Set(['pip', 'setuptools', 'wheel']);

export interface EnvironmentReport {
  release: string;
  target: string;
  python: string;
  sitePackages: string[];
  clean: boolean;
  /** Installed but not in the release. */
  extra: { project: string; version: string }[];
  /** In the release but not installed. */
  missing: { project: string; version: string }[];
  /** Installed in another version than the release pins. */
  different: { project: string; pinned: string; installed: string }[];
  /** Installed files whose bytes differ from their RECORD, per distribution. */
  modified: { project: string; version: string; files: ModifiedFile[] }[];
  /** Installer tooling left out of `extra` (pip, setuptools, wheel). */
  ignored: string[];
  checkedFiles: number;
}

/** The release target the interpreter is, unless the caller named one. */
function chooseTarget(record: ReleaseRecord, facts: PythonFacts, requested: string | undefined): string {
  if (requested !== undefined) {
    if (!record.targets.includes(requested)) throw new BulwarkError('CHANNEL_RELEASE_INVALID', { detail: `release ${record.name} has no target ${requested} (it has ${record.targets.join(', ')})` });
    return requested;
  }
  const m = facts.markers;
  const matching = record.targets.filter((name) => {
    const t = releaseTarget(name).markers;
    return t.python_version === m.python_version && t.sys_platform === m.sys_platform && t.platform_machine === m.platform_machine;
  });
  if (matching.length === 1 && matching[0] !== undefined) return matching[0];
  throw new BulwarkError('CHANNEL_RELEASE_INVALID', {
    detail: `Python ${m.python_version} on ${m.sys_platform}/${m.platform_machine} matches ${matching.length === 0 ? 'none' : matching.join(' and ')} of the targets of ${record.name} (${record.targets.join(', ')}); name one with --target`,
  });
}

/**
 * Compares what an interpreter has installed with a release: distributions extra, missing or in
 * another version, and installed files whose hashes no longer match their RECORD.
 *
 * @example
 * ```ts
 * const report = await verifyEnvironment(record, pins, { python: '/venv/bin/python' });
 * report.clean;
 * ```
 */
export async function verifyEnvironment(record: ReleaseRecord, pins: readonly ReleasePin[], options: { python: string; target?: string; strict?: boolean }): Promise<EnvironmentReport> {
  const facts = await inspectPython(options.python);
  const target = chooseTarget(record, facts, options.target);
  const wanted = new Map(pins.filter((p) => p.target === target).map((p) => [p.project, p.version]));
  const installed = await installedDistributions(facts.sitePackages);
  const report: EnvironmentReport = {
    release: record.name,
    target,
    python: options.python,
    sitePackages: facts.sitePackages,
    clean: true,
    extra: [],
    missing: [],
    different: [],
    modified: [],
    ignored: [],
    checkedFiles: 0,
  };
  const seen = new Set<string>();
  for (const dist of installed) {
    seen.add(dist.project);
    report.checkedFiles += dist.checked;
    if (dist.modified.length > 0) report.modified.push({ project: dist.project, version: dist.version, files: dist.modified });
    const pinned = wanted.get(dist.project);
    if (pinned === undefined) {
      if (options.strict !== true && INSTALLER_TOOLING.has(dist.project)) report.ignored.push(dist.project);
      else report.extra.push({ project: dist.project, version: dist.version });
    } else if (tryParseVersion(dist.version) === null ? dist.version !== pinned : compareVersions(dist.version, pinned) !== 0) {
      report.different.push({ project: dist.project, pinned, installed: dist.version });
    }
  }
  for (const [project, version] of [...wanted].sort()) if (!seen.has(project)) report.missing.push({ project, version });
  // Tooling that is ignored is still checked for modified files: a tampered pip is worth knowing about.
  report.clean = report.extra.length + report.missing.length + report.different.length + report.modified.length === 0;
  return report;
}
