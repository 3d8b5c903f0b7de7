import type { Generated } from 'kysely';
import type { AuthTables } from './auth-tables.js';
import type { ChannelTables } from './channel-tables.js';
import type { ReleaseTables } from './release-tables.js';
import type { ServiceTables } from './service-tables.js';
import type { ShareTables } from './share-tables.js';
import type { VettingTables } from './vetting-tables.js';

export type * from './auth-tables.js';
export type * from './channel-tables.js';
export type * from './release-tables.js';
export type * from './service-tables.js';
export type * from './share-tables.js';
export type * from './vetting-tables.js';

/**
 * Row types of every table. Portable across SQLite and PostgreSQL: booleans are 0/1 integers,
 * timestamps are ISO-8601 UTC strings (they sort as text), lists and maps are JSON text.
 */
export interface UsersTable {
  id: Generated<number>;
  name: string;
  admin: number;
  /** Native authenticator: an admin approved the account (or open signup did). */
  authorized: number;
  password_hash: string | null;
  email: string | null;
  /** Changing it ends every browser session of the user. */
  cookie_id: string;
  failed_logins: number;
  locked_until: string | null;
  created_at: string;
  last_activity: string | null;
}

export interface GroupsTable {
  id: Generated<number>;
  name: string;
  properties: string;
}

export interface UserGroupsTable {
  user_id: number;
  group_id: number;
}

export interface RolesTable {
  id: Generated<number>;
  name: string;
  description: string;
  scopes: string;
}

export interface UserRolesTable {
  user_id: number;
  role_id: number;
}

export interface ApiTokensTable {
  id: Generated<number>;
  /** First characters of the token, kept in clear to find the row; the rest is only hashed. */
  prefix: string;
  hash: string;
  user_id: number;
  kind: 'api' | 'server' | 'oauth';
  scopes: string;
  note: string;
  session_id: string | null;
  oauth_client_id: string | null;
  created_at: string;
  expires_at: string | null;
  last_activity: string | null;
}

export interface SessionsTable {
  id: Generated<number>;
  /** sha256 of the random session id; the id itself lives only in the browser cookie. */
  hash: string;
  user_id: number;
  /** A public, random id for this session (jupyterhub-session-id); not a credential. */
  public_id: string;
  created_at: string;
  expires_at: string;
}

export interface OAuthClientsTable {
  identifier: string;
  secret_hash: string;
  redirect_uri: string;
  description: string;
  user_id: number | null;
  server_name: string | null;
  allowed_scopes: string;
  created_at: string;
}

export interface OAuthCodesTable {
  hash: string;
  client_id: string;
  user_id: number;
  session_public_id: string | null;
  scopes: string;
  redirect_uri: string;
  expires_at: string;
}

export interface ServersTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  state: 'stopped' | 'spawn_pending' | 'running' | 'stop_pending' | 'failed';
  url: string | null;
  /** JSON of the spawner's state (pid, port, uid...) so a restarted hub can re-adopt the server. */
  spawner_state: string | null;
  user_options: string;
  started_at: string | null;
  last_activity: string | null;
  failure: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string | null;
  action: string;
  target: string | null;
  outcome: 'success' | 'failure';
  ip: string | null;
  detail: string;
}

export interface Tables extends AuthTables, ChannelTables, VettingTables, ReleaseTables, ServiceTables, ShareTables {
  users: UsersTable;
  groups: GroupsTable;
  user_groups: UserGroupsTable;
  roles: RolesTable;
  user_roles: UserRolesTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  oauth_clients: OAuthClientsTable;
  oauth_codes: OAuthCodesTable;
  servers: ServersTable;
  audit_log: AuditLogTable;
}
