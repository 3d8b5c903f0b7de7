import { normalizeUsername, type PasswordLoginResult, type UserStore } from '../../identity/index.js';
import { cliActor } from '../../log/index.js';
import type { HubDeps } from '../hub-deps.js';
import { pamAuthenticate } from './pam-helper.js';
import { osAccountExists } from './system-account.js';

export type PasswordCheckResult = PasswordLoginResult | { ok: false; reason: 'expired' };

/** Where a password is checked: the hub database (native) or the OS through PAM (pam). */
export interface PasswordChecker {
  check(name: string, password: string): Promise<PasswordCheckResult>;
}

export function databasePasswordChecker(users: UserStore): PasswordChecker {
  return { check: (name, password) => users.checkPassword(name, password) };
}

/**
 * authenticator.class pam: the OS account's password, checked by PAM. A user row is made on the
 * first successful login, authorized and admin as allow_all, allowed_users and admin_users say
 * (safe here: the OS, not a signup form, proves who owns the name).
 */
export function pamPasswordChecker(deps: HubDeps): PasswordChecker {
  const config = deps.config.authenticator;
  return {
    async check(rawName, password) {
      const name = normalizeUsername(rawName);
      const existing = await deps.users.get(name);
      if (existing?.lockedUntil && existing.lockedUntil > deps.clock().toISOString()) return { ok: false, reason: 'locked', user: existing };
      if (!/^[a-z_][a-z0-9_.-]{0,31}$/.test(name) || !(await osAccountExists(name))) return { ok: false, reason: 'unknown-user' };
      const result = await pamAuthenticate(name, password);
      if (result === 'expired') return { ok: false, reason: 'expired' };
      if (result === 'fail') return existing ? { ok: false, reason: 'wrong-password', user: existing } : { ok: false, reason: 'unknown-user' };
      if (existing) return { ok: true, user: existing };
      const admin = config.admin_users.includes(name);
      const authorized = admin || config.allow_all || config.allowed_users.includes(name);
      return { ok: true, user: await deps.users.create({ name, admin, authorized }, cliActor) };
    },
  };
}

export function createPasswordChecker(deps: HubDeps): PasswordChecker {
  return deps.config.authenticator.class === 'pam' ? pamPasswordChecker(deps) : databasePasswordChecker(deps.users);
}
