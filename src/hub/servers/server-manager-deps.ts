import type { Kysely } from 'kysely';
import type { Clock, TokenStore, User } from '../../identity/index.js';
import type { AuditLog, Logger } from '../../log/index.js';
import type { RouteTable } from '../../proxy/index.js';
import type { Spawner } from '../../spawner/spawner.js';
import type { Tables } from '../../storage/index.js';
import type { OAuthStore } from '../oauth/oauth-store.js';
import type { HubPaths } from '../paths.js';
import type { PackageEnvironment } from './package-environment.js';

export interface ServerManagerDeps {
  db: Kysely<Tables>;
  tokens: TokenStore;
  oauth: OAuthStore;
  audit: AuditLog;
  logger: Logger;
  clock: Clock;
  spawner: Spawner;
  routes: RouteTable;
  paths: HubPaths;
  /** Where servers reach the hub API; known once the listener is bound. */
  apiUrl: () => string;
  concurrentSpawnLimit: number;
  /** hub.active_server_limit; 0 means none. */
  activeServerLimit?: number;
  /** hub.user_spawn_interval in seconds; 0 means none. */
  userSpawnInterval?: number;
  /** spawner.package_channel: pip bound to the channel (and the person's venv) on every start. */
  packageEnvironment?: PackageEnvironment;
  /** Runs after a server is forgotten (removed), e.g. notebook directory clean-up. */
  onForget?: (user: Pick<User, 'id' | 'name'>, serverName: string) => Promise<void>;
}
