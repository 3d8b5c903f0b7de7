import { createHash } from 'node:crypto';
import type { CycloneLicence } from './licence-of.js';
import type { ReleaseFileView } from './release-file-view.js';

/** The CycloneDX version we write. */
export const CYCLONEDX_SPEC = '1.6';

/** A file's component reference: derived from the file name only, so every build gives the same refs. */
export function componentRef(filename: string): string {
  return `pypi-file:${filename}`;
}

/** `pkg:pypi/<normalised name>@<version>` (the purl spec lower-cases pypi names and uses dashes). */
export function pypiPurl(project: string, version: string): string {
  return `pkg:pypi/${encodeURIComponent(project)}@${encodeURIComponent(version)}`;
}

/** A name-based UUID (version 5 layout) from text, so a release's serial number never changes. */
export function stableUuid(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface SbomInput {
  release: string;
  /** When the release was published: the BOM's timestamp. */
  timestamp: string;
  toolVersion: string;
  files: readonly ReleaseFileView[];
  /** filename -> licences from its METADATA. */
  licences: ReadonlyMap<string, readonly CycloneLicence[]>;
  /** Per target, the normalised names of the top-level requirements. */
  topLevel: ReadonlyMap<string, readonly string[]>;
}

/** A CycloneDX component per distinct file (wheels of one version differ per platform). */
export function sbomComponents(input: Pick<SbomInput, 'files' | 'licences'>): Record<string, unknown>[] {
  const byFile = new Map<string, { file: ReleaseFileView; targets: string[] }>();
  for (const file of input.files) {
    const entry = byFile.get(file.filename) ?? { file, targets: [] };
    entry.targets.push(file.target);
    byFile.set(file.filename, entry);
  }
  return [...byFile.values()]
    .sort((a, b) => (a.file.filename < b.file.filename ? -1 : 1))
    .map(({ file, targets }) => {
      const licences = input.licences.get(file.filename) ?? [];
      const hashes = [{ alg: 'SHA-256', content: file.sha256 }];
      return {
        type: 'library',
        'bom-ref': componentRef(file.filename),
        name: file.project,
        version: file.version,
        hashes,
        // licencesOf gives either one expression or named licences, the two shapes CycloneDX allows.
        ...(licences.length > 0 ? { licenses: licences } : {}),
        purl: pypiPurl(file.project, file.version),
        externalReferences: [{ type: 'distribution', url: file.url, hashes }],
        properties: [...new Set(targets)].sort().map((target) => ({ name: 'bulwark:target', value: target })),
      };
    });
}

/**
 * The release's CycloneDX SBOM (JSON): one component per pinned file with its sha256, licences
 * and purl, and the dependency graph of every target merged. Refs and the serial number are
 * derived from names and hashes, so publishing the same release twice gives identical bytes.
 *
 * @example
 * ```ts
 * JSON.parse(renderSbom(input)).specVersion; // '1.6'
 * ```
 */
export function renderSbom(input: SbomInput): string {
  const releaseRef = `release:${input.release}`;
  const refOf = new Map<string, string>();
  for (const file of input.files) refOf.set(`${file.target}|${file.project}`, componentRef(file.filename));
  const edges = new Map<string, Set<string>>([[releaseRef, new Set()]]);
  for (const [target, names] of input.topLevel) for (const name of names) {
    const ref = refOf.get(`${target}|${name}`);
    if (ref) edges.get(releaseRef)?.add(ref);
  }
  for (const file of input.files) {
    const ref = componentRef(file.filename);
    const set = edges.get(ref) ?? new Set<string>();
    for (const dependency of file.dependencies) {
      const target = refOf.get(`${file.target}|${dependency}`);
      if (target) set.add(target);
    }
    edges.set(ref, set);
  }
  const identity = input.files.map((f) => `${f.target} ${f.sha256}`).sort().join('\n');
  const bom = {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: CYCLONEDX_SPEC,
    serialNumber: `urn:uuid:${stableUuid(`${input.release}\n${identity}`)}`,
    version: 1,
    metadata: {
      timestamp: input.timestamp,
      tools: { components: [{ type: 'application', name: 'bulwark', version: input.toolVersion }] },
      component: { type: 'application', 'bom-ref': releaseRef, name: input.release, version: input.release },
    },
    components: sbomComponents(input),
    dependencies: [...edges]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([ref, dependsOn]) => ({ ref, dependsOn: [...dependsOn].sort() })),
  };
  return `${JSON.stringify(bom, null, 2)}\n`;
}
