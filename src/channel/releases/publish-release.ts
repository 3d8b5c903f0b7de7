import { BulwarkError } from '../../errors/index.js';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { ChannelCatalog } from '../catalog/channel-catalog.js';
import { checkRelease } from './check-release.js';
import type { ClosureHole, ClosureProof } from './closure-proof.js';
import { releaseUrls, renderReleaseDocuments } from './release-documents.js';
import type { ReleaseStore } from './release-store.js';

/** One line per hole: target, what is missing, for whom, why. */
export function describeHole(hole: ClosureHole): string {
  return `${hole.target}: ${hole.requirement} (needed by ${hole.by ?? 'the top-level requirements'}): ${hole.reason}`;
}

/**
 * Freezes a draft: proves it closed against the channel as it is now, renders its documents with
 * URLs under `channelUrl`, and stores them with the published state in one step. An unclosed
 * release is refused with its holes named; a published one can never be published again.
 *
 * @example
 * ```ts
 * await publishRelease({ catalog, store, releases }, '1.0.post0', { channelUrl: 'https://pkgs.example/', actor: 'admin', now, toolVersion: '0.1.0' });
 * ```
 */
export async function publishRelease(
  deps: { catalog: ChannelCatalog; store: ArtifactStore; releases: ReleaseStore },
  name: string,
  options: { channelUrl: string; actor: string | null; now: string; toolVersion: string },
): Promise<{ proof: ClosureProof; documents: string[] }> {
  const { record, pins, proof } = await checkRelease(deps, name);
  if (record.state === 'published') throw new BulwarkError('CHANNEL_RELEASE_PUBLISHED', { name });
  if (!proof.closed) {
    const holes = proof.targets.flatMap((t) => t.holes);
    const shown = holes.slice(0, 10).map(describeHole).join('; ');
    throw new BulwarkError('CHANNEL_RELEASE_NOT_CLOSED', { name, detail: `${holes.length} hole(s): ${shown}${holes.length > 10 ? '; \u2026' : ''}` });
  }
  const documents = await renderReleaseDocuments(deps, { record, pins, proof, urls: releaseUrls(options.channelUrl, name), publishedAt: options.now, toolVersion: options.toolVersion });
  await deps.releases.publish(name, documents, options.now, options.actor);
  return { proof, documents: documents.map((d) => d.path) };
}
