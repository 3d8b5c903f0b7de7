import { expandScopes, intersectScopes, type TokenRecord } from '../../identity/index.js';
import type { HubDeps } from '../hub-deps.js';

/** What a token can do right now: its scopes expanded, then cut down to what its owner holds. */
export function effectiveTokenScopes(record: TokenRecord, ownerScopes: ReadonlySet<string>): string[] {
  const requested = expandScopes(record.scopes, { kind: 'user', name: record.owner }, ownerScopes);
  return [...intersectScopes(requested, ownerScopes)].sort();
}

/** JupyterHub's token model; the token value itself is added only by the creating call. */
export async function tokenModel(deps: HubDeps, record: TokenRecord, ownerScopes: ReadonlySet<string>): Promise<Record<string, unknown>> {
  const client = record.oauthClientId === null ? undefined : await deps.oauth.getClient(record.oauthClientId);
  return {
    id: record.publicId,
    kind: 'api_token',
    user: record.owner,
    roles: [],
    scopes: effectiveTokenScopes(record, ownerScopes),
    note: record.note,
    created: record.createdAt,
    last_activity: record.lastActivity,
    expires_at: record.expiresAt,
    session_id: record.sessionId,
    oauth_client: client ? client.description || client.identifier : 'JupyterHub',
  };
}
