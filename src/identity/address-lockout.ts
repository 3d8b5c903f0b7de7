import type { Kysely } from 'kysely';
import type { Tables } from '../storage/index.js';
import { isoNow, type Clock } from './clock.js';

/**
 * Failed logins counted per client address, in the database so a restart does not reset them:
 * an address that fails too often is refused for a while, whatever names it tries.
 */
export interface AddressLockout {
  isLocked(address: string): Promise<boolean>;
  recordFailure(address: string, policy: { allowed: number; lockSeconds: number }): Promise<void>;
  clear(address: string): Promise<void>;
}

export function createAddressLockout(deps: { db: Kysely<Tables>; clock: Clock }): AddressLockout {
  const { db, clock } = deps;
  const key = (address: string) => address.slice(0, 64);
  return {
    async isLocked(address) {
      const row = await db.selectFrom('auth_address_lockout').selectAll().where('address', '=', key(address)).executeTakeFirst();
      return row?.locked_until !== null && row?.locked_until !== undefined && row.locked_until > isoNow(clock);
    },
    async recordFailure(address, policy) {
      if (policy.allowed <= 0) return;
      const now = isoNow(clock);
      const row = await db.selectFrom('auth_address_lockout').selectAll().where('address', '=', key(address)).executeTakeFirst();
      // Failures older than one lock period are forgotten, so a slow trickle never adds up to a lock.
      const stale = row !== undefined && new Date(row.updated_at).getTime() + policy.lockSeconds * 1000 < clock().getTime();
      const failures = (row && !stale ? row.failures : 0) + 1;
      const lock = failures >= policy.allowed;
      const values = {
        failures: lock ? 0 : failures,
        locked_until: lock ? new Date(clock().getTime() + policy.lockSeconds * 1000).toISOString() : (row?.locked_until ?? null),
        updated_at: now,
      };
      if (row) await db.updateTable('auth_address_lockout').set(values).where('address', '=', key(address)).execute();
      else await db.insertInto('auth_address_lockout').values({ address: key(address), ...values }).execute();
    },
    async clear(address) {
      await db.deleteFrom('auth_address_lockout').where('address', '=', key(address)).execute();
    },
  };
}
