import type { ChannelCatalog } from '../catalog/channel-catalog.js';
import { CandidatePool } from './candidate-pool.js';
import type { ReleaseContext } from './release-context.js';
import { releaseCurrency, type CurrencyReport } from './release-currency.js';
import { diffReleases, type ReleaseDiff } from './release-diff.js';
import { releaseVulnerabilities, type ReleaseVulnerability } from './vulnerability-report.js';

type Deps = { catalog: ChannelCatalog; releases: ReleaseContext };

/**
 * The advisories affecting a release today.
 *
 * @example
 * ```ts
 * await vulnerabilitiesOf({ catalog, releases }, '1.0.post0');
 * ```
 */
export async function vulnerabilitiesOf(deps: Deps, name: string): Promise<ReleaseVulnerability[]> {
  await deps.releases.releases.require(name);
  return releaseVulnerabilities(deps.releases.advisories, await deps.releases.releases.pins(name));
}

/**
 * Newer approved versions and today's advisories for a release.
 *
 * @example
 * ```ts
 * (await currencyOf({ catalog, releases }, '1.0.post0', new Date().toISOString())).newer;
 * ```
 */
export async function currencyOf(deps: Deps, name: string, now: string): Promise<CurrencyReport> {
  await deps.releases.releases.require(name);
  const pins = await deps.releases.releases.pins(name);
  const vulnerabilities = await releaseVulnerabilities(deps.releases.advisories, pins);
  return releaseCurrency(name, pins, await CandidatePool.load(deps.catalog), vulnerabilities, now);
}

/**
 * What changed from release `a` to release `b`.
 *
 * @example
 * ```ts
 * (await diffOf({ catalog, releases }, '1.0.post0', '1.0.post1')).changes;
 * ```
 */
export async function diffOf(deps: Deps, a: string, b: string): Promise<ReleaseDiff> {
  const load = async (name: string) => {
    await deps.releases.releases.require(name);
    const pins = await deps.releases.releases.pins(name);
    return { name, pins, vulnerabilities: await releaseVulnerabilities(deps.releases.advisories, pins) };
  };
  return diffReleases(await load(a), await load(b));
}
