import type { BulwarkConfig } from '../../config/index.js';
import { BulwarkError, isBulwarkError } from '../../errors/index.js';
import { normalizeUsername, validateUsername, type User, type UserStore } from '../../identity/index.js';
import type { Actor, AuditLog } from '../../log/index.js';

export type LoginOutcome = { ok: true; user: User } | { ok: false };

export type SignupOutcome = { user: User; authorized: boolean };

/**
 * The native authenticator's core: accounts, passwords and authorization kept in the hub.
 * Who may log in follows JupyterHub 5: admins, `allowed_users`, `allow_all`, and — the native
 * part — accounts an admin has authorized (or that open signup authorized).
 */
export class NativeAuthenticator {
  constructor(
    private readonly config: Readonly<BulwarkConfig['authenticator']>,
    private readonly users: UserStore,
    private readonly audit: AuditLog,
  ) {}

  isAllowed(user: User): boolean {
    return (
      user.admin ||
      user.authorized ||
      this.config.allow_all ||
      this.config.admin_users.includes(user.name) ||
      this.config.allowed_users.includes(user.name)
    );
  }

  /** One outcome for every failure, so the page cannot tell an attacker which part was wrong. */
  async login(rawName: string, password: string, actor: Actor): Promise<LoginOutcome> {
    const name = normalizeUsername(rawName);
    const result = await this.users.checkPassword(name, password);
    let reason: string | undefined;
    if (!result.ok) reason = result.reason;
    else if (!this.isAllowed(result.user)) reason = 'not-authorized';
    if (reason === undefined && result.ok) {
      await this.users.clearLoginFailures(name);
      await this.audit.record({ ...actor, name }, { action: 'login', target: name });
      return { ok: true, user: result.user };
    }
    if (reason === 'wrong-password') {
      await this.users.recordLoginFailure(name, {
        allowedFailedLogins: this.config.native.allowed_failed_logins,
        lockSeconds: this.config.native.seconds_before_next_try,
      });
    }
    await this.audit.record({ ...actor, name: null }, { action: 'login', target: name.slice(0, 64), outcome: 'failure', detail: { reason } });
    return { ok: false };
  }

  async signup(input: { username: string; password: string; confirmation: string }, actor: Actor): Promise<SignupOutcome> {
    const native = this.config.native;
    if (!native.enable_signup) throw new BulwarkError('HUB_SIGNUP_DISABLED');
    const name = normalizeUsername(input.username);
    try {
      validateUsername(name);
    } catch (error) {
      if (isBulwarkError(error)) throw new BulwarkError('HUB_SIGNUP_INVALID', { reason: error.message });
      throw error;
    }
    if (input.password !== input.confirmation) throw new BulwarkError('HUB_SIGNUP_INVALID', { reason: 'the passwords do not match' });
    if (input.password.length < native.minimum_password_length) {
      throw new BulwarkError('HUB_SIGNUP_INVALID', {
        reason: `the password must have at least ${native.minimum_password_length} characters`,
      });
    }
    if (await this.users.get(name)) throw new BulwarkError('HUB_SIGNUP_INVALID', { reason: 'that user name is taken' });
    const admin = this.config.admin_users.includes(name);
    const authorized = admin || native.open_signup;
    const user = await this.users.create({ name, password: input.password, admin, authorized }, { ...actor, name });
    await this.audit.record({ ...actor, name }, { action: 'signup', target: name, detail: { authorized, admin } });
    return { user, authorized };
  }
}
