import type { Kysely } from 'kysely';
import type { Tables } from '../storage/index.js';
import { isoNow, type Clock } from './clock.js';
import { constantTimeEqual, hashSecret, randomHexToken, randomUrlToken } from './secrets.js';
import type { User, UserStore } from './users.js';

export interface Session {
  /** Internal row id. */
  id: number;
  /** Not a credential: the `jupyterhub-session-id` that single-user servers use as a cache key. */
  publicId: string;
  userId: number;
  createdAt: string;
  expiresAt: string;
}

export interface SessionStore {
  /** Starts a browser session; `cookieValue` is the only copy of the secret. */
  create(user: User, ttlSeconds: number): Promise<{ cookieValue: string; session: Session }>;
  resolve(cookieValue: string): Promise<{ session: Session; user: User } | undefined>;
  /** Ends the session; returns it so the caller can revoke tokens issued under it. */
  end(cookieValue: string): Promise<Session | undefined>;
  endAllFor(userId: number): Promise<void>;
}

export function createSessionStore(deps: { db: Kysely<Tables>; users: UserStore; clock: Clock }): SessionStore {
  const { db, users, clock } = deps;

  async function find(cookieValue: string) {
    if (!/^[A-Za-z0-9_-]{32,128}$/.test(cookieValue)) return undefined;
    const hash = hashSecret(cookieValue);
    const row = await db.selectFrom('sessions').selectAll().where('hash', '=', hash).executeTakeFirst();
    // The lookup is by hash; the explicit comparison keeps the check constant-time even so.
    if (!row || !constantTimeEqual(row.hash, hash)) return undefined;
    return row;
  }

  const toSession = (row: { id: number; public_id: string; user_id: number; created_at: string; expires_at: string }): Session => ({
    id: row.id,
    publicId: row.public_id,
    userId: row.user_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  });

  return {
    async create(user, ttlSeconds) {
      const cookieValue = randomUrlToken(32);
      const row = await db
        .insertInto('sessions')
        .values({
          hash: hashSecret(cookieValue),
          user_id: user.id,
          public_id: randomHexToken(16),
          created_at: isoNow(clock),
          expires_at: new Date(clock().getTime() + ttlSeconds * 1000).toISOString(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { cookieValue, session: toSession(row) };
    },
    async resolve(cookieValue) {
      const row = await find(cookieValue);
      if (!row || row.expires_at <= isoNow(clock)) return undefined;
      const user = await users.getById(row.user_id);
      return user ? { session: toSession(row), user } : undefined;
    },
    async end(cookieValue) {
      const row = await find(cookieValue);
      if (!row) return undefined;
      await db.deleteFrom('sessions').where('id', '=', row.id).execute();
      return toSession(row);
    },
    async endAllFor(userId) {
      await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
    },
  };
}
