import { resolve } from 'node:path';
import type { Kysely } from 'kysely';
import type { BulwarkConfig } from '../config/index.js';
import type { Clock } from '../identity/index.js';
import type { AuditLog, Logger } from '../log/index.js';
import type { Tables } from '../storage/index.js';
import { createSqlAdvisoryStore } from './advisories/sql-advisory-store.js';
import type { AdvisoryStore } from './advisories/advisory-store.js';
import type { ArtifactStore } from './artifacts/artifact-store.js';
import { FsArtifactStore } from './artifacts/fs-artifact-store.js';
import { ChannelCatalog } from './catalog/channel-catalog.js';
import { FileTransitions } from './review/file-transitions.js';
import { FileVetter } from './review/file-vetter.js';
import type { ReviewDeps } from './review/review-deps.js';
import { createReleaseContext, type ReleaseContext } from './releases/release-context.js';
import { Publisher } from './upload/publisher.js';
import { createSqlReportStore, type VettingReportStore } from './vetting/report-store.js';
import { vettingPolicyFromConfig, type VettingPolicy } from './vetting/vetting-policy.js';
import { createSqlWaiverStore, type WaiverStore } from './vetting/waivers/waiver-store.js';

/** The channel's storage-side services, shared by the server and the CLI commands. */
export interface ChannelContext extends ReviewDeps {
  store: ArtifactStore;
  publisher: Publisher;
  reports: VettingReportStore;
  waivers: WaiverStore;
  advisories: AdvisoryStore;
  policy: VettingPolicy;
  /** Releases and the advisory lookup their reports use. */
  releases: ReleaseContext;
}

/**
 * Wires catalog, blob store, vetting and publisher from config; `store` replaces the
 * filesystem one. Every published file is vetted right after it is stored.
 */
export function createChannelContext(deps: { config: Readonly<BulwarkConfig['channel']>; db: Kysely<Tables>; audit: AuditLog; clock: Clock; store?: ArtifactStore; logger?: Logger }): ChannelContext {
  const catalog = new ChannelCatalog(deps.db);
  const store = deps.store ?? new FsArtifactStore(resolve(deps.config.data_dir));
  const reports = createSqlReportStore(deps.db);
  const waivers = createSqlWaiverStore(deps.db);
  const advisories = createSqlAdvisoryStore(deps.db);
  const policy = vettingPolicyFromConfig(deps.config.policy);
  const transitions = new FileTransitions({ catalog, audit: deps.audit, clock: deps.clock });
  const vetter = new FileVetter({
    catalog, store, reports, waivers, advisories, transitions, policy,
    requireVetting: deps.config.policy.require_vetting,
    clock: deps.clock,
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
  const publisher = new Publisher({
    catalog,
    store,
    audit: deps.audit,
    clock: deps.clock,
    policy: { allowSdist: deps.config.policy.allow_sdist },
    review: async (file, actor) => (await vetter.vet(file, actor)).file,
  });
  return { catalog, store, publisher, reports, waivers, advisories, policy, transitions, vetter, audit: deps.audit, clock: deps.clock, releases: createReleaseContext(deps.db) };
}
