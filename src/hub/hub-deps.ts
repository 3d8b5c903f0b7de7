import type { X509Certificate } from 'node:crypto';
import type { BulwarkConfig } from '../config/index.js';
import type { Clock, GroupStore, RoleBook, SessionStore, TokenStore, UserStore } from '../identity/index.js';
import type { AuditLog, Logger } from '../log/index.js';
import type { RouteTable } from '../proxy/index.js';
import type { Database } from '../storage/index.js';
import type { ShareStore } from './api/share-store.js';
import type { XsrfGuard } from './auth/xsrf.js';
import type { ChannelAdminPort } from './channel-admin-port.js';
import type { OAuthStore } from './oauth/oauth-store.js';
import type { HubPaths } from './paths.js';
import type { PackageChannelLink } from './servers/package-channel-link.js';
import type { ServerManager } from './servers/server-manager.js';
import type { ServiceRegistry } from './services/service-registry.js';

/** Everything the hub app is built from; the composition root (src/server) supplies it. */
export interface HubDeps {
  config: Readonly<BulwarkConfig>;
  logger: Logger;
  clock: Clock;
  database: Database;
  audit: AuditLog;
  users: UserStore;
  groups: GroupStore;
  /** Built-in and configured roles, and who holds them. */
  roles: RoleBook;
  tokens: TokenStore;
  sessions: SessionStore;
  oauth: OAuthStore;
  servers: ServerManager;
  xsrf: XsrfGuard;
  paths: HubPaths;
  /** The embedded proxy's route table (GET/POST/PATCH /hub/api/proxy). */
  routes: RouteTable;
  /** POST /hub/api/shutdown: the composition root stops the hub after the reply is sent. */
  requestShutdown(options: { servers: boolean }): void;
  /** Where processes the hub starts reach its API; empty until the listener is bound. */
  apiUrl?: () => string;
  /** services[] of the config: tokens, routes, OAuth clients, managed processes' pids. */
  serviceRegistry: ServiceRegistry;
  /** JupyterHub 5 shares (migration 009); the composition root supplies the database-backed store. */
  shares?: ShareStore;
  /** Whether the public listener uses TLS (Secure cookies, HSTS). */
  tls: boolean;
  /** The certificate the public listener serves now (after reloads), for the expiry metric; absent or null without TLS. */
  tlsCertificate?: () => X509Certificate | null;
  /** The package channel's review, when the hub runs with it (`bulwark up`); absent for `bulwark hub`. */
  channelAdmin?: ChannelAdminPort;
  /** The channel servers' pip is bound to (spawner.package_channel); absent when none is. */
  packageChannel?: PackageChannelLink;
}

/** The JupyterHub version Bulwark speaks to single-user servers (Debian ships 3.0.0). */
export const JUPYTERHUB_COMPAT_VERSION = '3.0.0';
