import {
  compareParsed,
  normalizeName,
  parseRequirement,
  parseSpecifierSet,
  parseWheelFilename,
  tagToString,
  tryParseVersion,
  type Requirement,
  type Version,
} from '../../pypkg/index.js';
import type { ChannelCatalog } from '../catalog/channel-catalog.js';
import type { FileRecord, ProjectRecord } from '../catalog/file-record.js';
import { isReleasable } from './releasable-file.js';
import type { ReleaseTarget } from './release-target.js';

/** A file a release may pin, with what resolving needs already parsed. */
export interface CandidateFile {
  file: FileRecord;
  /** PEP 503-normalised project name. */
  project: string;
  version: Version;
  /** Requires-Dist, parsed once per file. */
  requires: readonly Requirement[];
}

/** Why a file of a project does not count for a target (shown when a dependency cannot be met). */
export interface Exclusion {
  filename: string;
  reason: string;
}

/** Candidates of one target: per project, one file per version, most preferred first. */
export interface TargetCandidates {
  target: ReleaseTarget;
  candidates(project: string): readonly CandidateFile[];
  exclusions(project: string): readonly Exclusion[];
  /** The file of `filename`, when it is in the pool and usable for this target. */
  byFilename(filename: string): CandidateFile | undefined;
}

interface PoolEntry {
  file: FileRecord;
  project: ProjectRecord;
  version: Version | null;
  tags: string[];
  requires: readonly Requirement[] | string;
}

function parseRequires(file: FileRecord): readonly Requirement[] | string {
  try {
    return file.requiresDist.map((text) => parseRequirement(text));
  } catch (error) {
    return `unreadable Requires-Dist: ${(error as Error).message}`;
  }
}

function entryFor(file: FileRecord, project: ProjectRecord): PoolEntry {
  let tags: string[] = [];
  try {
    if (file.packagetype === 'bdist_wheel') tags = parseWheelFilename(file.filename).tags.map(tagToString);
  } catch {
    // A name the upload checks let through but pypkg cannot read: no tags, so never compatible.
  }
  return { file, project, version: tryParseVersion(file.version), tags, requires: parseRequires(file) };
}

/**
 * Every file of the channel, read once, from which each target's candidates are derived. Files
 * that are not releasable stay in the pool only to explain why they do not count.
 */
export class CandidatePool {
  private constructor(private readonly byProject: ReadonlyMap<string, PoolEntry[]>) {}

  /** Reads projects and files in two queries (a 250-package release must not do 250 round trips). */
  static async load(catalog: ChannelCatalog): Promise<CandidatePool> {
    return CandidatePool.fromRecords(await catalog.projects(), await catalog.allFiles());
  }

  /** A pool over rows already read (tests and tools that hold records in memory). */
  static fromRecords(projectRows: readonly ProjectRecord[], files: readonly FileRecord[]): CandidatePool {
    const projects = new Map(projectRows.map((project) => [project.id, project]));
    const byProject = new Map<string, PoolEntry[]>();
    for (const file of files) {
      const project = projects.get(file.projectId);
      if (!project) continue;
      const name = normalizeName(project.name);
      const list = byProject.get(name) ?? [];
      list.push(entryFor(file, project));
      byProject.set(name, list);
    }
    return new CandidatePool(byProject);
  }

  /** The candidates for one target, computed lazily per project and kept. */
  forTarget(target: ReleaseTarget): TargetCandidates {
    const cache = new Map<string, { candidates: CandidateFile[]; exclusions: Exclusion[] }>();
    const python = target.markers.python_full_version;
    const evaluate = (name: string) => {
      const hit = cache.get(name);
      if (hit) return hit;
      const best = new Map<string, { candidate: CandidateFile; rank: number }>();
      const exclusions: Exclusion[] = [];
      for (const entry of this.byProject.get(name) ?? []) {
        const { file } = entry;
        const reason = excludedBecause(entry, target, python);
        if (reason !== null) {
          exclusions.push({ filename: file.filename, reason });
          continue;
        }
        const rank = Math.min(...entry.tags.map((tag) => target.tagRank.get(tag) ?? Infinity));
        const key = (entry.version as Version).toString();
        const seen = best.get(key);
        // Several wheels of one version may fit (abi3 and cp312, say): pip takes the most specific tag.
        if (!seen || rank < seen.rank) {
          best.set(key, { rank, candidate: { file, project: name, version: entry.version as Version, requires: entry.requires as Requirement[] } });
        }
      }
      const candidates = [...best.values()].map((b) => b.candidate).sort(preferNewestFinal);
      const result = { candidates, exclusions };
      cache.set(name, result);
      return result;
    };
    const byFilename = new Map<string, { name: string }>();
    for (const [name, entries] of this.byProject) for (const entry of entries) byFilename.set(entry.file.filename, { name });
    return {
      target,
      candidates: (name) => evaluate(name).candidates,
      exclusions: (name) => evaluate(name).exclusions,
      byFilename(filename) {
        const owner = byFilename.get(filename);
        return owner ? evaluate(owner.name).candidates.find((c) => c.file.filename === filename) : undefined;
      },
    };
  }
}

function excludedBecause(entry: PoolEntry, target: ReleaseTarget, python: string): string | null {
  const { file, project } = entry;
  if (!isReleasable(file, project)) {
    if (file.packagetype !== 'bdist_wheel') return 'not a wheel (releases install --only-binary :all:)';
    if (project.status === 'quarantined') return 'its project is quarantined';
    return file.integrityFailedAt !== null ? 'failed its integrity check' : `not approved (state: ${file.state})`;
  }
  if (entry.version === null) return `unreadable version ${file.version}`;
  if (typeof entry.requires === 'string') return entry.requires;
  if (!entry.tags.some((tag) => target.tagRank.has(tag))) return `wheel tags do not fit ${target.name}`;
  if (file.requiresPython !== null) {
    try {
      if (!parseSpecifierSet(file.requiresPython).contains(python, { prereleases: true })) return `Requires-Python ${file.requiresPython} excludes Python ${python}`;
    } catch {
      return `unreadable Requires-Python ${file.requiresPython}`;
    }
  }
  return null;
}

/** Final releases newest first, then pre-releases newest first: pre-releases only as a last resort. */
function preferNewestFinal(a: CandidateFile, b: CandidateFile): number {
  if (a.version.isPrerelease !== b.version.isPrerelease) return a.version.isPrerelease ? 1 : -1;
  return compareParsed(b.version, a.version);
}
