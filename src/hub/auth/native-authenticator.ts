import type { BulwarkConfig } from '../../config/index.js';
import { BulwarkError, isBulwarkError } from '../../errors/index.js';
import {
  disallowedUsernameCharacter,
  normalizeUsername,
  passwordProblem,
  validateUsername,
  type PasswordPolicy,
  type User,
  type UserStore,
} from '../../identity/index.js';
import type { Actor, AuditLog, Logger } from '../../log/index.js';
import type { AuthServices } from './auth-services.js';
import type { PasswordChecker } from './password-checker.js';
import { ensureOsAccount } from './system-account.js';

/** `enrol`: the password was right but the user must set up 2FA before a session starts. */
/** `expired`: PAM says the OS password must be changed with passwd first. */
export type LoginOutcome = { ok: true; user: User } | { ok: false; enrol?: User; expired?: boolean };

export type SignupOutcome = { user: User; authorized: boolean };

export interface SignupInput {
  username: string;
  password: string;
  confirmation: string;
  email?: string | undefined;
  tosAccepted?: boolean;
}

const EMAIL_PATTERN = /^[^\s@<>,;"]{1,64}@[^\s@<>,;"]{1,190}\.[^\s@<>,;"]{1,63}$/;

/**
 * The native authenticator: accounts, passwords, authorization, the second factor and lockout,
 * all kept in the hub database. Who may log in follows JupyterHub 5: admins, `allowed_users`,
 * `allow_all`, and - the native part - accounts an admin has authorized (or open signup did).
 */
export class NativeAuthenticator {
  constructor(
    private readonly config: Readonly<BulwarkConfig['authenticator']>,
    private readonly users: UserStore,
    private readonly audit: AuditLog,
    private readonly auth: AuthServices,
    private readonly passwords: PasswordChecker,
    private readonly logger: Logger,
  ) {}

  private get native() {
    return this.config.native;
  }

  /** A name in admin_users does not let an unauthorized account in: that was nativeauthenticator's bootstrap race. */
  isAllowed(user: User): boolean {
    return user.admin || user.authorized || this.config.allow_all || this.config.allowed_users.includes(user.name);
  }

  requires2fa(user: User): boolean {
    const rule = this.native.require_2fa;
    return rule === 'all' || (rule === 'admins' && user.admin);
  }

  twoFactorOffered(): boolean {
    return this.native.allow_2fa || this.native.require_2fa !== 'none';
  }

  policy(): PasswordPolicy {
    return {
      minimumLength: this.native.minimum_password_length,
      checkCommon: this.native.check_common_password,
      checkContainsUsername: this.native.check_password_contains_username,
      requiredClasses: this.native.required_password_character_classes,
    };
  }

  /** Throws HUB_PASSWORD_REJECTED with the reason when a new password breaks the policy. */
  checkNewPassword(name: string, password: string, confirmation: string): void {
    if (password !== confirmation) throw new BulwarkError('HUB_PASSWORD_REJECTED', { reason: 'the passwords do not match' });
    const problem = passwordProblem(password, name, this.policy());
    if (problem !== undefined) throw new BulwarkError('HUB_PASSWORD_REJECTED', { reason: problem });
  }

  /** A new name must be a valid OS account name and use only the allowed character classes. */
  checkNewName(raw: string): string {
    const name = normalizeUsername(raw);
    try {
      validateUsername(name);
    } catch (error) {
      if (isBulwarkError(error)) throw new BulwarkError('HUB_SIGNUP_INVALID', { reason: error.message });
      throw error;
    }
    const bad = disallowedUsernameCharacter(name, this.native.allowed_username_character_classes);
    if (bad !== undefined) {
      throw new BulwarkError('HUB_SIGNUP_INVALID', {
        reason: `user names may only use ${this.native.allowed_username_character_classes.join(', ')} (not ${JSON.stringify(bad)})`,
      });
    }
    return name;
  }

  /** One outcome for every failure, so the page cannot tell an attacker which part was wrong. */
  async login(rawName: string, password: string, actor: Actor, code = ''): Promise<LoginOutcome> {
    const name = normalizeUsername(rawName).slice(0, 256);
    const address = actor.ip ?? '';
    const lockPolicy = { allowed: this.native.allowed_failed_logins_per_address, lockSeconds: this.native.seconds_before_next_try };
    let reason: string | undefined;
    let user: User | undefined;
    if (address !== '' && lockPolicy.allowed > 0 && (await this.auth.addressLockout.isLocked(address))) {
      reason = 'address-locked';
    } else {
      const result = await this.passwords.check(name, password);
      if (!result.ok && result.reason === 'expired') {
        await this.audit.record({ ...actor, name: null }, { action: 'login', target: name.slice(0, 64), outcome: 'failure', detail: { reason: 'expired' } });
        return { ok: false, expired: true };
      }
      if (!result.ok) reason = result.reason;
      else if (!this.isAllowed(result.user)) reason = 'not-authorized';
      else user = result.user;
    }
    if (user && reason === undefined) {
      if (await this.auth.twoFactor.isEnabled(user.id)) {
        const second = await this.auth.twoFactor.verify(user.id, code);
        if (!second.ok) reason = second.reason === 'replayed' ? 'replayed-code' : 'wrong-code';
        else if (second.via === 'recovery') await this.audit.record({ ...actor, name }, { action: 'user.2fa.recovery-code', target: name });
      } else if (this.requires2fa(user)) {
        await this.audit.record({ ...actor, name }, { action: 'login', target: name, outcome: 'failure', detail: { reason: '2fa-enrolment-required' } });
        return { ok: false, enrol: user };
      }
    }
    if (user && reason === undefined) {
      await this.users.clearLoginFailures(name);
      if (address !== '') await this.auth.addressLockout.clear(address);
      await this.audit.record({ ...actor, name }, { action: 'login', target: name });
      return { ok: true, user };
    }
    if (reason === 'wrong-password' || reason === 'wrong-code' || reason === 'replayed-code') {
      await this.users.recordLoginFailure(name, { allowedFailedLogins: this.native.allowed_failed_logins, lockSeconds: this.native.seconds_before_next_try });
    }
    if (address !== '' && reason !== 'address-locked') await this.auth.addressLockout.recordFailure(address, lockPolicy);
    await this.audit.record({ ...actor, name: null }, { action: 'login', target: name.slice(0, 64), outcome: 'failure', detail: { reason } });
    return { ok: false };
  }

  async signup(input: SignupInput, actor: Actor): Promise<SignupOutcome> {
    const native = this.native;
    if (!native.enable_signup) throw new BulwarkError('HUB_SIGNUP_DISABLED');
    const name = this.checkNewName(input.username);
    let email: string | null = null;
    if (native.ask_email_on_signup) {
      email = (input.email ?? '').trim();
      if (!EMAIL_PATTERN.test(email)) throw new BulwarkError('HUB_SIGNUP_INVALID', { reason: 'enter a valid e-mail address' });
    }
    if (native.tos !== null && input.tosAccepted !== true) throw new BulwarkError('HUB_SIGNUP_INVALID', { reason: 'you must accept the terms of service' });
    try {
      this.checkNewPassword(name, input.password, input.confirmation);
    } catch (error) {
      if (isBulwarkError(error)) throw new BulwarkError('HUB_SIGNUP_INVALID', { reason: String(error.params['reason'] ?? error.message) });
      throw error;
    }
    if (await this.users.get(name)) throw new BulwarkError('HUB_SIGNUP_INVALID', { reason: 'that user name is taken' });
    // Never admin, whatever admin_users says: the first admin comes from the CLI or the setup link.
    const authorized = native.open_signup;
    const user = await this.users.create({ name, password: input.password, admin: false, authorized, email }, { ...actor, name });
    await this.audit.record({ ...actor, name }, { action: 'signup', target: name, detail: { authorized, admin: false, tos_accepted: native.tos !== null } });
    if (authorized) await this.afterAuthorized(user);
    return { user, authorized };
  }

  /** Own password change: the old password must be right (and counts as a failed login if not). */
  async changeOwnPassword(user: User, oldPassword: string, password: string, confirmation: string, actor: Actor): Promise<void> {
    const check = await this.passwords.check(user.name, oldPassword);
    if (!check.ok) {
      if (check.reason === 'wrong-password') {
        await this.users.recordLoginFailure(user.name, { allowedFailedLogins: this.native.allowed_failed_logins, lockSeconds: this.native.seconds_before_next_try });
      }
      await this.audit.record(actor, { action: 'user.password.change', target: user.name, outcome: 'failure', detail: { reason: check.reason } });
      throw new BulwarkError('HUB_PASSWORD_REJECTED', { reason: 'the current password is wrong' });
    }
    this.checkNewPassword(user.name, password, confirmation);
    await this.users.setPassword(user.name, password, actor);
  }

  /** An admin sets another user's password (nativeauthenticator's /change-password/<user>). */
  async setPasswordAsAdmin(target: User, password: string, confirmation: string, actor: Actor): Promise<void> {
    this.checkNewPassword(target.name, password, confirmation);
    await this.users.setPassword(target.name, password, actor);
  }

  /** An admin creates an authorized account, with an initial password or none. */
  async createAsAdmin(input: { name: string; password?: string | undefined; admin: boolean }, actor: Actor): Promise<User> {
    const name = this.checkNewName(input.name);
    if (input.password !== undefined) this.checkNewPassword(name, input.password, input.password);
    const user = await this.users.create({ name, ...(input.password !== undefined ? { password: input.password } : {}), admin: input.admin, authorized: true }, actor);
    await this.afterAuthorized(user);
    return user;
  }

  async setAuthorized(name: string, authorized: boolean, actor: Actor): Promise<User> {
    const user = await this.users.setAuthorized(name, authorized, actor);
    if (authorized) await this.afterAuthorized(user);
    return user;
  }

  private async afterAuthorized(user: User): Promise<void> {
    if (!this.native.create_system_users) return;
    const result = await ensureOsAccount(user.name);
    if (result === 'created') await this.audit.record({ name: null }, { action: 'user.os-account.create', target: user.name });
    this.logger.info({ user: user.name, result }, 'OS account for native user');
  }
}
