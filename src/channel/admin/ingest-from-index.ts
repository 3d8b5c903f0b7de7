import { createHash } from 'node:crypto';
import { BulwarkError, isBulwarkError } from '../../errors/index.js';
import type { Actor } from '../../log/index.js';
import { parseRequirementsFile, pinnedRequirements, tryParseVersion } from '../../pypkg/index.js';
import type { ChannelContext } from '../channel-context.js';
import { parseDistributionFilename } from '../upload/distribution-filename.js';
import type { IngestResult } from './ingest.js';
import { fetchUpstreamProject, type FetchLike, type UpstreamFile } from './upstream-project-page.js';

/** One file the requirements name and the upstream index offers. */
interface WantedFile {
  project: string;
  upstream: UpstreamFile;
  sha256: string;
}

/**
 * The hash-pinned requirements of a file; any requirement that is not `name==version` with at
 * least one sha256 `--hash` is refused before anything is fetched.
 */
function pinsOf(text: string): Array<{ name: string; version: string; sha256: Set<string> }> {
  const file = parseRequirementsFile(text);
  const requirements = file.lines.filter((line) => line.kind === 'requirement');
  const pins = pinnedRequirements(file);
  if (pins.length !== requirements.length) {
    throw new BulwarkError('CHANNEL_INGEST_REQUIREMENTS_INVALID', { reason: 'every requirement must be pinned with == (no URLs, paths or ranges)' });
  }
  return pins.map((pin) => {
    const sha256 = new Set(pin.hashes.filter((h) => h.algorithm === 'sha256').map((h) => h.digest.toLowerCase()));
    if (sha256.size === 0) throw new BulwarkError('CHANNEL_INGEST_REQUIREMENTS_INVALID', { reason: `${pin.name}==${pin.version} has no --hash=sha256:\u2026` });
    return { name: pin.normalizedName, version: pin.version, sha256 };
  });
}

function sameVersion(filename: string, version: string): boolean {
  try {
    const dist = parseDistributionFilename(filename, true);
    const wanted = tryParseVersion(version);
    return wanted !== null && dist.version.compare(wanted) === 0;
  } catch {
    return false;
  }
}

async function download(context: ChannelContext, fetchFn: FetchLike, wanted: WantedFile, actor: Actor) {
  const response = await fetchFn(wanted.upstream.url);
  if (!response.ok || response.body === null) throw new BulwarkError('CHANNEL_INGEST_UPSTREAM_FAILED', { url: wanted.upstream.url, reason: `HTTP ${response.status}` });
  const staged = await context.store.stage();
  const hash = createHash('sha256');
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      await staged.write(chunk);
    }
  } catch (error) {
    await staged.discard();
    throw new BulwarkError('CHANNEL_INGEST_UPSTREAM_FAILED', { url: wanted.upstream.url, reason: (error as Error).message });
  }
  const actual = hash.digest('hex');
  if (actual !== wanted.sha256) {
    await staged.discard();
    throw new BulwarkError('CHANNEL_UPLOAD_DIGEST_MISMATCH', { digest: 'sha256 (--hash)', filename: wanted.upstream.filename, declared: wanted.sha256, actual });
  }
  // The publisher checks the same digest again on the staged bytes, then vets the file.
  return context.publisher.publish(staged, wanted.upstream.filename, { name: wanted.project, sha256: wanted.sha256 }, actor, { requireDigest: true });
}

/**
 * `channel ingest --from-index URL --requirements FILE`: mirrors into quarantine exactly the
 * files whose sha256 the requirements list, from another Simple API index. Project pages of
 * the named projects are read; no other file is fetched. Never stops half-way.
 */
export async function ingestFromIndex(
  context: ChannelContext,
  options: { indexUrl: string; requirements: string; fetch?: FetchLike },
  actor: Actor,
  onProgress?: (done: number, total: number, name: string) => void,
): Promise<IngestResult[]> {
  const fetchFn = options.fetch ?? ((url, init) => fetch(url, init));
  const pins = pinsOf(options.requirements);
  const results: IngestResult[] = [];
  const wanted: WantedFile[] = [];
  for (const pin of pins) {
    const offered = await fetchUpstreamProject(fetchFn, options.indexUrl, pin.name);
    const picked = offered.filter((f) => f.sha256 !== null && pin.sha256.has(f.sha256) && sameVersion(f.filename, pin.version));
    if (picked.length === 0) {
      results.push({ path: `${pin.name}==${pin.version}`, outcome: 'failed', error: new BulwarkError('CHANNEL_INGEST_UPSTREAM_FAILED', { url: options.indexUrl, reason: `no file of ${pin.name}==${pin.version} with a listed hash` }) });
    }
    for (const upstream of picked) wanted.push({ project: pin.name, upstream, sha256: upstream.sha256 ?? '' });
  }
  for (const [index, item] of wanted.entries()) {
    const existing = await context.catalog.file(item.upstream.filename);
    try {
      if (existing?.sha256 === item.sha256) results.push({ path: item.upstream.url, outcome: 'skipped', reason: 'already in the channel with the same sha256' });
      else results.push({ path: item.upstream.url, outcome: 'published', file: await download(context, fetchFn, item, actor) });
    } catch (error) {
      const mapped = isBulwarkError(error) ? error : new BulwarkError('CHANNEL_INGEST_UPSTREAM_FAILED', { url: item.upstream.url, reason: (error as Error).message });
      results.push({ path: item.upstream.url, outcome: 'failed', error: mapped });
    }
    onProgress?.(index + 1, wanted.length, item.upstream.filename);
  }
  return results;
}
