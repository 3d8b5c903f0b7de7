import type { Generated } from 'kysely';

/**
 * JupyterHub 5 sharing (migration 009): scopes on one server granted to one user or one group.
 * At most one row per (server, user) and per (server, group); rows go with the server, the
 * user or the group (ON DELETE CASCADE).
 */
export interface HubSharesTable {
  id: Generated<number>;
  server_id: number;
  /** Exactly one of user_id and group_id is set. */
  user_id: number | null;
  group_id: number | null;
  /** JSON list of scopes, each filtered to `!server=<owner>/<server>`. */
  scopes: string;
  created_at: string;
}

/** A share code (migration 009): exchanged by whoever holds it for a share of the server. */
export interface HubShareCodesTable {
  id: Generated<number>;
  server_id: number;
  /** sha256 of the code; the code itself is shown once, when it is issued. */
  code_hash: string;
  /** JSON list of scopes, each filtered to `!server=<owner>/<server>`. */
  scopes: string;
  created_at: string;
  expires_at: string | null;
  last_exchanged_at: string | null;
  exchange_count: number;
}

export interface ShareTables {
  hub_shares: HubSharesTable;
  hub_share_codes: HubShareCodesTable;
}
