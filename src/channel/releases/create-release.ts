import { BulwarkError } from '../../errors/index.js';
import type { ChannelCatalog } from '../catalog/channel-catalog.js';
import { CandidatePool } from './candidate-pool.js';
import type { ReleasePin, ReleaseRecord, ReleaseStore } from './release-store.js';
import { releaseTarget } from './release-target.js';
import { resolveTarget, type ResolutionHole } from './resolve-target.js';
import { parseTopLevel } from './top-level-requirements.js';

export interface CreateReleaseInput {
  name: string;
  /** The text of top.txt. */
  requirements: string;
  targets: readonly string[];
  /** A release whose pins are preferred. */
  from?: string | undefined;
  actor: string | null;
  now: string;
}

/** What `release create` made: the stored draft, its pins and any holes found while resolving. */
export interface CreatedRelease {
  record: ReleaseRecord;
  pins: ReleasePin[];
  holes: { target: string; hole: ResolutionHole }[];
  /** Decisions the resolver tried, over all targets. */
  attempts: number;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;

/**
 * Resolves the top-level requirements for every target against the approved files and stores
 * the draft. A version clash on any target fails with the explanation (nothing is stored); a
 * project with no usable file is a hole, kept in the draft so `release check` shows it and
 * `release publish` refuses it.
 *
 * @example
 * ```ts
 * await createRelease({ catalog, releases }, { name: '1.0.post0', requirements: 'app\n', targets: ['cp312-manylinux_x86_64'], actor: null, now });
 * ```
 */
export async function createRelease(deps: { catalog: ChannelCatalog; releases: ReleaseStore }, input: CreateReleaseInput): Promise<CreatedRelease> {
  if (!NAME.test(input.name)) throw new BulwarkError('CHANNEL_RELEASE_INVALID', { detail: `name "${input.name}" must be letters, digits and . _ + - (up to 128)` });
  if (input.targets.length === 0) throw new BulwarkError('CHANNEL_RELEASE_INVALID', { detail: 'name at least one --target' });
  const targets = [...new Set(input.targets)];
  const resolved = targets.map(releaseTarget);
  const topLevel = parseTopLevel(input.requirements);
  if (await deps.releases.get(input.name)) throw new BulwarkError('CHANNEL_RELEASE_EXISTS', { name: input.name });
  const previous = input.from === undefined ? [] : await deps.releases.pins((await deps.releases.require(input.from)).name);

  const pool = await CandidatePool.load(deps.catalog);
  const pins: ReleasePin[] = [];
  const holes: CreatedRelease['holes'] = [];
  let attempts = 0;
  for (const target of resolved) {
    // Prefer the previous release's pin for the same target, else its pin on any target.
    const preferred = new Map<string, string>();
    for (const pin of previous) if (pin.target !== target.name && !preferred.has(pin.project)) preferred.set(pin.project, pin.version);
    for (const pin of previous) if (pin.target === target.name) preferred.set(pin.project, pin.version);
    const outcome = resolveTarget(topLevel, pool.forTarget(target), { preferred });
    attempts += outcome.attempts;
    if (!outcome.ok) throw new BulwarkError('CHANNEL_RELEASE_CONFLICT', { target: target.name, detail: outcome.conflict.message });
    for (const [project, candidate] of outcome.pins) {
      pins.push({ target: target.name, project, filename: candidate.file.filename, version: candidate.version.toString(), sha256: candidate.file.sha256 });
    }
    for (const hole of outcome.holes) holes.push({ target: target.name, hole });
  }
  const record: ReleaseRecord = {
    name: input.name,
    state: 'draft',
    targets,
    requirements: input.requirements,
    fromRelease: input.from ?? null,
    createdAt: input.now,
    createdBy: input.actor,
    publishedAt: null,
    publishedBy: null,
  };
  await deps.releases.create(record, pins);
  return { record, pins, holes, attempts };
}
