import type { Kysely, Selectable } from 'kysely';
import { BulwarkError } from '../errors/index.js';
import type { Actor, AuditLog } from '../log/index.js';
import { reusableQuery, type ApiTokensTable, type Tables } from '../storage/index.js';
import { isoNow, type Clock } from './clock.js';
import { validateScopes } from './scopes.js';
import { constantTimeEqual, hashSecret, randomHexToken } from './secrets.js';
import { userFromRow, type User, type UserStore } from './users.js';

/** Characters of the token kept in clear to find its row; the token's other 28 stay secret. */
const PREFIX_LENGTH = 4;

export type TokenKind = ApiTokensTable['kind'];

export interface TokenRecord {
  id: number;
  /** JupyterHub's public token id form, `a<n>`. */
  publicId: string;
  userId: number;
  owner: string;
  kind: TokenKind;
  /** Raw scopes as granted; expanded and intersected with the owner's at use time. */
  scopes: string[];
  note: string;
  sessionId: string | null;
  oauthClientId: string | null;
  createdAt: string;
  expiresAt: string | null;
  lastActivity: string | null;
}

export interface NewToken {
  owner: User;
  scopes?: string[];
  note?: string;
  expiresInSeconds?: number | null;
  kind?: TokenKind;
  sessionId?: string | null;
  oauthClientId?: string | null;
}

type TokenRow = Selectable<ApiTokensTable> & { owner: string };

function toRecord(row: TokenRow): TokenRecord {
  return {
    id: row.id,
    publicId: `a${row.id}`,
    userId: row.user_id,
    owner: row.owner,
    kind: row.kind,
    scopes: JSON.parse(row.scopes) as string[],
    note: row.note,
    sessionId: row.session_id,
    oauthClientId: row.oauth_client_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastActivity: row.last_activity,
  };
}

export interface TokenStore {
  /** Returns the token value once; only its hash is stored. */
  create(input: NewToken, by: Actor): Promise<{ token: string; record: TokenRecord }>;
  /** The live token and its owner, or undefined for unknown, expired or malformed tokens. */
  authenticate(token: string): Promise<{ record: TokenRecord; user: User } | undefined>;
  list(owner?: string): Promise<TokenRecord[]>;
  get(publicId: string): Promise<TokenRecord | undefined>;
  revoke(publicId: string, by: Actor): Promise<void>;
  revokeForSession(sessionId: string): Promise<void>;
  touch(id: number, when?: string): Promise<void>;
}

function parsePublicId(publicId: string): number | undefined {
  const match = /^a?(\d+)$/.exec(publicId);
  return match ? Number(match[1]) : undefined;
}

/**
 * Every API request looks its token up: candidates by prefix, each with its owner's row (aliased
 * `u_*`), in one query compiled once. The row is read on every request, so a revoked token or a
 * deleted user stops working at once.
 */
const tokensByPrefix = reusableQuery(
  (db: Kysely<Tables>, prefix: string) =>
    db
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .selectAll('api_tokens')
      .select([
        'users.name as owner',
        'users.admin as u_admin',
        'users.authorized as u_authorized',
        'users.password_hash as u_password_hash',
        'users.email as u_email',
        'users.cookie_id as u_cookie_id',
        'users.failed_logins as u_failed_logins',
        'users.locked_until as u_locked_until',
        'users.created_at as u_created_at',
        'users.last_activity as u_last_activity',
      ])
      .where('api_tokens.prefix', '=', prefix),
  1,
);

type TokenWithOwnerRow = Awaited<ReturnType<typeof tokensByPrefix>>[number];

function ownerOf(row: TokenWithOwnerRow): User {
  return userFromRow({
    id: row.user_id,
    name: row.owner,
    admin: row.u_admin,
    authorized: row.u_authorized,
    password_hash: row.u_password_hash,
    email: row.u_email,
    cookie_id: row.u_cookie_id,
    failed_logins: row.u_failed_logins,
    locked_until: row.u_locked_until,
    created_at: row.u_created_at,
    last_activity: row.u_last_activity,
  });
}

export function createTokenStore(deps: { db: Kysely<Tables>; users: UserStore; audit: AuditLog; clock: Clock }): TokenStore {
  const { db, audit, clock } = deps; // the owner comes with the token row (tokensByPrefix), not from `deps.users`
  const baseQuery = () =>
    db.selectFrom('api_tokens').innerJoin('users', 'users.id', 'api_tokens.user_id').selectAll('api_tokens').select('users.name as owner');

  return {
    async create(input, by) {
      const scopes = input.scopes ?? ['inherit'];
      validateScopes(scopes);
      const token = randomHexToken(16);
      const expiresAt =
        input.expiresInSeconds === undefined || input.expiresInSeconds === null
          ? null
          : new Date(clock().getTime() + input.expiresInSeconds * 1000).toISOString();
      const row = await db
        .insertInto('api_tokens')
        .values({
          prefix: token.slice(0, PREFIX_LENGTH),
          hash: hashSecret(token),
          user_id: input.owner.id,
          kind: input.kind ?? 'api',
          scopes: JSON.stringify(scopes),
          note: input.note ?? '',
          session_id: input.sessionId ?? null,
          oauth_client_id: input.oauthClientId ?? null,
          created_at: isoNow(clock),
          expires_at: expiresAt,
          last_activity: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const record = toRecord({ ...row, owner: input.owner.name });
      if (record.kind === 'api') {
        await audit.record(by, {
          action: 'token.create',
          target: input.owner.name,
          detail: { token_id: record.publicId, scopes, note: record.note, expires_at: expiresAt },
        });
      }
      return { token, record };
    },
    async authenticate(token) {
      if (!/^[0-9a-f]{32}$/.test(token) && !/^[A-Za-z0-9_-]{20,128}$/.test(token)) return undefined;
      const hash = hashSecret(token);
      const candidates = await tokensByPrefix(db, token.slice(0, PREFIX_LENGTH));
      const row = candidates.find((candidate) => constantTimeEqual(candidate.hash, hash));
      if (!row) return undefined;
      if (row.expires_at !== null && row.expires_at <= isoNow(clock)) return undefined;
      return { record: toRecord(row), user: ownerOf(row) };
    },
    async list(owner) {
      let query = baseQuery().orderBy('api_tokens.id');
      if (owner !== undefined) query = query.where('users.name', '=', owner);
      return (await query.execute()).map(toRecord);
    },
    async get(publicId) {
      const id = parsePublicId(publicId);
      if (id === undefined) return undefined;
      const row = await baseQuery().where('api_tokens.id', '=', id).executeTakeFirst();
      return row ? toRecord(row) : undefined;
    },
    async revoke(publicId, by) {
      const id = parsePublicId(publicId);
      const row = id === undefined ? undefined : await baseQuery().where('api_tokens.id', '=', id).executeTakeFirst();
      if (!row) throw new BulwarkError('IDENTITY_TOKEN_NOT_FOUND', { id: publicId });
      await db.deleteFrom('api_tokens').where('id', '=', row.id).execute();
      await audit.record(by, { action: 'token.revoke', target: row.owner, detail: { token_id: `a${row.id}`, kind: row.kind } });
    },
    async revokeForSession(sessionId) {
      await db.deleteFrom('api_tokens').where('session_id', '=', sessionId).execute();
    },
    async touch(id, when) {
      await db.updateTable('api_tokens').set({ last_activity: when ?? isoNow(clock) }).where('id', '=', id).execute();
    },
  };
}
