import type { Kysely } from 'kysely';
import type { Tables } from '../storage/index.js';
import { isoAfter, isoNow, type Clock } from './clock.js';
import { hashSecret, randomUrlToken } from './secrets.js';

export type TicketPurpose = 'setup' | 'enrol';

/**
 * Single-use, expiring tickets stored only as hashes: the first-admin setup link, and the short
 * step between a correct password and a required 2FA enrolment.
 */
export interface OneTimeTickets {
  issue(purpose: TicketPurpose, options: { userId?: number; seconds: number }): Promise<string>;
  /** The ticket's row if it is valid (right purpose, unused, unexpired); does not use it. */
  peek(purpose: TicketPurpose, ticket: string): Promise<{ userId: number | null } | undefined>;
  /** Marks the ticket used; true only for the one caller that did (a race has one winner). */
  consume(purpose: TicketPurpose, ticket: string): Promise<boolean>;
  hasValid(purpose: TicketPurpose): Promise<boolean>;
}

export function createOneTimeTickets(deps: { db: Kysely<Tables>; clock: Clock }): OneTimeTickets {
  const { db, clock } = deps;
  const hashOf = (purpose: TicketPurpose, ticket: string) => hashSecret(`ticket:${purpose}:${ticket}`);
  return {
    async issue(purpose, options) {
      const ticket = randomUrlToken(32);
      await db
        .insertInto('auth_tickets')
        .values({ hash: hashOf(purpose, ticket), purpose, user_id: options.userId ?? null, created_at: isoNow(clock), expires_at: isoAfter(clock, options.seconds), used_at: null })
        .execute();
      return ticket;
    },
    async peek(purpose, ticket) {
      if (ticket.length < 20 || ticket.length > 100) return undefined;
      const row = await db
        .selectFrom('auth_tickets')
        .selectAll()
        .where('hash', '=', hashOf(purpose, ticket))
        .where('purpose', '=', purpose)
        .where('used_at', 'is', null)
        .where('expires_at', '>', isoNow(clock))
        .executeTakeFirst();
      return row ? { userId: row.user_id } : undefined;
    },
    async consume(purpose, ticket) {
      const result = await db
        .updateTable('auth_tickets')
        .set({ used_at: isoNow(clock) })
        .where('hash', '=', hashOf(purpose, ticket))
        .where('purpose', '=', purpose)
        .where('used_at', 'is', null)
        .where('expires_at', '>', isoNow(clock))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async hasValid(purpose) {
      const row = await db
        .selectFrom('auth_tickets')
        .select('hash')
        .where('purpose', '=', purpose)
        .where('used_at', 'is', null)
        .where('expires_at', '>', isoNow(clock))
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}
