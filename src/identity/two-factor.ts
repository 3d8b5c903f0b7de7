import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor, AuditLog } from '../log/index.js';
import type { Tables } from '../storage/index.js';
import { isoNow, type Clock } from './clock.js';
import type { SecretBox } from './secret-box.js';
import { hashSecret } from './secrets.js';
import { matchTotpStep, newTotpSecret } from './totp.js';

const RECOVERY_CODES = 10;

export type SecondFactorCheck = { ok: true; via: 'totp' | 'recovery' } | { ok: false; reason: 'wrong-code' | 'replayed' | 'no-2fa' };

export interface TwoFactorStore {
  isEnabled(userId: number): Promise<boolean>;
  /** Starts (or restarts) enrolment: a new secret, stored encrypted and not yet enabled. */
  beginEnrolment(userId: number): Promise<string>;
  /** The secret of an enrolment in progress, to show again (QR code) until it is confirmed. */
  pendingSecret(userId: number): Promise<string | undefined>;
  /** Enables 2FA when the code matches the pending secret; returns the recovery codes, shown once. */
  confirmEnrolment(userId: number, code: string, by: Actor): Promise<string[] | undefined>;
  /** A TOTP code (each step once) or an unused recovery code. */
  verify(userId: number, code: string): Promise<SecondFactorCheck>;
  disable(userId: number, by: Actor, target: string): Promise<void>;
  remainingRecoveryCodes(userId: number): Promise<number>;
}

function newRecoveryCode(): string {
  const raw = randomBytes(10).toString('hex');
  return `${raw.slice(0, 5)}-${raw.slice(5, 10)}-${raw.slice(10, 15)}-${raw.slice(15)}`;
}

const normalizeRecovery = (code: string) => code.trim().toLowerCase().replace(/[\s-]/g, '');

export function createTwoFactorStore(deps: { db: Kysely<Tables>; box: SecretBox; clock: Clock; audit: AuditLog }): TwoFactorStore {
  const { db, box, clock, audit } = deps;
  const row = (userId: number) => db.selectFrom('auth_totp').selectAll().where('user_id', '=', userId).executeTakeFirst();

  async function useRecoveryCode(userId: number, code: string): Promise<boolean> {
    const hash = hashSecret(`recovery:${normalizeRecovery(code)}`);
    // One UPDATE with the "unused" condition: two requests racing with one code cannot both win.
    const result = await db
      .updateTable('auth_recovery_codes')
      .set({ used_at: isoNow(clock) })
      .where('user_id', '=', userId)
      .where('hash', '=', hash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  return {
    async isEnabled(userId) {
      return (await row(userId))?.enabled === 1;
    },
    async beginEnrolment(userId) {
      const secret = newTotpSecret();
      const current = await row(userId);
      if (current?.enabled === 1) throw new Error('2FA is already enabled; disable it first');
      await db.deleteFrom('auth_totp').where('user_id', '=', userId).execute();
      await db.insertInto('auth_totp').values({ user_id: userId, secret_enc: box.seal(secret), enabled: 0, last_step: 0, created_at: isoNow(clock) }).execute();
      return secret;
    },
    async pendingSecret(userId) {
      const current = await row(userId);
      return current && current.enabled === 0 ? box.open(current.secret_enc) : undefined;
    },
    async confirmEnrolment(userId, code, by) {
      const current = await row(userId);
      if (!current || current.enabled === 1) return undefined;
      const step = matchTotpStep(box.open(current.secret_enc), code.trim(), clock());
      if (step === undefined) return undefined;
      await db.updateTable('auth_totp').set({ enabled: 1, last_step: step }).where('user_id', '=', userId).execute();
      const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
      await db.deleteFrom('auth_recovery_codes').where('user_id', '=', userId).execute();
      await db
        .insertInto('auth_recovery_codes')
        .values(codes.map((c) => ({ user_id: userId, hash: hashSecret(`recovery:${normalizeRecovery(c)}`), used_at: null })))
        .execute();
      await audit.record(by, { action: 'user.2fa.enable', target: by.name });
      return codes;
    },
    async verify(userId, code) {
      const current = await row(userId);
      if (!current || current.enabled !== 1) return { ok: false, reason: 'no-2fa' };
      const trimmed = code.trim().replace(/\s/g, '');
      if (/^\d{6}$/.test(trimmed)) {
        const step = matchTotpStep(box.open(current.secret_enc), trimmed, clock());
        if (step === undefined) return { ok: false, reason: 'wrong-code' };
        // Accept only a step later than the last one used; the condition is in the UPDATE so a race cannot pass twice.
        const result = await db
          .updateTable('auth_totp')
          .set({ last_step: step })
          .where('user_id', '=', userId)
          .where('last_step', '<', step)
          .executeTakeFirst();
        return Number(result.numUpdatedRows) === 1 ? { ok: true, via: 'totp' } : { ok: false, reason: 'replayed' };
      }
      if (normalizeRecovery(trimmed).length === 20 && (await useRecoveryCode(userId, trimmed))) return { ok: true, via: 'recovery' };
      return { ok: false, reason: 'wrong-code' };
    },
    async disable(userId, by, target) {
      await db.deleteFrom('auth_totp').where('user_id', '=', userId).execute();
      await db.deleteFrom('auth_recovery_codes').where('user_id', '=', userId).execute();
      await audit.record(by, { action: 'user.2fa.disable', target });
    },
    async remainingRecoveryCodes(userId) {
      const rows = await db.selectFrom('auth_recovery_codes').select('id').where('user_id', '=', userId).where('used_at', 'is', null).execute();
      return rows.length;
    },
  };
}
