import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The key that encrypts TOTP secrets at rest, in `<data_dir>/auth_secret_key` (mode 0600). It is
 * apart from the cookie secret so that rotating cookies does not lose everyone's second factor.
 */
export function loadAuthKey(dataDir: string): Buffer {
  const file = join(dataDir, 'auth_secret_key');
  if (existsSync(file)) {
    chmodSync(file, 0o600);
    const hex = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f]{64}$/.test(hex)) return Buffer.from(hex, 'hex');
    throw new Error(`${file} does not hold a 32-byte hex key; restore it from a backup (2FA secrets cannot be read without it)`);
  }
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
