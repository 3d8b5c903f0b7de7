import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The hub's signing secret, kept in `<data_dir>/cookie_secret` (mode 0600) so sessions and XSRF
 * tokens survive restarts, as JupyterHub's `jupyterhub_cookie_secret` file does.
 */
export function loadCookieSecret(dataDir: string): Buffer {
  const file = join(dataDir, 'cookie_secret');
  if (existsSync(file)) {
    chmodSync(file, 0o600);
    const hex = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f]{64,}$/.test(hex)) return Buffer.from(hex, 'hex');
  }
  const secret = randomBytes(32);
  writeFileSync(file, `${secret.toString('hex')}\n`, { mode: 0o600 });
  return secret;
}
