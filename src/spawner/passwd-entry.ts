import { execFile } from 'node:child_process';

/** One account as the name service (files, LDAP, sssd...) reports it. */
export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

/** Parses one `name:x:uid:gid:gecos:home:shell` line; null when it is not a well-formed entry. */
export function parsePasswdLine(line: string): PasswdEntry | null {
  const fields = line.replace(/\r?\n$/, '').split(':');
  if (fields.length !== 7) return null;
  const [name, , uidText, gidText, , home, shell] = fields as [string, string, string, string, string, string, string];
  if (!/^\d+$/.test(uidText) || !/^\d+$/.test(gidText)) return null;
  return { name, uid: Number(uidText), gid: Number(gidText), home, shell };
}

/** getent's documented exit status for "key not found in database". */
const getentNotFound = 2;

/**
 * Looks an account up by name or uid through getent, so accounts from any NSS source count, not
 * only /etc/passwd. Resolves null when there is no such account; rejects when getent itself fails.
 */
export function lookupPasswd(key: string | number): Promise<PasswdEntry | null> {
  return new Promise((resolve, reject) => {
    // '--' so that a key can never be read as an option, even though callers validate names first.
    execFile('/usr/bin/getent', ['passwd', '--', String(key)], { timeout: 10_000 }, (error, stdout) => {
      if (error) {
        if (error.code === getentNotFound) resolve(null);
        else reject(error);
        return;
      }
      const firstLine = stdout.split('\n')[0] ?? '';
      const entry = parsePasswdLine(firstLine);
      if (entry === null) reject(new Error(`getent printed an unreadable entry: ${JSON.stringify(firstLine)}`));
      else resolve(entry);
    });
  });
}
