import type { BulwarkConfig } from '../config/index.js';
import type { Clock, TokenStore } from '../identity/index.js';
import type { AuditLog, Logger } from '../log/index.js';
import type { ArtifactStore } from './artifacts/artifact-store.js';
import type { ChannelCatalog } from './catalog/channel-catalog.js';
import type { ChannelPaths } from './channel-paths.js';
import type { ReleaseContext } from './releases/release-context.js';
import type { Publisher } from './upload/publisher.js';
import type { VettingReportStore } from './vetting/report-store.js';

/** Everything the channel app is built from; the composition root (src/server) supplies it. */
export interface ChannelDeps {
  config: Readonly<BulwarkConfig['channel']>;
  logger: Logger;
  clock: Clock;
  audit: AuditLog;
  tokens: TokenStore;
  catalog: ChannelCatalog;
  store: ArtifactStore;
  publisher: Publisher;
  /** Vetting reports, shown on project pages. */
  reports: VettingReportStore;
  /** Releases (`/releases/...`) and the advisories their reports read. */
  releases: ReleaseContext;
  paths: ChannelPaths;
  /** Whether clients reach the channel over TLS (HSTS). */
  tls: boolean;
}
