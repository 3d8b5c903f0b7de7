import type { ChannelCatalog } from '../catalog/channel-catalog.js';
import { CandidatePool } from './candidate-pool.js';
import { proveClosure, type ClosureProof, type ProvableRelease } from './closure-proof.js';
import type { ReleasePin, ReleaseRecord, ReleaseStore } from './release-store.js';
import { parseTopLevel } from './top-level-requirements.js';

/** Shapes a stored release for the proof: target -> project -> filename. */
export function provable(record: ReleaseRecord, pins: readonly ReleasePin[]): ProvableRelease {
  const byTarget = new Map<string, Map<string, string>>();
  for (const target of record.targets) byTarget.set(target, new Map());
  for (const pin of pins) byTarget.get(pin.target)?.set(pin.project, pin.filename);
  return { name: record.name, targets: record.targets, topLevel: parseTopLevel(record.requirements), pins: byTarget };
}

/**
 * Proves a stored release against the channel as it is now: a file rejected or damaged since the
 * release was made shows up as a hole too.
 *
 * @example
 * ```ts
 * const { proof } = await checkRelease({ catalog, releases }, '1.0.post0');
 * ```
 */
export async function checkRelease(
  deps: { catalog: ChannelCatalog; releases: ReleaseStore },
  name: string,
  pool?: CandidatePool,
): Promise<{ record: ReleaseRecord; pins: ReleasePin[]; proof: ClosureProof }> {
  const record = await deps.releases.require(name);
  const pins = await deps.releases.pins(name);
  const proof = proveClosure(provable(record, pins), pool ?? (await CandidatePool.load(deps.catalog)));
  return { record, pins, proof };
}
