import { z } from 'zod';
import { describe, stringList } from './fields.js';

const nativeSection = z
  .strictObject({
    enable_signup: describe(z.boolean().default(true), {
      description: 'Whether /hub/signup exists. When false, only admins create accounts.',
    }),
    open_signup: describe(z.boolean().default(false), {
      description: 'Authorize new accounts at signup without waiting for an admin.',
    }),
    minimum_password_length: describe(z.number().int().min(1).default(8), {
      description: 'Shortest accepted password. nativeauthenticator defaults to 1; Bulwark to 8.',
    }),
    allowed_failed_logins: describe(z.number().int().nonnegative().default(0), {
      description: 'Failed logins in a row before an account is locked for seconds_before_next_try; 0 turns the lock off.',
    }),
    seconds_before_next_try: describe(z.number().int().positive().default(600), {
      description: 'How long a locked account stays locked (seconds).',
    }),
  })
  .prefault({});

export const authenticatorSection = z
  .strictObject({
    class: describe(z.enum(['native', 'pam']).default('native'), {
      description: 'native: accounts and passwords kept in the hub database. pam: the OS checks passwords.',
    }),
    admin_users: describe(stringList.default([]), {
      description: 'User names that are admins. With native signup they are authorized on signup.',
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
