import type { Kysely, Selectable } from 'kysely';
import { constantTimeEqual, hashSecret, isoNow, randomUrlToken, type Clock } from '../../identity/index.js';
import type { OAuthClientsTable, Tables } from '../../storage/index.js';

/** Authorization codes live 5 minutes and are used once, as in JupyterHub (oauthlib). */
const CODE_LIFETIME_SECONDS = 300;

export interface OAuthClient {
  identifier: string;
  redirectUri: string;
  description: string;
  userId: number | null;
  serverName: string | null;
  allowedScopes: string[];
}

export interface IssuedCode {
  clientId: string;
  userId: number;
  sessionPublicId: string | null;
  scopes: string[];
  redirectUri: string;
}

function toClient(row: Selectable<OAuthClientsTable>): OAuthClient {
  return {
    identifier: row.identifier,
    redirectUri: row.redirect_uri,
    description: row.description,
    userId: row.user_id,
    serverName: row.server_name,
    allowedScopes: JSON.parse(row.allowed_scopes) as string[],
  };
}

export interface OAuthStore {
  saveClient(client: OAuthClient, secret: string): Promise<void>;
  getClient(identifier: string): Promise<OAuthClient | undefined>;
  checkClientSecret(identifier: string, secret: string): Promise<boolean>;
  /** Deleting a client also deletes its codes and every access token issued to it. */
  deleteClient(identifier: string): Promise<void>;
  issueCode(code: IssuedCode): Promise<string>;
  /** Returns the code's grant and deletes it; undefined if unknown, expired or for another client. */
  consumeCode(code: string, clientId: string): Promise<IssuedCode | undefined>;
}

export function createOAuthStore(deps: { db: Kysely<Tables>; clock: Clock }): OAuthStore {
  const { db, clock } = deps;
  return {
    async saveClient(client, secret) {
      const values = {
        secret_hash: hashSecret(secret),
        redirect_uri: client.redirectUri,
        description: client.description,
        user_id: client.userId,
        server_name: client.serverName,
        allowed_scopes: JSON.stringify(client.allowedScopes),
      };
      await db
        .insertInto('oauth_clients')
        .values({ identifier: client.identifier, created_at: isoNow(clock), ...values })
        .onConflict((oc) => oc.column('identifier').doUpdateSet(values))
        .execute();
    },
    async getClient(identifier) {
      const row = await db.selectFrom('oauth_clients').selectAll().where('identifier', '=', identifier).executeTakeFirst();
      return row ? toClient(row) : undefined;
    },
    async checkClientSecret(identifier, secret) {
      const row = await db.selectFrom('oauth_clients').select('secret_hash').where('identifier', '=', identifier).executeTakeFirst();
      return row !== undefined && constantTimeEqual(row.secret_hash, hashSecret(secret));
    },
    async deleteClient(identifier) {
      // Explicit deletes as well as ON DELETE CASCADE: SQLite enforces cascades only with foreign_keys on.
      await db.deleteFrom('api_tokens').where('oauth_client_id', '=', identifier).execute();
      await db.deleteFrom('oauth_codes').where('client_id', '=', identifier).execute();
      await db.deleteFrom('oauth_clients').where('identifier', '=', identifier).execute();
    },
    async issueCode(grant) {
      const code = randomUrlToken(24);
      await db
        .insertInto('oauth_codes')
        .values({
          hash: hashSecret(code),
          client_id: grant.clientId,
          user_id: grant.userId,
          session_public_id: grant.sessionPublicId,
          scopes: JSON.stringify(grant.scopes),
          redirect_uri: grant.redirectUri,
          expires_at: new Date(clock().getTime() + CODE_LIFETIME_SECONDS * 1000).toISOString(),
        })
        .execute();
      return code;
    },
    async consumeCode(code, clientId) {
      const hash = hashSecret(code);
      const row = await db.selectFrom('oauth_codes').selectAll().where('hash', '=', hash).executeTakeFirst();
      if (!row) return undefined;
      await db.deleteFrom('oauth_codes').where('hash', '=', hash).execute();
      if (row.client_id !== clientId || row.expires_at <= isoNow(clock)) return undefined;
      return {
        clientId: row.client_id,
        userId: row.user_id,
        sessionPublicId: row.session_public_id,
        scopes: JSON.parse(row.scopes) as string[],
        redirectUri: row.redirect_uri,
      };
    },
  };
}
