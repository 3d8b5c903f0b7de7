import { normalizeName } from '../../pypkg/index.js';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { ChannelCatalog } from '../catalog/channel-catalog.js';
import type { FileRecord } from '../catalog/file-record.js';
import type { ClosureProof } from './closure-proof.js';
import { licencesOf, type CycloneLicence } from './licence-of.js';
import { pylockPath, renderPylock } from './pylock-document.js';
import type { ReleaseFileView } from './release-file-view.js';
import type { ReleaseDocument, ReleasePin, ReleaseRecord } from './release-store.js';
import { releaseTarget, targetInterpreter } from './release-target.js';
import { renderRequirementsDocument, toolkitName } from './requirements-document.js';
import { renderSbom } from './sbom-document.js';
import { parseTopLevel } from './top-level-requirements.js';

/** Where a release's documents point: the channel's public URL and the release's place under it. */
export interface ReleaseUrls {
  /** `<public channel URL>releases/<name>/`. */
  base: string;
  /** `<base>simple/`: the only index a release's requirements file names. */
  index: string;
}

/** Builds the URLs from the channel's public root URL (ending in `/`). */
export function releaseUrls(channelUrl: string, release: string): ReleaseUrls {
  const root = channelUrl.endsWith('/') ? channelUrl : `${channelUrl}/`;
  const base = `${root}releases/${encodeURIComponent(release)}/`;
  return { base, index: `${base}simple/` };
}

/** `requirements-<target>.txt`. */
export function requirementsPath(target: string): string {
  return `requirements-${target}.txt`;
}

export const SBOM_PATH = 'sbom.cdx.json';

/** Each pin joined with its catalog file and, from the proof, the pins it depends on. */
export function fileViews(pins: readonly ReleasePin[], files: ReadonlyMap<string, FileRecord>, proof: ClosureProof, urls: ReleaseUrls): ReleaseFileView[] {
  const dependencies = new Map<string, Set<string>>();
  for (const target of proof.targets) {
    for (const step of target.steps) {
      if (step.by === null) continue;
      const from = `${target.target}|${step.by.split(' ')[0] ?? ''}`;
      const set = dependencies.get(from) ?? new Set<string>();
      set.add(step.pin.split(' ')[0] ?? '');
      dependencies.set(from, set);
    }
  }
  return pins.map((pin) => {
    const file = files.get(pin.filename);
    if (!file) throw new Error(`${pin.filename} of release ${proof.release} is not in the catalog`);
    return {
      target: pin.target,
      project: pin.project,
      version: pin.version,
      filename: pin.filename,
      sha256: pin.sha256,
      size: file.size,
      uploadedAt: file.uploadedAt,
      requiresPython: file.requiresPython,
      dependencies: [...(dependencies.get(`${pin.target}|${pin.project}`) ?? [])].sort(),
      url: `${urls.base}files/${encodeURIComponent(pin.project)}/${encodeURIComponent(pin.filename)}`,
    };
  });
}

async function readLicences(store: ArtifactStore, files: Iterable<FileRecord>): Promise<Map<string, CycloneLicence[]>> {
  const licences = new Map<string, CycloneLicence[]>();
  for (const file of files) {
    if (file.metadataSha256 === null) continue;
    licences.set(file.filename, licencesOf((await store.readAll(file.metadataSha256)).toString('utf8')));
  }
  return licences;
}

/**
 * Renders what publishing freezes: per target a toolkit-format requirements file and a PEP 751
 * lock file, and one CycloneDX SBOM for the whole release. The caller has proved the release closed.
 *
 * @example
 * ```ts
 * const docs = await renderReleaseDocuments({ catalog, store }, { record, pins, proof, urls, publishedAt, toolVersion: '0.1.0' });
 * ```
 */
export async function renderReleaseDocuments(
  deps: { catalog: ChannelCatalog; store: ArtifactStore },
  input: { record: ReleaseRecord; pins: readonly ReleasePin[]; proof: ClosureProof; urls: ReleaseUrls; publishedAt: string; toolVersion: string; title?: string },
): Promise<ReleaseDocument[]> {
  const { record, pins, proof, urls } = input;
  const wanted = new Set(pins.map((pin) => pin.filename));
  const files = new Map((await deps.catalog.allFiles()).filter((f) => wanted.has(f.filename)).map((f) => [f.filename, f]));
  const views = fileViews(pins, files, proof, urls);
  const documents: ReleaseDocument[] = [];
  for (const target of record.targets) {
    const mine = views.filter((v) => v.target === target);
    documents.push({
      path: requirementsPath(target),
      contentType: 'text/plain; charset=utf-8',
      body: renderRequirementsDocument({
        title: input.title ?? `Bulwark channel release ${record.name}`,
        description: ['This is the complete list of packages that make up this release.', `Target: ${target} (${targetInterpreter(target)}).`],
        indexUrl: urls.index,
        environment: target,
        pins: mine.map((view) => ({ name: toolkitName(view.filename), version: view.version, sha256: view.sha256 })),
      }),
    });
    documents.push({
      path: pylockPath(target),
      contentType: 'application/toml; charset=utf-8',
      body: renderPylock({ release: record.name, environment: releaseTarget(target).environment, indexUrl: urls.index, files: mine }),
    });
  }
  const topLevel = new Map(record.targets.map((t) => [t, parseTopLevel(record.requirements).map((r) => normalizeName(r.name))]));
  documents.push({
    path: SBOM_PATH,
    contentType: 'application/vnd.cyclonedx+json; charset=utf-8',
    body: renderSbom({ release: record.name, timestamp: input.publishedAt, toolVersion: input.toolVersion, files: views, licences: await readLicences(deps.store, files.values()), topLevel }),
  });
  return documents;
}
