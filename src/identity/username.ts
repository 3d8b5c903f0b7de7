import { BulwarkError } from '../errors/index.js';

/**
 * User names must also be valid OS account names, because the local spawner runs each server as
 * the account of the same name: lower case, starting with a letter or underscore, at most 32
 * characters of letters, digits, `_`, `-` and `.` (Debian's useradd default rule, minus `$`).
 */
const usernamePattern = /^[a-z_][a-z0-9_.-]{0,31}$/;

export function normalizeUsername(raw: string): string {
  return raw.trim().toLowerCase();
}

export function validateUsername(name: string): string {
  if (name.length === 0) throw new BulwarkError('IDENTITY_INVALID_USERNAME', { name: '""', reason: 'it is empty' });
  if (!usernamePattern.test(name)) {
    throw new BulwarkError('IDENTITY_INVALID_USERNAME', {
      name: JSON.stringify(name),
      reason: 'use 1\u201332 lower-case letters, digits, "_", "-" or ".", starting with a letter or "_"',
    });
  }
  return name;
}
