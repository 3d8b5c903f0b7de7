import type { BulwarkConfig } from '../config/index.js';
import type { Clock, SessionStore, TokenStore, UserStore } from '../identity/index.js';
import type { AuditLog, Logger } from '../log/index.js';
import type { Database } from '../storage/index.js';
import type { XsrfGuard } from './auth/xsrf.js';
import type { OAuthStore } from './oauth/oauth-store.js';
import type { HubPaths } from './paths.js';
import type { ServerManager } from './servers/server-manager.js';

/** Everything the hub app is built from; the composition root (src/server) supplies it. */
export interface HubDeps {
  config: Readonly<BulwarkConfig>;
  logger: Logger;
  clock: Clock;
  database: Database;
  audit: AuditLog;
  users: UserStore;
  tokens: TokenStore;
  sessions: SessionStore;
  oauth: OAuthStore;
  servers: ServerManager;
  xsrf: XsrfGuard;
  paths: HubPaths;
  /** Whether the public listener uses TLS (Secure cookies, HSTS). */
  tls: boolean;
}

/** The JupyterHub version Bulwark speaks to single-user servers (Debian ships 3.0.0). */
export const JUPYTERHUB_COMPAT_VERSION = '3.0.0';
