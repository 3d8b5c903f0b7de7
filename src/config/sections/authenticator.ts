import { z } from 'zod';
import { describe, stringList } from './fields.js';

/** Character classes a user name may draw from; every name must also be a valid OS account name. */
export const USERNAME_CHARACTER_CLASSES = ['letters', 'digits', 'underscore', 'hyphen', 'period'] as const;

const smtpSection = z
  .strictObject({
    host: describe(z.string().min(1).nullable().default(null), {
      description: 'SMTP server for notices to admins (null: send no mail). Plain SMTP, no TLS: use a local relay.',
    }),
    port: describe(z.number().int().min(1).max(65535).default(25), { description: 'SMTP port.' }),
    from: describe(z.string().min(3).default('bulwark@localhost'), { description: 'Envelope and header sender of notices.' }),
    notify_on_signup: describe(stringList.default([]), {
      description:
        'Addresses told about each new signup, in addition to the e-mail addresses of admin accounts. nativeauthenticator promises this mail but never sends it.',
    }),
    timeout_seconds: describe(z.number().positive().default(10), {
      description: 'Give up on the SMTP server after this long; a failed notice is logged and never blocks the signup.',
    }),
  })
  .prefault({});

const nativeSection = z
  .strictObject({
    enable_signup: describe(z.boolean().default(true), {
      description: 'Whether /hub/signup exists (nativeauthenticator default). When false, only admins create accounts (page, API, CLI, CSV import).',
    }),
    open_signup: describe(z.boolean().default(false), {
      description: 'Authorize new accounts at signup without waiting for an admin. A name listed in admin_users is never authorized or made admin by signing up.',
    }),
    ask_email_on_signup: describe(z.boolean().default(false), {
      description: 'Ask for an e-mail address at signup (required when on; checked for shape, kept on the account).',
    }),
    tos: describe(z.string().min(1).nullable().default(null), {
      description:
        'Terms of service shown on the signup page as plain text; the box must be ticked, and the server checks it (nativeauthenticator renders HTML unescaped and checks only in the browser).',
    }),
    minimum_password_length: describe(z.number().int().min(1).default(8), {
      description: 'Shortest accepted password, at signup and on every password change. nativeauthenticator defaults to 1; Bulwark to 8.',
    }),
    check_common_password: describe(z.boolean().default(true), {
      description: 'Refuse passwords on the bundled list of about 1,000 common passwords (case-insensitive). nativeauthenticator defaults to false; Bulwark to true.',
    }),
    check_password_contains_username: describe(z.boolean().default(true), {
      description: 'Refuse a password that contains the user name (case-insensitive). Bulwark addition, on by default.',
    }),
    required_password_character_classes: describe(z.number().int().min(0).max(4).default(0), {
      description:
        'How many of the classes lower-case, upper-case, digit and other a password must contain. 0 (default) follows NIST SP 800-63B: length and the common-password list instead of composition rules.',
    }),
    allowed_username_character_classes: describe(z.array(z.enum(USERNAME_CHARACTER_CLASSES)).min(1).default([...USERNAME_CHARACTER_CLASSES]), {
      description:
        'Classes of characters new user names may use: letters (a-z), digits, underscore, hyphen, period. Names must in any case be valid OS account names (lower case, 1\u201332 characters, starting with a letter or "_").',
    }),
    allowed_failed_logins: describe(z.number().int().nonnegative().default(0), {
      description:
        'Failed logins in a row before an account is locked for seconds_before_next_try; 0 (nativeauthenticator default) turns the account lock off. The lock is kept in the database and survives restarts.',
    }),
    allowed_failed_logins_per_address: describe(z.number().int().nonnegative().default(50), {
      description:
        'Failed logins from one client address before that address is refused for seconds_before_next_try, whatever names it tries; 0 turns it off. Kept in the database. Bulwark addition.',
    }),
    seconds_before_next_try: describe(z.number().int().positive().default(600), {
      description:
        'How long a lock lasts (seconds). Counted in full: nativeauthenticator compares timedelta.seconds, which drops whole days, so locks of a day or more expired early there.',
    }),
    allow_2fa: describe(z.boolean().default(true), {
      description: 'Users may add TOTP two-factor login (at /hub/2fa, also after signup). nativeauthenticator defaults to false; Bulwark to true.',
    }),
    require_2fa: describe(z.enum(['none', 'admins', 'all']).default('none'), {
      description: 'Who must use two-factor login: none, admins, or all. A user who must and has none is sent to enrolment before any session starts.',
    }),
    create_system_users: describe(z.boolean().default(false), {
      description: 'Create a matching OS account with useradd when an account is authorized (the hub must run as root). For the local process spawner.',
    }),
    smtp: smtpSection,
  })
  .prefault({});

export const authenticatorSection = z
  .strictObject({
    class: describe(z.enum(['native', 'pam']).default('native'), {
      description:
        'native: accounts and passwords kept in the hub database (import an existing JupyterHub with `bulwark import jupyterhub --db FILE`). pam: the OS checks passwords (the hub must run as root; needs python3-pam).',
    }),
    admin_users: describe(stringList.default([]), {
      description:
        'User names that are admins once they exist. Signing up under such a name does not make an admin: create the first admin with `bulwark user add NAME --admin` or the one-time /hub/setup link printed at first start.',
    }),
    allowed_users: describe(stringList.default([]), {
      description: 'User names allowed to log in in addition to authorized accounts (JupyterHub 5 semantics).',
    }),
    allow_all: describe(z.boolean().default(false), {
      description: 'Allow every user the authenticator accepts. For native, every authorized account.',
    }),
    native: nativeSection,
  })
  .prefault({});
